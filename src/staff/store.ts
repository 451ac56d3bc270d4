/** Reading and writing staff rows: lookups for sign-in and approvals, the throttle's columns, listings. */
import { prepared, type StaffTable, type Tx } from '../db';
import type { Role, StaffMember, ThrottleState } from './model';

export type StaffRow = StaffTable;

export const STAFF_BY_CODE = prepared((db, p: { code: string }) =>
  db.selectFrom('staff').selectAll().where('code', '=', p.code),
);
export const STAFF_BY_ID = prepared((db, p: { id: string }) =>
  db.selectFrom('staff').selectAll().where('id', '=', p.id),
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
  return { id: row.id, role: row.role as Role, storeId: row.store_id, active: row.active === 1 };
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
    role: row.role as Role,
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
export async function signInList(
  db: Tx,
  storeId: string,
): Promise<{ code: string; name: string; role: Role }[]> {
  const rows = await db
    .selectFrom('staff')
    .select(['code', 'name', 'role'])
    .where('store_id', '=', storeId)
    .where('active', '=', 1)
    .where('pin_hash', 'is not', null)
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name, role: r.role as Role }));
}
