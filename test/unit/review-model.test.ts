/**
 * The review desk's rules: every decision against every combination of attempt state, kind,
 * provider's word and sale, checked against an expectation written out here independently; and
 * the rules behind them — never against the provider's word, never on a guess, always a way out.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ATTEMPT_STATUSES } from '../../src/payments/attempt-model';
import { providerWordOf } from '../../src/payments/review';
import {
  judgeReview,
  type ProviderWord,
  REVIEW_DECISIONS,
  type ReviewDecision,
  type ReviewFacts,
  reviewOptions,
} from '../../src/payments/review-model';

const WORDS: readonly ProviderWord[] = ['paid', 'not_paid', 'unclear', 'unreachable'];
const KINDS = ['payment', 'refund'] as const;

/** The expectation, written as a manager would say it. */
function expected(decision: ReviewDecision, f: ReviewFacts): string {
  if (f.status !== 'needs_review') return 'review_not_pending';
  if (f.provider === 'unclear' || f.provider === 'unreachable') return 'review_provider_unclear';
  if (decision === 'refund' && f.kind === 'refund') return 'review_not_a_payment';
  const paid = f.provider === 'paid';
  if (decision === 'confirm_not_paid') return paid ? 'review_provider_disagrees' : 'ok';
  if (!paid) return 'review_provider_disagrees';
  if (decision === 'confirm_paid' && f.kind === 'payment' && !f.saleWaitsForIt) return 'review_sale_moved_on';
  return 'ok';
}

const allFacts: ReviewFacts[] = ATTEMPT_STATUSES.flatMap((status) =>
  KINDS.flatMap((kind) =>
    WORDS.flatMap((provider) =>
      [true, false].map((saleWaitsForIt) => ({ status, kind, provider, saleWaitsForIt })),
    ),
  ),
);

describe('review decisions (every combination)', () => {
  for (const facts of allFacts)
    for (const decision of REVIEW_DECISIONS) {
      const want = expected(decision, facts);
      it(`${decision} for a ${facts.kind} ${facts.status}, provider ${facts.provider}, sale ${facts.saleWaitsForIt ? 'waits' : 'moved on'} → ${want}`, () => {
        const verdict = judgeReview(decision, facts);
        expect(verdict.ok ? 'ok' : verdict.code).toBe(want);
      });
    }
});

describe('review rules', () => {
  const facts = fc.constantFrom(...allFacts);

  it('never decides against the provider’s word, nor on a guess', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const open = reviewOptions(f);
        if (f.provider !== 'paid') expect(open).not.toContain('confirm_paid');
        if (f.provider !== 'paid') expect(open).not.toContain('refund');
        if (f.provider !== 'not_paid') expect(open).not.toContain('confirm_not_paid');
        if (f.provider === 'unclear' || f.provider === 'unreachable') expect(open).toEqual([]);
      }),
    );
  });

  it('once the provider has spoken clearly, an attempt under review always has a way out', () => {
    fc.assert(
      fc.property(facts, (f) => {
        if (f.status === 'needs_review' && (f.provider === 'paid' || f.provider === 'not_paid'))
          expect(reviewOptions(f).length).toBeGreaterThan(0);
      }),
    );
  });

  it('money the sale no longer expects is never simply kept: it can only be given back', () => {
    expect(
      reviewOptions({ status: 'needs_review', kind: 'payment', provider: 'paid', saleWaitsForIt: false }),
    ).toEqual(['refund']);
  });
});

describe('the provider’s word, read from its answer', () => {
  it('paid only for the amount asked; nothing moved for a decline or no trace; a dead line is unreachable', () => {
    const paid = (amountFen: number) =>
      ({
        outcome: 'paid',
        amountFen,
        code: '00',
        providerRef: 'p',
        maskedPan: null,
        brand: null,
        slip: {},
      }) as const;
    expect(providerWordOf(paid(100), 100)).toBe('paid');
    expect(providerWordOf(paid(101), 100)).toBe('unclear');
    expect(providerWordOf({ outcome: 'not_found' }, 100)).toBe('not_paid');
    expect(
      providerWordOf(
        { outcome: 'failed', code: '51', category: 'insufficient_funds', providerRef: null },
        100,
      ),
    ).toBe('not_paid');
    expect(providerWordOf({ outcome: 'unknown', reason: 'timeout', code: null }, 100)).toBe('unreachable');
    expect(providerWordOf({ outcome: 'unknown', reason: 'connection', code: null }, 100)).toBe('unreachable');
    expect(providerWordOf({ outcome: 'unknown', reason: 'in_progress', code: null }, 100)).toBe('unclear');
    expect(providerWordOf({ outcome: 'unknown', reason: 'mismatch', code: null }, 100)).toBe('unclear');
    expect(providerWordOf(null, 100)).toBe('unreachable');
  });
});
