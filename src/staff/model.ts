/**
 * Staff rules without I/O: roles and their rank, who may approve which guarded action, and the
 * sign-in throttle (growing delay, then lockout) after wrong PINs or passwords. Pure and tested
 * exhaustively (test/unit/staff-model.test.ts); the clock is always passed in.
 */

import { atLeast, GUARDED_ACTIONS, type GuardedAction, type Role } from '../shared';

export {
  atLeast,
  canManage,
  GUARDED_ACTIONS,
  type GuardedAction,
  ROLES,
  type Role,
  roleRank,
} from '../shared';

/** A person as the rules see them. `storeId` null: head office, across every store. */
export interface StaffMember {
  id: string;
  role: Role;
  storeId: string | null;
  active: boolean;
}

// ---------------------------------------------------------------- approvals

export type ApprovalVerdict =
  | { ok: true }
  | {
      ok: false;
      code: 'approval_self' | 'approval_role_too_low' | 'approval_other_store' | 'approval_inactive';
    };

/**
 * May `approver` approve `action` asked for by `requester` in `storeId`? Never themselves (two
 * people, both recorded), never an inactive user, never someone of another store (head office may
 * approve anywhere), and only from the action's minimum role up.
 */
export function checkApproval(
  action: GuardedAction,
  requester: Pick<StaffMember, 'id'>,
  approver: StaffMember,
  storeId: string,
): ApprovalVerdict {
  if (approver.id === requester.id) return { ok: false, code: 'approval_self' };
  if (!approver.active) return { ok: false, code: 'approval_inactive' };
  if (approver.storeId !== null && approver.storeId !== storeId)
    return { ok: false, code: 'approval_other_store' };
  if (!atLeast(approver.role, GUARDED_ACTIONS[action])) return { ok: false, code: 'approval_role_too_low' };
  return { ok: true };
}

// ---------------------------------------------------------------- sign-in throttle

export interface ThrottlePolicy {
  /** Wrong attempts allowed without any delay. */
  freeAttempts: number;
  /** Delay after the first attempt beyond the free ones; doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Wrong attempts (counted within `windowMs`) that lock the account. */
  lockAfter: number;
  lockMs: number;
  /** A failure older than this is forgotten. */
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  freeAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  lockAfter: 10,
  lockMs: 15 * 60_000,
  windowMs: 15 * 60_000,
};

/** What is remembered per account between attempts (stored with the user). */
export interface ThrottleState {
  failures: number;
  lastFailureAt: number | null;
  lockedUntil: number | null;
}

export const FRESH_THROTTLE: ThrottleState = { failures: 0, lastFailureAt: null, lockedUntil: null };

export type AttemptGate =
  | { allowed: true }
  | { allowed: false; reason: 'locked' | 'delayed'; retryAt: number };

/** Failures still counted at `now` (a quiet window forgets them). */
function liveFailures(state: ThrottleState, now: number, policy: ThrottlePolicy): number {
  if (state.lastFailureAt === null || now - state.lastFailureAt >= policy.windowMs) return 0;
  return state.failures;
}

/** The delay owed after `failures` wrong attempts. */
export function delayAfter(failures: number, policy: ThrottlePolicy = DEFAULT_THROTTLE): number {
  const beyond = failures - policy.freeAttempts;
  if (beyond <= 0) return 0;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(beyond - 1, 30));
}

/** May a sign-in be tried at `now`? Checked before the secret is even hashed. */
export function gateAttempt(
  state: ThrottleState,
  now: number,
  policy: ThrottlePolicy = DEFAULT_THROTTLE,
): AttemptGate {
  if (state.lockedUntil !== null && now < state.lockedUntil)
    return { allowed: false, reason: 'locked', retryAt: state.lockedUntil };
  const failures = liveFailures(state, now, policy);
  const delay = delayAfter(failures, policy);
  if (delay > 0 && state.lastFailureAt !== null && now < state.lastFailureAt + delay)
    return { allowed: false, reason: 'delayed', retryAt: state.lastFailureAt + delay };
  return { allowed: true };
}

/** After a wrong PIN or password: one more failure, and a lock when there are too many. */
export function recordFailure(
  state: ThrottleState,
  now: number,
  policy: ThrottlePolicy = DEFAULT_THROTTLE,
): ThrottleState & { lockedNow: boolean } {
  const lockExpired = state.lockedUntil !== null && now >= state.lockedUntil;
  const failures = (lockExpired ? 0 : liveFailures(state, now, policy)) + 1;
  const lockedNow = failures >= policy.lockAfter;
  return {
    failures,
    lastFailureAt: now,
    lockedUntil: lockedNow ? now + policy.lockMs : lockExpired ? null : state.lockedUntil,
    lockedNow,
  };
}

/** After a right one: everything forgotten. */
export function recordSuccess(): ThrottleState {
  return { ...FRESH_THROTTLE };
}

// ---------------------------------------------------------------- secrets' shape

/** A till PIN: 4 to 6 digits, not all the same digit, not a straight run (1234, 9876). */
export function pinProblem(pin: string): 'pin_format' | 'pin_too_simple' | null {
  if (!/^\d{4,6}$/.test(pin)) return 'pin_format';
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => d - digits[i]!));
  if (steps.size === 1 && [0, 1, -1].includes([...steps][0]!)) return 'pin_too_simple';
  return null;
}

/** A back-office password: at least 10 characters, not only digits. */
export function passwordProblem(password: string): 'password_too_short' | 'password_too_simple' | null {
  if ([...password].length < 10) return 'password_too_short';
  if (/^\d+$/.test(password)) return 'password_too_simple';
  return null;
}

// ---------------------------------------------------------------- managing staff
