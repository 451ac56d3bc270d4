/**
 * The review desk's rules, pure: what a manager may decide about an attempt under review, given
 * what the provider says about it when asked just now and what the sale still expects. An attempt
 * lands here when money may have moved where the sale no longer expects it (a second charge after
 * a manager lifted the lock, a "paid" for an attempt closed without money), when a reversal was
 * never acknowledged, or when a refund stayed unknown. The decision must agree with the provider's
 * own word: TillSafe never records money the provider does not hold, nor drops money it does.
 */
import type { AttemptStatus } from './attempt-model';

/**
 * - `confirm_paid`: the money moved as the attempt asked — a payment counts for its sale (which
 *   still waits for it), a refund is done.
 * - `refund`: the money moved but the sale does not want it (paid another way, or voided): it is
 *   recorded, and given back through the same provider under a new number.
 * - `confirm_not_paid`: nothing moved — the sale takes another tender; a refund goes out again.
 */
export const REVIEW_DECISIONS = ['confirm_paid', 'refund', 'confirm_not_paid'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** The provider's word, asked just now: paid (for this amount), nothing moved, unclear, or no answer. */
export type ProviderWord = 'paid' | 'not_paid' | 'unclear' | 'unreachable';

export interface ReviewFacts {
  status: AttemptStatus;
  kind: 'payment' | 'refund';
  provider: ProviderWord;
  /** The sale waits for this attempt and no other: paying it would complete or reduce what is due. */
  saleWaitsForIt: boolean;
}

export type ReviewRefusal =
  | 'review_not_pending'
  | 'review_provider_disagrees'
  | 'review_provider_unclear'
  | 'review_sale_moved_on'
  | 'review_not_a_payment';

export type ReviewVerdict = { ok: true } | { ok: false; code: ReviewRefusal };

export function judgeReview(decision: ReviewDecision, facts: ReviewFacts): ReviewVerdict {
  if (facts.status !== 'needs_review') return { ok: false, code: 'review_not_pending' };
  // Nothing is decided against a provider that did not answer clearly: ask again later.
  if (facts.provider === 'unclear' || facts.provider === 'unreachable')
    return { ok: false, code: 'review_provider_unclear' };
  const moved = facts.provider === 'paid';
  switch (decision) {
    case 'confirm_paid':
      if (!moved) return { ok: false, code: 'review_provider_disagrees' };
      // A payment the sale no longer waits for cannot simply count: it is given back instead.
      if (facts.kind === 'payment' && !facts.saleWaitsForIt)
        return { ok: false, code: 'review_sale_moved_on' };
      return { ok: true };
    case 'refund':
      if (facts.kind !== 'payment') return { ok: false, code: 'review_not_a_payment' };
      return moved ? { ok: true } : { ok: false, code: 'review_provider_disagrees' };
    case 'confirm_not_paid':
      return moved ? { ok: false, code: 'review_provider_disagrees' } : { ok: true };
  }
}

/** The decisions open to the manager now, for the screen (the server judges again when one is sent). */
export function reviewOptions(facts: ReviewFacts): ReviewDecision[] {
  return REVIEW_DECISIONS.filter((d) => judgeReview(d, facts).ok);
}
