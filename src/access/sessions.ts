/**
 * Signing in and out, and knowing who a request is from. A session is a random 256-bit token in
 * an httpOnly cookie; the database keeps only its SHA-256, so a copy of the database opens nothing.
 * Every sign-in makes a new token (a token the client brought is never adopted: no fixation).
 * Wrong secrets feed the throttle of src/staff/model.ts and leave audit events; the secret is
 * hashed outside any transaction, so a 50 ms scrypt never holds the store's writer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type AuditEntry, appendAudit } from '../audit';
import type { Actor, Ctx } from '../context';
import { prepared, rowOf, type SessionsTable, type Tx, transaction } from '../db';
import { maskPans, Refusal, type RefusalCode } from '../kernel';
import {
  clientsGuessing,
  clientThrottleOf,
  DEFAULT_THROTTLE,
  gateAttempt,
  hashSecret,
  type Role,
  recordFailure,
  recordSuccess,
  STAFF_BY_CODE,
  STAFF_BY_ID,
  STAFF_LOCKED,
  type StaffRow,
  saveClientThrottle,
  saveThrottle,
  throttleOf,
  verifySecret,
} from '../staff';
import { tillById } from '../stores';
import type { Surface } from './matrix';
import { absoluteExpiry, sessionVerdict } from './session-policy';

/** Session tokens and CSRF tokens always come from the OS: no test seam can make them guessable. */
function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SessionView {
  staffId: string;
  code: string;
  name: string;
  role: Role;
  storeId: string | null;
  surface: Surface;
  tillId: string | null;
  createdAt: string;
  expiresAt: string;
  csrfToken: string;
}

export interface SignInResult {
  token: string;
  session: SessionView;
}

// A verify against this keeps an unknown code as slow as a known one (no timing oracle for codes).
let decoy: Promise<string> | null = null;
const decoyHash = () => {
  decoy ??= hashSecret('decoy-secret', (n) => randomBytes(n));
  return decoy;
};

/** A staff code as typed; anything else (say, a password typed in the wrong field) is not recorded. */
function codeForAudit(code: string): string {
  const masked = maskPans(code);
  return /^[A-Za-z0-9_-]{1,32}$/.test(masked) ? masked : '(not a staff code)';
}

const SESSION_COLUMNS = [
  'id',
  'staff_id',
  'surface',
  'store_id',
  'till_id',
  'csrf_token',
  'created_at',
  'last_seen_at',
  'expires_at',
  'ended_at',
  'end_reason',
] as const;
const INSERT_SESSION = prepared((db, p: SessionsTable) =>
  db.insertInto('sessions').values(rowOf(p, SESSION_COLUMNS)),
);

type Outcome<T> = { ok: true; result: T } | { ok: false; code: RefusalCode; retryAt?: number };

export interface Attempt {
  surface: Surface;
  /** What the secret is for: signing in, or approving someone else's request. */
  purpose?: 'sign_in' | 'approval';
  staffCode: string;
  secret: string;
  /** The store whose chain records the attempt and, at a till, whose staff may sign in. */
  storeId: string | null;
  tillId: string | null;
  /** The token the client brought, if any: ended by this sign-in. */
  presentedSessionId: string | null;
  /**
   * Where the attempt comes from (the caller's address): wrong secrets lock the account at that
   * client only, so nobody can lock a person out everywhere by guessing from one place.
   */
  client: string;
}

/** The account-wide count of failures is kept for the back office; it never locks by itself. */
const NEVER_LOCKS = { ...DEFAULT_THROTTLE, lockAfter: Number.POSITIVE_INFINITY };

/** Clients guessing wrong for one account within the throttle's window that make a pattern. */
const CLIENTS_PATTERN = 3;

async function audit(ctx: Ctx, entries: AuditEntry | AuditEntry[]): Promise<void> {
  await transaction(ctx.db, 'full', (tx) => appendAudit(tx, ctx.clock, ctx.ids, entries));
}

function refuse(outcome: { code: RefusalCode; retryAt?: number }, now: number): never {
  const extra: Record<string, unknown> = {};
  if (outcome.retryAt !== undefined)
    extra.retryAfterS = Math.max(1, Math.ceil((outcome.retryAt - now) / 1000));
  throw new Refusal(outcome.code, undefined, extra);
}

/**
 * Checks a staff code and secret with the throttle, and on success runs `onSuccess` in the same
 * transaction that clears the failures. Used by sign-in and by PIN approvals, so a PIN guessed at
 * the approval dialog counts against the same lockout as one guessed at sign-in.
 */
export async function checkCredential<T>(
  ctx: Ctx,
  attempt: Attempt,
  onSuccess: (tx: Tx, staff: StaffRow) => Promise<T>,
): Promise<T> {
  const now = ctx.clock.now().getTime();
  const kind = attempt.surface === 'till' ? 'pin' : 'password';
  const purpose = attempt.purpose ?? 'sign_in';
  const row = await STAFF_BY_CODE.first(ctx.db.kysely, { code: attempt.staffCode });
  const hash = row ? (kind === 'pin' ? row.pin_hash : row.password_hash) : null;
  const usable =
    row &&
    hash &&
    row.active === 1 &&
    row.removed_at === null &&
    (attempt.surface === 'backoffice' || row.store_id === null || row.store_id === attempt.storeId);
  const chainStore = attempt.storeId ?? row?.store_id ?? null;
  if (!usable) {
    await verifySecret(attempt.secret, await decoyHash());
    await audit(ctx, {
      storeId: chainStore,
      actorId: row?.id ?? 'unknown',
      action: 'session.sign_in_failed',
      entityType: 'staff',
      entityId: row?.id ?? codeForAudit(attempt.staffCode),
      after: {
        surface: attempt.surface,
        purpose,
        tillId: attempt.tillId,
        reason: row ? 'not_allowed_here' : 'unknown_code',
      },
    });
    throw new Refusal('sign_in_failed');
  }
  const gate = gateAttempt(await clientThrottleOf(ctx.db.kysely, row.id, attempt.client), now);
  if (!gate.allowed) {
    await audit(ctx, {
      storeId: chainStore,
      actorId: row.id,
      action: 'session.sign_in_refused',
      entityType: 'staff',
      entityId: row.id,
      after: { surface: attempt.surface, reason: gate.reason, retryAt: new Date(gate.retryAt).toISOString() },
    });
    refuse(
      { code: gate.reason === 'locked' ? 'account_locked' : 'sign_in_delayed', retryAt: gate.retryAt },
      now,
    );
  }
  const right = await verifySecret(attempt.secret, hash);

  const outcome = await transaction(ctx.db, 'full', async (tx): Promise<Outcome<T>> => {
    // Re-read under lock: parallel guesses take turns, and each sees the failures before it.
    const fresh = (await STAFF_LOCKED.first(tx, { id: row.id })) ?? row;
    const state = await clientThrottleOf(tx, row.id, attempt.client);
    const regate = gateAttempt(state, now);
    const base = { storeId: chainStore, actorId: row.id, entityType: 'staff', entityId: row.id } as const;
    if (!regate.allowed) {
      // Whatever the secret was, the answer says nothing about it.
      await appendAudit(tx, ctx.clock, ctx.ids, {
        ...base,
        action: 'session.sign_in_refused',
        after: { surface: attempt.surface, reason: regate.reason },
      });
      return {
        ok: false,
        code: regate.reason === 'locked' ? 'account_locked' : 'sign_in_delayed',
        retryAt: regate.retryAt,
      };
    }
    if (!right) {
      const next = recordFailure(state, now);
      await saveClientThrottle(tx, row.id, attempt.client, next);
      // The account-wide picture for the back office (never a lock by itself): every client's
      // failures, and the latest lock at any client.
      const account = throttleOf(fresh);
      const across = recordFailure(account, now, NEVER_LOCKS);
      await saveThrottle(tx, row.id, {
        ...across,
        lockedUntil: next.lockedNow ? next.lockedUntil : account.lockedUntil,
      });
      const entries: AuditEntry[] = [
        {
          ...base,
          action: 'session.sign_in_failed',
          after: {
            surface: attempt.surface,
            purpose,
            tillId: attempt.tillId,
            reason: `wrong_${kind}`,
            failures: next.failures,
          },
        },
      ];
      if (next.lockedNow)
        entries.push({
          ...base,
          action: 'staff.locked_out',
          after: {
            failures: next.failures,
            lockedUntil: new Date(next.lockedUntil ?? now).toISOString(),
            atClient: true,
          },
        });
      // Guesses from several clients at one account: the manager is told (the audit's alert).
      const since = new Date(now - DEFAULT_THROTTLE.windowMs).toISOString();
      if (next.failures === 1 && (await clientsGuessing(tx, row.id, since)) === CLIENTS_PATTERN)
        entries.push({
          ...base,
          action: 'staff.sign_in_alert',
          after: { clients: CLIENTS_PATTERN, failures: across.failures, windowMs: DEFAULT_THROTTLE.windowMs },
        });
      await appendAudit(tx, ctx.clock, ctx.ids, entries);
      return next.lockedNow
        ? { ok: false, code: 'account_locked', retryAt: next.lockedUntil ?? now }
        : { ok: false, code: 'sign_in_failed' };
    }
    if (state.failures > 0 || state.lockedUntil !== null)
      await saveClientThrottle(tx, row.id, attempt.client, recordSuccess());
    return { ok: true, result: await onSuccess(tx, fresh) };
  });
  if (!outcome.ok) refuse(outcome, now);
  return outcome.result;
}

async function signIn(ctx: Ctx, attempt: Attempt): Promise<SignInResult> {
  return checkCredential(ctx, attempt, (tx, staff) =>
    openSession(ctx, tx, staff, attempt, ctx.clock.now().getTime()),
  );
}

async function openSession(
  ctx: Ctx,
  tx: Tx,
  staff: StaffRow,
  attempt: Attempt,
  now: number,
): Promise<SignInResult> {
  const at = new Date(now).toISOString();
  // At a till, whoever was signed in there is signed out: one cashier per till at a time.
  const replaced = attempt.tillId
    ? await tx
        .selectFrom('sessions')
        .select(['id', 'staff_id'])
        .where('till_id', '=', attempt.tillId)
        .where('ended_at', 'is', null)
        .execute()
    : [];
  const ending = new Set(replaced.map((r) => r.id));
  if (attempt.presentedSessionId) ending.add(attempt.presentedSessionId);
  if (ending.size > 0)
    await tx
      .updateTable('sessions')
      .set({ ended_at: at, end_reason: attempt.tillId ? 'switched' : 'replaced' })
      .where('id', 'in', [...ending])
      .where('ended_at', 'is', null)
      .execute();
  const token = newToken();
  const csrfToken = newToken();
  const storeId = attempt.surface === 'till' ? attempt.storeId : staff.store_id;
  const row: SessionsTable = {
    id: sessionIdOf(token),
    staff_id: staff.id,
    surface: attempt.surface,
    store_id: storeId,
    till_id: attempt.tillId,
    csrf_token: csrfToken,
    created_at: at,
    last_seen_at: at,
    expires_at: new Date(absoluteExpiry(attempt.surface, now)).toISOString(),
    ended_at: null,
    end_reason: null,
  };
  await INSERT_SESSION.run(tx, row);
  const previous = replaced.find((r) => r.staff_id !== staff.id)?.staff_id ?? null;
  await appendAudit(tx, ctx.clock, ctx.ids, {
    storeId: storeId ?? null,
    actorId: staff.id,
    action: previous ? 'session.cashier_switched' : 'session.signed_in',
    entityType: 'staff',
    entityId: staff.id,
    after: {
      surface: attempt.surface,
      tillId: attempt.tillId,
      ...(previous ? { previousStaffId: previous } : {}),
    },
  });
  return {
    token,
    session: {
      staffId: staff.id,
      code: staff.code,
      name: staff.name,
      role: staff.role,
      storeId,
      surface: attempt.surface,
      tillId: attempt.tillId,
      createdAt: at,
      expiresAt: row.expires_at,
      csrfToken,
    },
  };
}

export async function signInWithPin(
  ctx: Ctx,
  input: { storeId: string; tillId: string; staffCode: string; pin: string },
  presentedSessionId: string | null,
  client: string,
): Promise<SignInResult> {
  if ((await tillById(ctx.db.kysely, input.tillId))?.storeId !== input.storeId)
    throw new Refusal('till_unknown');
  return signIn(ctx, {
    surface: 'till',
    staffCode: input.staffCode,
    secret: input.pin,
    storeId: input.storeId,
    tillId: input.tillId,
    presentedSessionId,
    client,
  });
}

export async function signInWithPassword(
  ctx: Ctx,
  input: { staffCode: string; password: string },
  presentedSessionId: string | null,
  client: string,
): Promise<SignInResult> {
  return signIn(ctx, {
    surface: 'backoffice',
    staffCode: input.staffCode,
    secret: input.password,
    storeId: null,
    tillId: null,
    presentedSessionId,
    client,
  });
}

export async function signOut(ctx: Ctx, actor: Actor): Promise<void> {
  await transaction(ctx.db, 'full', async (tx) => {
    await tx
      .updateTable('sessions')
      .set({ ended_at: ctx.clock.now().toISOString(), end_reason: 'signed_out' })
      .where('id', '=', actor.sessionId)
      .where('ended_at', 'is', null)
      .execute();
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: actor.storeId,
      actorId: actor.staffId,
      action: 'session.signed_out',
      entityType: 'staff',
      entityId: actor.staffId,
      after: { surface: actor.surface, tillId: actor.tillId },
    });
  });
}

/** Ends every open session of someone (removed, disabled, or their secret was reset). */
export async function endSessionsOf(tx: Tx, staffId: string, reason: string, at: string): Promise<number> {
  const result = await tx
    .updateTable('sessions')
    .set({ ended_at: at, end_reason: reason })
    .where('staff_id', '=', staffId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

const SESSION_BY_ID = prepared((db, p: { id: string }) =>
  db.selectFrom('sessions').selectAll().where('id', '=', p.id),
);
const TOUCH_SESSION = prepared((db, p: { id: string; at: string }) =>
  db.updateTable('sessions').set({ last_seen_at: p.at }).where('id', '=', p.id),
);

export type SessionLookup =
  | { ok: true; actor: Actor; view: SessionView }
  | {
      ok: false;
      code: 'session_invalid' | 'session_ended' | 'session_expired' | 'session_revoked';
      storeId: string | null;
      staffId: string | null;
    };

/** Who a cookie's token belongs to, if anyone, and whether that still counts. */
export async function lookUpSession(ctx: Ctx, token: string): Promise<SessionLookup> {
  const id = sessionIdOf(token);
  const row = await SESSION_BY_ID.first(ctx.db.kysely, { id });
  if (!row) return { ok: false, code: 'session_invalid', storeId: null, staffId: null };
  // The person read live on every request: a role changed or a removal counts at once.
  const person = await STAFF_BY_ID.first(ctx.db.kysely, { id: row.staff_id });
  const now = ctx.clock.now().getTime();
  const verdict = sessionVerdict(
    {
      surface: row.surface,
      createdAt: Date.parse(row.created_at),
      lastSeenAt: Date.parse(row.last_seen_at),
      endedAt: row.ended_at === null ? null : Date.parse(row.ended_at),
      staffActive: person !== undefined && person.active === 1 && person.removed_at === null,
    },
    now,
  );
  if (!verdict.ok || !person)
    return {
      ok: false,
      code: verdict.ok ? 'session_revoked' : verdict.code,
      storeId: row.store_id,
      staffId: row.staff_id,
    };
  if (verdict.touch)
    await transaction(ctx.db, 'relaxed', (tx) =>
      TOUCH_SESSION.run(tx, { id, at: new Date(now).toISOString() }),
    );
  const who = {
    staffId: row.staff_id,
    name: person.name,
    role: person.role,
    storeId: row.store_id,
    surface: row.surface,
    tillId: row.till_id,
  };
  return {
    ok: true,
    actor: { ...who, sessionId: id },
    view: {
      ...who,
      code: person.code,
      createdAt: row.created_at,
      expiresAt: new Date(absoluteExpiry(who.surface, Date.parse(row.created_at))).toISOString(),
      csrfToken: row.csrf_token,
    },
  };
}

/** A rejected cookie leaves a trace: forged tokens, expired and revoked sessions are all audited. */
export async function auditRejectedSession(
  ctx: Ctx,
  rejection: Extract<SessionLookup, { ok: false }>,
  request: { method: string; route: string },
): Promise<void> {
  await audit(ctx, {
    storeId: rejection.storeId,
    actorId: rejection.staffId ?? 'unknown',
    action: 'session.rejected',
    entityType: 'session',
    entityId: rejection.staffId ?? 'unknown',
    after: { reason: rejection.code, method: request.method, route: request.route },
  });
}
