/**
 * What an unasked answer (a notification, a late or repeated copy) means for an attempt in each
 * state: every (state, claim) pair against a table written out here independently, and the rules
 * behind it — a hint never moves an attempt, only makes us ask, and never asks twice for nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ATTEMPT_STATUSES,
  type AttemptStatus,
  FINAL_STATUSES,
  type HintClaim,
  type HintMeaning,
  hintMeaning,
  interpretAnswer,
  MAY_STILL_SUCCEED,
} from '../../src/payments/attempt-model';

const CLAIMS: readonly HintClaim[] = ['paid', 'failed', 'pending'];

const EXPECTED: Record<`${AttemptStatus}/${HintClaim}`, HintMeaning> = {
  'created/paid': 'verify',
  'created/failed': 'ignore',
  'created/pending': 'ignore',
  'in_flight/paid': 'ask',
  'in_flight/failed': 'ask',
  'in_flight/pending': 'ask',
  'unknown/paid': 'ask',
  'unknown/failed': 'ask',
  'unknown/pending': 'ask',
  'reversing/paid': 'ask',
  'reversing/failed': 'ask',
  'reversing/pending': 'ask',
  'succeeded/paid': 'repeat',
  'succeeded/failed': 'ignore',
  'succeeded/pending': 'ignore',
  'failed/paid': 'verify',
  'failed/failed': 'repeat',
  'failed/pending': 'ignore',
  'reversed/paid': 'verify',
  'reversed/failed': 'repeat',
  'reversed/pending': 'ignore',
  'needs_review/paid': 'note',
  'needs_review/failed': 'note',
  'needs_review/pending': 'note',
};

describe('hint meanings (every pair)', () => {
  for (const status of ATTEMPT_STATUSES)
    for (const claim of CLAIMS)
      it(`${claim} while ${status} → ${EXPECTED[`${status}/${claim}`]}`, () => {
        expect(hintMeaning(status, claim)).toBe(EXPECTED[`${status}/${claim}`]);
      });
});

describe('hint rules', () => {
  const pairs = fc.tuple(fc.constantFrom(...ATTEMPT_STATUSES), fc.constantFrom(...CLAIMS));

  it('a final attempt is never simply asked again: only a claim of money moved against our record is checked', () => {
    fc.assert(
      fc.property(pairs, ([status, claim]) => {
        const meaning = hintMeaning(status, claim);
        if (FINAL_STATUSES.has(status)) expect(meaning).not.toBe('ask');
        if (meaning === 'verify') {
          expect(claim).toBe('paid');
          // The provider's own "paid" in that state would be a conflict: a person must look.
          expect(interpretAnswer(status, 'paid').kind).toBe('conflict');
        }
      }),
    );
  });

  it('every attempt that may still succeed and has been sent is asked at once, whatever the hint claims', () => {
    for (const status of MAY_STILL_SUCCEED)
      for (const claim of CLAIMS) {
        const meaning = hintMeaning(status, claim);
        if (status === 'created') expect(meaning).not.toBe('ask');
        else if (status === 'needs_review') expect(meaning).toBe('note');
        else expect(meaning).toBe('ask');
      }
  });

  it('a paid attempt is never moved back: anything but "paid" is ignored, "paid" is a repeat', () => {
    expect(CLAIMS.map((c) => hintMeaning('succeeded', c))).toEqual(['repeat', 'ignore', 'ignore']);
  });
});
