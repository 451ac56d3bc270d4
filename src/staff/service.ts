/** Managing staff from the back office: create, change, disable or remove, set PINs and passwords. */
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../audit';
import { actorIdOf, type Ctx } from '../context';
import { isUniqueViolation, type StaffTable, type Tx, transaction } from '../db';
import { Port, Refusal } from '../kernel';
import { storeFacts } from '../stores';
import { hashSecret } from './credentials';
import { canManage, passwordProblem, pinProblem, type Role } from './model';
import {
  clearClientThrottles,
  newStaffRow,
  STAFF_BY_ID,
  type StaffRow,
  type StaffView,
  staffView,
} from './store';

/** Ends a person's open sessions, in the caller's transaction; access answers (its sessions). */
export const END_SESSIONS = new Port<
  (tx: Tx, staffId: string, reason: string, at: string) => Promise<number>
>('staff.endSessions');

const salt = (n: number) => new Uint8Array(randomBytes(n));

/**
 * Checks and hashes new secrets. Called by the route before its transaction opens, so 50 ms of
 * scrypt never holds the store's writer.
 */
export async function hashNewSecrets(input: {
  pin?: string | undefined;
  password?: string | undefined;
}): Promise<NewSecrets> {
  const pinIssue = input.pin === undefined ? null : pinProblem(input.pin);
  if (pinIssue) throw new Refusal(pinIssue);
  const passwordIssue = input.password === undefined ? null : passwordProblem(input.password);
  if (passwordIssue) throw new Refusal(passwordIssue);
  const [pinHash, passwordHash] = await Promise.all([
    input.pin === undefined ? null : hashSecret(input.pin, salt),
    input.password === undefined ? null : hashSecret(input.password, salt),
  ]);
  return { pinHash, passwordHash };
}

export interface NewSecrets {
  pinHash: string | null;
  passwordHash: string | null;
}

function assertMayManage(ctx: Ctx, targetRole: Role): void {
  if (ctx.actor && !canManage(ctx.actor.role, targetRole)) throw new Refusal('role_not_grantable');
}

async function lockedTarget(ctx: Ctx, tx: Tx, staffId: string): Promise<StaffRow> {
  const row = await STAFF_BY_ID.first(tx, { id: staffId });
  if (!row || row.removed_at !== null) throw new Refusal('staff_unknown');
  assertMayManage(ctx, row.role);
  return row;
}

export async function createStaff(
  ctx: Ctx,
  storeId: string | null,
  input: { code: string; name: string; role: Role },
  secrets: NewSecrets,
): Promise<StaffView> {
  assertMayManage(ctx, input.role);
  const pin = secrets.pinHash;
  const password = secrets.passwordHash;
  const now = ctx.clock.now().toISOString();
  const row: StaffTable = newStaffRow({
    id: ctx.ids.next('stf'),
    store_id: storeId,
    code: input.code,
    name: input.name,
    role: input.role,
    created_at: now,
    pin_hash: pin,
    password_hash: password,
  });
  return transaction(ctx.db, 'full', async (tx) => {
    if (storeId && !(await storeFacts(tx, storeId))) throw new Refusal('store_unknown');
    try {
      await tx.insertInto('staff').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new Refusal('staff_code_taken');
      throw error;
    }
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId,
      actorId: actorIdOf(ctx),
      action: 'staff.created',
      entityType: 'staff',
      entityId: row.id,
      after: {
        code: row.code,
        name: row.name,
        role: row.role,
        hasPin: pin !== null,
        hasPassword: password !== null,
      },
    });
    return staffView(row, ctx.clock.now().getTime());
  });
}

export async function updateStaff(
  ctx: Ctx,
  staffId: string,
  input: { name?: string; role?: Role; active?: boolean },
): Promise<StaffView> {
  if (ctx.actor?.staffId === staffId && (input.role !== undefined || input.active === false))
    throw new Refusal('staff_self_change');
  if (input.role) assertMayManage(ctx, input.role);
  return transaction(ctx.db, 'full', async (tx) => {
    const before = await lockedTarget(ctx, tx, staffId);
    const now = ctx.clock.now().toISOString();
    const after: StaffRow = {
      ...before,
      name: input.name ?? before.name,
      role: input.role ?? before.role,
      active: input.active === undefined ? before.active : input.active ? 1 : 0,
      updated_at: now,
    };
    await tx
      .updateTable('staff')
      .set({ name: after.name, role: after.role, active: after.active, updated_at: now })
      .where('id', '=', staffId)
      .execute();
    // A demotion or a disable takes effect now: their open sessions end.
    const demoted = after.role !== before.role;
    const disabled = before.active === 1 && after.active === 0;
    const ended =
      demoted || disabled
        ? await END_SESSIONS.call(tx, staffId, disabled ? 'disabled' : 'role_changed', now)
        : 0;
    const pick = (r: StaffRow) => ({ name: r.name, role: r.role, active: r.active === 1 });
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: before.store_id,
      actorId: actorIdOf(ctx),
      action: demoted ? 'staff.role_changed' : disabled ? 'staff.disabled' : 'staff.updated',
      entityType: 'staff',
      entityId: staffId,
      before: pick(before),
      after: { ...pick(after), sessionsEnded: ended },
    });
    return staffView(after, ctx.clock.now().getTime());
  });
}

/** Removes someone: the row stays (audit events name them), they can never sign in again. */
export async function removeStaff(ctx: Ctx, staffId: string): Promise<StaffView> {
  if (ctx.actor?.staffId === staffId) throw new Refusal('staff_self_change');
  return transaction(ctx.db, 'full', async (tx) => {
    const before = await lockedTarget(ctx, tx, staffId);
    const now = ctx.clock.now().toISOString();
    await tx
      .updateTable('staff')
      .set({ active: 0, removed_at: now, pin_hash: null, password_hash: null, updated_at: now })
      .where('id', '=', staffId)
      .execute();
    const ended = await END_SESSIONS.call(tx, staffId, 'removed', now);
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: before.store_id,
      actorId: actorIdOf(ctx),
      action: 'staff.removed',
      entityType: 'staff',
      entityId: staffId,
      before: { code: before.code, name: before.name, role: before.role },
      after: { sessionsEnded: ended },
    });
    return staffView(
      { ...before, active: 0, removed_at: now, pin_hash: null, password_hash: null },
      Date.parse(now),
    );
  });
}

/** Sets a PIN or a password; also lifts a lockout, and a new password ends the old sessions. */
export async function setSecret(
  ctx: Ctx,
  staffId: string,
  kind: 'pin' | 'password',
  secrets: NewSecrets,
): Promise<StaffView> {
  const hash = kind === 'pin' ? secrets.pinHash : secrets.passwordHash;
  if (hash === null) throw new Error(`setSecret: no ${kind} hash given`);
  return transaction(ctx.db, 'full', async (tx) => {
    const before = await lockedTarget(ctx, tx, staffId);
    const now = ctx.clock.now().toISOString();
    const change = kind === 'pin' ? { pin_hash: hash } : { password_hash: hash };
    await tx
      .updateTable('staff')
      .set({ ...change, failed_attempts: 0, last_failure_at: null, locked_until: null, updated_at: now })
      .where('id', '=', staffId)
      .execute();
    await clearClientThrottles(tx, staffId);
    const ended = kind === 'password' ? await END_SESSIONS.call(tx, staffId, 'password_changed', now) : 0;
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: before.store_id,
      actorId: actorIdOf(ctx),
      action: kind === 'pin' ? 'staff.pin_set' : 'staff.password_set',
      entityType: 'staff',
      entityId: staffId,
      after: { unlocked: before.locked_until !== null || before.failed_attempts > 0, sessionsEnded: ended },
    });
    return staffView(
      {
        ...before,
        ...change,
        failed_attempts: 0,
        last_failure_at: null,
        locked_until: null,
        updated_at: now,
      },
      Date.parse(now),
    );
  });
}
