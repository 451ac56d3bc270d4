/** Feedback and complaints, the pure rules: the complaint's table pair by pair, what a compensation must say, where a refund comes from. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPLAINT_EVENTS,
  COMPLAINT_STATUSES,
  COMPLAINT_TRANSITIONS,
  compensationProblem,
  MAX_COMPENSATION_FEN,
  refundSource,
  transitionComplaint,
  wantsAttention,
} from '../../src/feedback';
import { validateTransitionTable } from '../../src/kernel';

describe('the complaint, pair by pair', () => {
  const allowed: Record<string, string> = {
    'open/compensate': 'open',
    'open/note': 'open',
    'open/resolve': 'resolved',
    'resolved/reopen': 'open',
    'resolved/note': 'resolved',
  };
  for (const from of COMPLAINT_STATUSES)
    for (const event of COMPLAINT_EVENTS) {
      const expected = allowed[`${from}/${event}`];
      it(`${from} --${event}--> ${expected ?? 'refused'}`, () => {
        const result = transitionComplaint(from, event);
        if (expected) expect(result).toEqual({ ok: true, to: expected });
        else expect(result).toEqual({ ok: false, from, event });
      });
    }
  it('the declared table is sound', () => {
    expect(validateTransitionTable(COMPLAINT_STATUSES, 'open', COMPLAINT_TRANSITIONS)).toEqual([]);
  });
});

describe('feedback that wants a person', () => {
  it('one and two stars do; three to five do not', () => {
    expect([1, 2, 3, 4, 5].map(wantsAttention)).toEqual([true, true, false, false, false]);
  });
});

describe('what a compensation must say', () => {
  it('a value above nothing, within the store’s limit, in whole fen', () => {
    for (const v of [0, -1, 1.5, MAX_COMPENSATION_FEN + 1, Number.NaN])
      expect(compensationProblem({ kind: 'gift', valueFen: v, detail: 'socks' }, true)).toBe(
        'amount_out_of_range',
      );
    expect(
      compensationProblem({ kind: 'gift', valueFen: MAX_COMPENSATION_FEN, detail: 'socks' }, true),
    ).toBeNull();
  });
  it('a coupon its code and a gift what it is; a refund only with a sale', () => {
    expect(compensationProblem({ kind: 'coupon', valueFen: 100, detail: ' ' }, true)).toBe('detail_missing');
    expect(compensationProblem({ kind: 'gift', valueFen: 100, detail: '' }, false)).toBe('detail_missing');
    expect(compensationProblem({ kind: 'refund', valueFen: 100, detail: '' }, false)).toBe(
      'refund_needs_sale',
    );
    expect(compensationProblem({ kind: 'refund', valueFen: 100, detail: '' }, true)).toBeNull();
  });
});

describe('where a refund comes from', () => {
  it('the oldest payment with enough left, never more than any has left', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            amountFen: fc.integer({ min: 1, max: 10_000 }),
            refundedFen: fc.integer({ min: 0, max: 10_000 }),
          }),
          { maxLength: 5 },
        ),
        fc.integer({ min: 1, max: 10_000 }),
        (raw, want) => {
          const paid = raw.map((p, i) => ({
            id: `p${i}`,
            amountFen: p.amountFen,
            refundedFen: Math.min(p.refundedFen, p.amountFen),
          }));
          const source = refundSource(paid, want);
          const fits = paid.filter((p) => p.amountFen - p.refundedFen >= want);
          if (fits.length === 0) return source === null;
          return source === fits[0];
        },
      ),
    );
  });
});
