/**
 * Customers' feedback and complaints, pure: what a rating may be, which feedback wants a
 * person to look, the complaint as a declared table (validated at start-up, every pair tested),
 * and what a compensation must say. No I/O.
 */
import type { Lifecycle, TransitionResult } from '../kernel';
import { transitionIn } from '../kernel';
import { COMPLAINT_STATUSES, type ComplaintStatus } from '../shared';

export const MIN_RATING = 1;
export const MAX_RATING = 5;

/** 1–2 stars: the store should look at it (and may open a complaint from it). */
export function wantsAttention(rating: number): boolean {
  return rating <= 2;
}

export { COMPLAINT_STATUSES, type ComplaintStatus };

export const COMPLAINT_EVENTS = ['compensate', 'note', 'resolve', 'reopen'] as const;
export type ComplaintEvent = (typeof COMPLAINT_EVENTS)[number];

/**
 *   open ──compensate / note──▶ open ──resolve (manager)──▶ resolved ──reopen (manager)──▶ open
 * A resolved complaint gives nothing more until it is reopened (every gift is deliberate).
 */
export const COMPLAINT_TRANSITIONS: Readonly<
  Record<ComplaintStatus, Partial<Record<ComplaintEvent, ComplaintStatus>>>
> = {
  open: { compensate: 'open', note: 'open', resolve: 'resolved' },
  resolved: { reopen: 'open', note: 'resolved' },
};

export const COMPLAINT_LIFECYCLE: Lifecycle<ComplaintStatus, ComplaintEvent> = {
  name: 'complaint',
  states: COMPLAINT_STATUSES,
  events: COMPLAINT_EVENTS,
  initial: 'open',
  ends: ['resolved'],
  transitions: COMPLAINT_TRANSITIONS,
};

export function transitionComplaint(
  from: ComplaintStatus,
  event: ComplaintEvent,
): TransitionResult<ComplaintStatus> {
  return transitionIn(COMPLAINT_TRANSITIONS, from, event);
}

import { COMPENSATION_KINDS, type CompensationKind } from '../shared';

export { COMPENSATION_KINDS, type CompensationKind };

/** The most a store gives on one complaint without head office: ¥5,000. */
export const MAX_COMPENSATION_FEN = 500_000;

export type CompensationProblem = 'amount_out_of_range' | 'detail_missing' | 'refund_needs_sale';

/**
 * What a compensation must say: a value in fen above nothing and within the store's limit; a coupon
 * its code, a gift what it is; a refund belongs to a sale (the money goes back the way it came).
 */
export function compensationProblem(
  c: { kind: CompensationKind; valueFen: number; detail: string },
  hasSale: boolean,
): CompensationProblem | null {
  if (!Number.isSafeInteger(c.valueFen) || c.valueFen <= 0 || c.valueFen > MAX_COMPENSATION_FEN)
    return 'amount_out_of_range';
  if (c.kind !== 'refund' && c.detail.trim().length === 0) return 'detail_missing';
  if (c.kind === 'refund' && !hasSale) return 'refund_needs_sale';
  return null;
}

/**
 * Which paid attempt can give `amountFen` back: the first (oldest) whose takings, less what was
 * already refunded from it, cover it. Null when none does.
 */
export function refundSource<T extends { id: string; amountFen: number; refundedFen: number }>(
  paid: readonly T[],
  amountFen: number,
): T | null {
  return paid.find((p) => p.amountFen - p.refundedFen >= amountFen) ?? null;
}
