import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeTotals,
  type Discount,
  LARGEST_BANKNOTE_FEN,
  type LineInput,
  SALE_EVENTS,
  SALE_STATUSES,
  SALE_TRANSITIONS,
  saleNumber,
  settleCash,
  transitionSale,
  validateTransitionTable,
} from '../../src/sales/model';

describe('sale status transitions', () => {
  const allowed: Record<string, string> = {
    'open/edit': 'open',
    'open/pay_in_full': 'completed',
    'open/pay_part': 'open',
    'on_account/pay_part': 'on_account',
    'open/void': 'voided',
    'completed/void_after_payment': 'voided',
    'open/charge': 'awaiting_payment',
    'awaiting_payment/charge_settled': 'open',
    'awaiting_payment/charge_completed': 'completed',
    'awaiting_payment/release': 'open',
    'open/park': 'parked',
    'parked/resume': 'open',
    'parked/park_expired': 'voided',
    'open/put_on_account': 'on_account',
    'awaiting_payment/put_on_account': 'on_account',
    'awaiting_payment/charge_back_on_account': 'on_account',
    'awaiting_payment/release_on_account': 'on_account',
    'on_account/pay_in_full': 'completed',
    'on_account/charge': 'awaiting_payment',
    'on_account/charge_completed': 'completed',
    'on_account/charge_back_on_account': 'on_account',
    'on_account/close_on_account': 'voided',
    'on_account/await_statement': 'awaiting_statement',
    'awaiting_statement/statement_settles': 'completed',
    'awaiting_statement/statement_disagrees': 'on_account',
    'completed/return': 'completed',
  };

  for (const from of SALE_STATUSES) {
    for (const event of SALE_EVENTS) {
      const expected = allowed[`${from}/${event}`];
      it(`${from} --${event}--> ${expected ?? 'refused'}`, () => {
        const result = transitionSale(from, event);
        if (expected) expect(result).toEqual({ ok: true, to: expected });
        else expect(result).toEqual({ ok: false, from, event });
      });
    }
  }

  it('the declared table is sound', () => {
    expect(validateTransitionTable(SALE_STATUSES, 'open', SALE_TRANSITIONS)).toEqual([]);
  });

  it('a sale on account keeps its lines: no edit, no plain void, no parking — only payments or a manager’s close', () => {
    for (const event of ['edit', 'void', 'park', 'void_after_payment'] as const)
      expect(transitionSale('on_account', event).ok).toBe(false);
  });

  it('a sale whose customer showed proof of payment takes no tender until the statement speaks', () => {
    for (const event of ['pay_in_full', 'charge', 'charge_completed', 'close_on_account', 'edit'] as const)
      expect(transitionSale('awaiting_statement', event).ok).toBe(false);
  });

  it('a parked sale cannot be edited, paid or voided until it is resumed: its goods are only reserved', () => {
    for (const event of ['edit', 'pay_in_full', 'void', 'charge'] as const)
      expect(transitionSale('parked', event).ok).toBe(false);
  });

  it('start-up validation names unknown targets and unreachable states', () => {
    const problems = validateTransitionTable(['a', 'b', 'c'] as const, 'a', {
      a: { go: 'x' as 'b' },
      b: {},
      c: {},
    });
    expect(problems).toContain('a --go--> unknown state x');
    expect(problems).toContain('b is unreachable from a');
    expect(problems).toContain('c is unreachable from a');
  });
});

const discountArb: fc.Arbitrary<Discount | null> = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 0, max: 10_000 }).map((basisPoints) => ({ kind: 'percent' as const, basisPoints })),
  fc.integer({ min: 0, max: 5_000 }).map((fen) => ({ kind: 'amount' as const, fen })),
);
const lineArb: fc.Arbitrary<LineInput> = fc.record({
  unitPriceFen: fc.integer({ min: 0, max: 200_000 }),
  qty: fc.integer({ min: 1, max: 999 }),
  discount: discountArb,
});

describe('sale totals', () => {
  it('a plain sale totals its lines', () => {
    const result = computeTotals(
      [
        { unitPriceFen: 7900, qty: 2, discount: null },
        { unitPriceFen: 34900, qty: 1, discount: null },
      ],
      null,
    );
    expect(result).toMatchObject({
      ok: true,
      totals: { subtotalFen: 50700, lineDiscountFen: 0, saleDiscountFen: 0, totalFen: 50700 },
    });
  });

  it('applies line discounts first, then shares the sale discount in proportion', () => {
    const result = computeTotals(
      [
        { unitPriceFen: 10000, qty: 1, discount: { kind: 'percent', basisPoints: 1000 } }, // 100 → 90
        { unitPriceFen: 3000, qty: 1, discount: { kind: 'amount', fen: 1000 } }, // 30 → 20
      ],
      { kind: 'amount', fen: 1100 }, // 11 off the remaining 110
    );
    if (!result.ok) throw new Error('refused');
    expect(result.totals.lines.map((l) => l.saleDiscountShareFen)).toEqual([900, 200]);
    expect(result.totals.totalFen).toBe(9900);
  });

  it('refuses a line discount larger than the line, naming the line', () => {
    expect(
      computeTotals(
        [
          { unitPriceFen: 100, qty: 1, discount: null },
          { unitPriceFen: 100, qty: 1, discount: { kind: 'amount', fen: 101 } },
        ],
        null,
      ),
    ).toEqual({
      ok: false,
      code: 'discount_exceeds_amount',
      lineIndex: 1,
    });
  });

  it('refuses a sale discount larger than what is left', () => {
    expect(
      computeTotals([{ unitPriceFen: 100, qty: 1, discount: null }], { kind: 'amount', fen: 101 }),
    ).toMatchObject({ ok: false, code: 'discount_exceeds_amount', lineIndex: null });
  });

  it('refuses a sale whose amounts overflow the money bound', () => {
    expect(
      computeTotals(
        [
          { unitPriceFen: 100_000_000, qty: 999, discount: null },
          { unitPriceFen: 100_000_000, qty: 999, discount: null },
        ],
        null,
      ),
    ).toMatchObject({
      ok: false,
      code: 'amount_out_of_range',
    });
  });

  it('keeps its invariants for any lines and discounts (property)', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 0, maxLength: 30 }), discountArb, (lines, saleDiscount) => {
        const result = computeTotals(lines, saleDiscount);
        if (!result.ok) {
          expect(result.code).toBe('discount_exceeds_amount');
          return;
        }
        const t = result.totals;
        expect(t.lines.reduce((a, l) => a + l.totalFen, 0)).toBe(t.totalFen);
        expect(t.lines.reduce((a, l) => a + l.saleDiscountShareFen, 0)).toBe(t.saleDiscountFen);
        expect(t.totalFen).toBe(t.subtotalFen - t.lineDiscountFen - t.saleDiscountFen);
        for (const l of t.lines) {
          expect(l.totalFen).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(l.totalFen)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on the order of the lines, except for the fen of tie remainders (property)', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 10 }), discountArb, (lines, saleDiscount) => {
        const a = computeTotals(lines, saleDiscount);
        const b = computeTotals([...lines].reverse(), saleDiscount);
        expect(a.ok).toBe(b.ok);
        if (a.ok && b.ok) expect(a.totals.totalFen).toBe(b.totals.totalFen);
      }),
    );
  });
});

describe('cash settlement', () => {
  it('gives change for what is over the amount due', () => {
    expect(settleCash(50700, 60000)).toEqual({
      ok: true,
      amountFen: 50700,
      changeFen: 9300,
      needsApproval: false,
    });
    expect(settleCash(50700, 50700)).toEqual({
      ok: true,
      amountFen: 50700,
      changeFen: 0,
      needsApproval: false,
    });
  });
  it('change of a largest banknote (¥100) or more needs a supervisor: ¥10,000,000 for a ¥158 sale is not taken as it is', () => {
    expect(settleCash(15_800, 1_000_000_000)).toMatchObject({ ok: true, needsApproval: true });
    expect(settleCash(15_800, 15_800 + LARGEST_BANKNOTE_FEN - 1)).toMatchObject({
      ok: true,
      needsApproval: false,
    });
    expect(settleCash(15_800, 15_800 + LARGEST_BANKNOTE_FEN)).toMatchObject({
      ok: true,
      needsApproval: true,
    });
  });
  it('cash may be the first part of a split: ¥200 of ¥644.07, no change, the rest due another way', () => {
    expect(settleCash(64_407, 20_000, 20_000)).toEqual({
      ok: true,
      amountFen: 20_000,
      changeFen: 0,
      needsApproval: false,
    });
    expect(settleCash(64_407, 20_000, 64_408)).toEqual({ ok: false, code: 'amount_exceeds_due' });
    expect(settleCash(64_407, 10_000, 20_000)).toEqual({ ok: false, code: 'tendered_insufficient' });
    expect(settleCash(64_407, 20_000, 0)).toEqual({ ok: false, code: 'amount_out_of_range' });
  });
  it('refuses too little cash and absurd amounts', () => {
    expect(settleCash(50700, 50699)).toEqual({ ok: false, code: 'tendered_insufficient' });
    expect(settleCash(100, -1)).toEqual({ ok: false, code: 'amount_out_of_range' });
    expect(settleCash(100, 1.5)).toEqual({ ok: false, code: 'amount_out_of_range' });
    expect(settleCash(100, Number.MAX_SAFE_INTEGER)).toEqual({ ok: false, code: 'amount_out_of_range' });
  });
  it('never gives negative change or keeps more than due (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }), (due, tendered) => {
        const r = settleCash(due, tendered);
        if (r.ok) {
          expect(r.amountFen).toBe(due);
          expect(r.changeFen).toBe(tendered - due);
          expect(r.changeFen).toBeGreaterThanOrEqual(0);
          expect(r.needsApproval).toBe(r.changeFen >= LARGEST_BANKNOTE_FEN);
        } else expect(tendered).toBeLessThan(due);
      }),
    );
  });
});

it('numbers sales per store and day', () => {
  expect(saleNumber('SH01', '20261123', 7)).toBe('SH01-20261123-0007');
});
