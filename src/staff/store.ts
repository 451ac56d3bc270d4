/** Reading and writing staff rows: lookups for sign-in and approvals, the throttle's columns, listings. */
import { lockedForUpdate, prepared, type StaffTable, type Tx } from '../db';
import {
  checkApproval,
  FRESH_THROTTLE,
  type GuardedAction,
  type Role,
  type StaffMember,
  type ThrottleState,
} from './model';

export type StaffRow = StaffTable;

export const STAFF_BY_CODE = prepared((db, p: { code: string }) =>
  db.selectFrom('staff').selectAll().where('code', '=', p.code),
);
export const STAFF_BY_ID = prepared((db, p: { id: string }) =>
  db.selectFrom('staff').selectAll().where('id', '=', p.id),
);
/** The same row locked for the transaction: parallel sign-in guesses at one person take turns. */
export const STAFF_LOCKED = prepared((db, p: { id: string }, dialect) =>
  lockedForUpdate(db.selectFrom('staff').selectAll().where('id', '=', p.id), dialect),
);

/** A new person's row: active, no failures, the secrets given (already hashed) or none. */
export function newStaffRow(
  fields: Pick<StaffTable, 'id' | 'store_id' | 'code' | 'name' | 'role' | 'created_at'> &
    Partial<Pick<StaffTable, 'pin_hash' | 'password_hash'>>,
): StaffTable {
  return {
    pin_hash: null,
    password_hash: null,
    ...fields,
    active: 1,
    failed_attempts: 0,
    last_failure_at: null,
    locked_until: null,
    removed_at: null,
    updated_at: fields.created_at,
  };
}

export function memberOf(row: StaffRow): StaffMember {
  return { id: row.id, role: row.role, storeId: row.store_id, active: row.active === 1 };
}

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function throttleOf(
  row: Pick<StaffRow, 'failed_attempts' | 'last_failure_at' | 'locked_until'>,
): ThrottleState {
  return {
    failures: row.failed_attempts,
    lastFailureAt: ms(row.last_failure_at),
    lockedUntil: ms(row.locked_until),
  };
}

/** The throttle of one account at one client: what its wrong secrets from there have earned. */
export async function clientThrottleOf(tx: Tx, staffId: string, client: string): Promise<ThrottleState> {
  const row = await tx
    .selectFrom('sign_in_throttles')
    .selectAll()
    .where('staff_id', '=', staffId)
    .where('client', '=', client)
    .executeTakeFirst();
  return row ? throttleOf({ ...row, failed_attempts: row.failures }) : { ...FRESH_THROTTLE };
}

export async function saveClientThrottle(
  tx: Tx,
  staffId: string,
  client: string,
  state: ThrottleState,
): Promise<void> {
  const values = {
    failures: state.failures,
    last_failure_at: iso(state.lastFailureAt),
    locked_until: iso(state.lockedUntil),
  };
  await tx
    .insertInto('sign_in_throttles')
    .values({ staff_id: staffId, client, ...values })
    .onConflict((oc) => oc.columns(['staff_id', 'client']).doUpdateSet(values))
    .execute();
}

/** How many clients have guessed wrong for this account since `sinceIso`: a pattern to tell the manager of. */
export async function clientsGuessing(tx: Tx, staffId: string, sinceIso: string): Promise<number> {
  const rows = await tx
    .selectFrom('sign_in_throttles')
    .select('client')
    .where('staff_id', '=', staffId)
    .where('failures', '>', 0)
    .where('last_failure_at', '>=', sinceIso)
    .execute();
  return rows.length;
}

/** A manager's new PIN or password lifts every client's lock. */
export async function clearClientThrottles(tx: Tx, staffId: string): Promise<void> {
  await tx.deleteFrom('sign_in_throttles').where('staff_id', '=', staffId).execute();
}

export async function saveThrottle(tx: Tx, staffId: string, state: ThrottleState): Promise<void> {
  await tx
    .updateTable('staff')
    .set({
      failed_attempts: state.failures,
      last_failure_at: iso(state.lastFailureAt),
      locked_until: iso(state.lockedUntil),
    })
    .where('id', '=', staffId)
    .execute();
}

/** The public view of a staff member: never a hash, never the throttle's internals beyond "locked". */
export interface StaffView {
  id: string;
  storeId: string | null;
  code: string;
  name: string;
  role: Role;
  active: boolean;
  hasPin: boolean;
  hasPassword: boolean;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export function staffView(row: StaffRow, now: number): StaffView {
  const locked = row.locked_until !== null && Date.parse(row.locked_until) > now ? row.locked_until : null;
  return {
    id: row.id,
    storeId: row.store_id,
    code: row.code,
    name: row.name,
    role: row.role,
    active: row.active === 1,
    hasPin: row.pin_hash !== null,
    hasPassword: row.password_hash !== null,
    lockedUntil: locked,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listStoreStaff(db: Tx, storeId: string): Promise<StaffRow[]> {
  return db
    .selectFrom('staff')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('removed_at', 'is', null)
    .orderBy('role')
    .orderBy('code')
    .execute();
}

/** Who can sign in at this store's tills: its own active staff with a PIN. */
/** The store's people who can type a PIN at its tills, by code. */
async function pinHoldersOf(db: Tx, storeId: string): Promise<StaffRow[]> {
  return db
    .selectFrom('staff')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('active', '=', 1)
    .where('pin_hash', 'is not', null)
    .orderBy('code')
    .execute();
}

/** The names a cashier taps at the till before typing a PIN (no ids, no secrets). */
export async function signInList(
  db: Tx,
  storeId: string,
): Promise<{ code: string; name: string; role: Role }[]> {
  return (await pinHoldersOf(db, storeId)).map((r) => ({ code: r.code, name: r.name, role: r.role }));
}

/**
 * Who at the store may approve `action` for `requester` with a PIN at the till: the approval rule
 * itself (checkApproval), so the till offers exactly the people the server would accept.
 */
export async function approversAt(
  db: Tx,
  storeId: string,
  action: GuardedAction,
  requester: Pick<StaffMember, 'id'>,
): Promise<{ code: string; name: string; role: Role }[]> {
  return (await pinHoldersOf(db, storeId))
    .filter((r) => checkApproval(action, requester, memberOf(r), storeId).ok)
    .map((r) => ({ code: r.code, name: r.name, role: r.role }));
}

/** New people, in the caller's transaction (the demo seed; `createStaff` audits one at a time). */
export async function insertStaffRows(tx: Tx, rows: readonly StaffRow[]): Promise<void> {
  if (rows.length > 0)
    await tx
      .insertInto('staff')
      .values([...rows])
      .execute();
}

/** The names of these people, by id (an id no one has is left out: callers show the id). */
export async function namesOf(db: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('staff').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** One person's name, or their id when no one has it (an audit actor such as `system`). */
export async function nameOf(db: Tx, id: string): Promise<string> {
  return (await namesOf(db, [id])).get(id) ?? id;
}

const FIRST_CASHIER = prepared((db, p: { storeId: string }) =>
  db
    .selectFrom('staff')
    .select('id')
    .where('store_id', '=', p.storeId)
    .where('role', '=', 'cashier')
    .orderBy('code')
    .limit(1),
);

/** The store's first cashier by code: who a sale opened without a session (CLI, tools) is rung up by. */
export async function firstCashierOf(db: Tx, storeId: string): Promise<string | null> {
  return (await FIRST_CASHIER.first(db, { storeId }))?.id ?? null;
}

const STOREOFSTAFF_Q = prepared((db, p: { key: string }) =>
  db.selectFrom('staff').select('store_id').where('id', '=', p.key),
);

/** The store of a person (null: head office) (the access guard asks, to scope a request); undefined when there is none. */
export async function storeOfStaff(db: Tx, key: string): Promise<string | null | undefined> {
  const row = await STOREOFSTAFF_Q.first(db, { key });
  return row ? row.store_id : undefined;
}

/** The id of the person with this staff code, or null (the audit search takes a code). */
export async function staffIdByCode(db: Tx, code: string): Promise<string | null> {
  return (await STAFF_BY_CODE.first(db, { code }))?.id ?? null;
}
