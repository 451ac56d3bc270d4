/**
 * Approval grants without I/O. A cashier asks; a supervisor or manager approves with their PIN at
 * the till (or from the back office); the grant is then good for exactly one use of exactly that
 * action on exactly that sale by exactly that cashier, for a few minutes. Pure and tested.
 */
import type { Lifecycle } from '../kernel';
import { APPROVAL_STATUSES, type ApprovalStatus, type GuardedAction } from '../shared';

export { APPROVAL_STATUSES, type ApprovalStatus };

/** A pending request waits this long for the back office; a grant must be used within this. */
export const PENDING_FOR_MS = 15 * 60_000;
export const GRANT_VALID_MS = 5 * 60_000;

export interface ApprovalFacts {
  status: ApprovalStatus;
  action: GuardedAction;
  storeId: string;
  saleId: string | null;
  requestedBy: string;
  expiresAt: number;
}

export interface ApprovalUse {
  action: GuardedAction;
  storeId: string;
  saleId: string | null;
  requesterId: string;
}

/** Why a grant cannot be used for this, or null when it can. */
export function grantProblem(
  approval: ApprovalFacts,
  use: ApprovalUse,
  now: number,
): null | 'not_granted' | 'expired' | 'other_action' | 'other_sale' | 'other_requester' {
  if (approval.status !== 'granted') return 'not_granted';
  if (now >= approval.expiresAt) return 'expired';
  if (approval.action !== use.action) return 'other_action';
  if (approval.storeId !== use.storeId || approval.saleId !== use.saleId) return 'other_sale';
  if (approval.requestedBy !== use.requesterId) return 'other_requester';
  return null;
}

/** What the screens show: a pending request past its time, or a grant past its time, is expired. */
export function displayStatus(
  status: ApprovalStatus,
  expiresAt: number,
  now: number,
): ApprovalStatus | 'expired' {
  return (status === 'pending' || status === 'granted') && now >= expiresAt ? 'expired' : status;
}

/**
 * An approval's life: asked for (pending), granted or denied by a higher role, and a grant spent
 * once by the change it allowed. A PIN at the till asks and grants in one go. Time lapses a
 * pending request or an unused grant (`displayStatus`), without a write.
 */
export const APPROVAL_EVENTS = ['grant', 'deny', 'use'] as const;
export type ApprovalEvent = (typeof APPROVAL_EVENTS)[number];
export const APPROVAL_LIFECYCLE: Lifecycle<ApprovalStatus, ApprovalEvent> = {
  name: 'approval',
  states: APPROVAL_STATUSES,
  events: APPROVAL_EVENTS,
  initial: 'pending',
  ends: ['denied', 'used'],
  transitions: {
    pending: { grant: 'granted', deny: 'denied' },
    granted: { use: 'used' },
    denied: {},
    used: {},
  },
};
