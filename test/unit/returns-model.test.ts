/**
 * Returns, pure (src/returns): what may still come back of a sale, what each unit gives back, how
 * a refund splits across the sale's tenders and which operation each provider takes — held to
 * their promises over random sales, random sequences of returns and every provider's window.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../../src/kernel';
import {
  DEFAULT_REFUND_RULES,
  DEFAULT_RETURN_POLICY,
  operationFor,
  type PaidTender,
  planRefund,
  planReturn,
  policyAllows,
  refundForUnits,
  type SoldLine,
  stillHeld,
} from '../../src/returns';

const line = fc.record({
  lineId: fc.constantFrom('l1', 'l2', 'l3', 'l4'),
  variantId: fc.constant('v'),
  qty: fc.integer({ min: 1, max: 12 }),
  totalFen: fc.integer({ min: 0, max: 5_000_000 }),
});
const sale = fc.uniqueArray(line, { minLength: 1, maxLength: 4, selector: (l) => l.lineId });

describe('what a returned unit gives back', () => {
  it('adds up to exactly what the line was sold for, however the units come back', () => {
    fc.assert(
      fc.property(line, fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 12 }), (l, steps) => {
        let back = 0;
        let refunded = 0;
        for (const step of steps) {
          const q = Math.min(step, l.qty - back);
          if (q === 0) break;
          const r = refundForUnits(l, back, q);
          // Never off the proportional share by a fen or more.
          expect(Math.abs(r - (l.totalFen * q) / l.qty)).toBeLessThan(1);
          back += q;
          refunded += r;
        }
        refunded += refundForUnits(l, back, l.qty - back);
        expect(refunded).toBe(l.totalFen);
      }),
    );
  });

  it('is one third of ¥100.00 for one of three, and the last unit takes the odd fen', () => {
    const l: SoldLine = { lineId: 'l1', variantId: 'v', qty: 3, totalFen: 10_000 };
    expect([refundForUnits(l, 0, 1), refundForUnits(l, 1, 1), refundForUnits(l, 2, 1)]).toEqual([
      3_333, 3_333, 3_334,
    ]);
  });
});

describe('what may be returned of a sale', () => {
  it('never lets more units come back than were sold, over any sequence of returns', () => {
    fc.assert(
      fc.property(
        sale,
        fc.array(
          fc.array(
            fc.record({
              lineId: fc.constantFrom('l1', 'l2', 'l3', 'l4', 'lx'),
              qty: fc.integer({ min: -1, max: 8 }),
            }),
            { maxLength: 4 },
          ),
          { maxLength: 8 },
        ),
        (sold, asks) => {
          const returned = new Map<string, number>();
          let refunded = 0;
          for (const ask of asks) {
            const plan = planReturn(sold, returned, ask);
            if (!plan.ok) continue;
            for (const l of plan.lines) returned.set(l.lineId, (returned.get(l.lineId) ?? 0) + l.qty);
            refunded += plan.refundFen;
          }
          for (const l of sold) expect(returned.get(l.lineId) ?? 0).toBeLessThanOrEqual(l.qty);
          // What is left comes back in one return, and the whole sale's money is given back exactly.
          const rest = sold.filter((l) => (returned.get(l.lineId) ?? 0) < l.qty);
          if (rest.length > 0) {
            const last = planReturn(
              sold,
              returned,
              rest.map((l) => ({ lineId: l.lineId, qty: l.qty - (returned.get(l.lineId) ?? 0) })),
            );
            expect(last.ok).toBe(true);
            if (last.ok) refunded += last.refundFen;
          }
          expect(refunded).toBe(sold.reduce((s, l) => s + l.totalFen, 0));
        },
      ),
    );
  });

  it('says what is wrong with a return it refuses', () => {
    const sold: SoldLine[] = [{ lineId: 'l1', variantId: 'v', qty: 2, totalFen: 20_000 }];
    const none = new Map<string, number>();
    expect(planReturn(sold, none, [])).toEqual({ ok: false, problem: { code: 'return_nothing' } });
    expect(planReturn(sold, none, [{ lineId: 'lx', qty: 1 }])).toMatchObject({
      problem: { code: 'return_line_unknown' },
    });
    expect(
      planReturn(sold, none, [
        { lineId: 'l1', qty: 1 },
        { lineId: 'l1', qty: 1 },
      ]),
    ).toMatchObject({
      problem: { code: 'return_line_twice' },
    });
    for (const qty of [0, -1, 1.5, Number.NaN])
      expect(planReturn(sold, none, [{ lineId: 'l1', qty }])).toMatchObject({
        problem: { code: 'return_qty_invalid' },
      });
    expect(planReturn(sold, new Map([['l1', 1]]), [{ lineId: 'l1', qty: 2 }])).toEqual({
      ok: false,
      problem: { code: 'return_qty_exceeds', lineId: 'l1', returnableQty: 1 },
    });
  });
});

const NOW = { at: Date.parse('2026-12-04T04:00:00Z'), day: '2026-12-04' };
const paid = (over: Partial<PaidTender>): PaidTender => ({
  paymentId: 'p1',
  attemptId: 'a1',
  tender: 'card',
  paidFen: 10_000,
  refundedFen: 0,
  paidAt: NOW.at - 3_600_000,
  paidDay: NOW.day,
  batchOpen: true,
  refundsSoFar: 0,
  lastRefundAt: null,
  ...over,
});

const tender = fc.record({
  paymentId: fc.uuid(),
  attemptId: fc.option(fc.constant('a'), { nil: null }),
  tender: fc.constantFrom('cash', 'card', 'alipay', 'wechat', 'bank_transfer'),
  paidFen: fc.integer({ min: 1, max: 1_000_000 }),
  refundedFen: fc.constant(0),
  paidAt: fc.integer({ min: NOW.at - 400 * 86_400_000, max: NOW.at }),
  paidDay: fc.constantFrom('2025-11-01', '2026-09-04', '2026-11-20', '2026-12-04'),
  batchOpen: fc.boolean(),
  refundsSoFar: fc.integer({ min: 0, max: 60 }),
  lastRefundAt: fc.option(fc.integer({ min: NOW.at - 120_000, max: NOW.at }), { nil: null }),
}) as fc.Arbitrary<PaidTender>;

describe('how a refund goes back to the sale’s tenders', () => {
  it('splits into parts that add up to the amount, none beyond what its payment still holds, cash last', () => {
    fc.assert(
      fc.property(
        fc.array(tender, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 4_000_000 }),
        (tenders, amount) => {
          const plan = planRefund(tenders, amount, NOW);
          const held = tenders.reduce((s, t) => s + stillHeld(t), 0);
          if (amount > held) {
            expect(plan).toEqual({ ok: false, code: 'refund_exceeds_refundable', refundableFen: held });
            return;
          }
          expect(plan.ok).toBe(true);
          if (!plan.ok) return;
          expect(plan.parts.reduce((s, p) => s + p.amountFen, 0)).toBe(amount);
          for (const p of plan.parts) {
            const t = tenders.find((x) => x.paymentId === p.paymentId)!;
            expect(p.amountFen).toBeGreaterThan(0);
            expect(p.amountFen).toBeLessThanOrEqual(stillHeld(t));
            expect(p.operation === null).toBe(p.blocked !== null);
          }
          // Cash gives back only once every card and wallet payment has given back all it holds.
          if (plan.parts.some((p) => p.tender === 'cash'))
            for (const t of tenders.filter((t) => t.tender !== 'cash'))
              expect(plan.parts.find((p) => p.paymentId === t.paymentId)?.amountFen ?? 0).toBe(stillHeld(t));
        },
      ),
    );
  });

  it('never refunds a payment beyond what it had, over any sequence of refunds', () => {
    fc.assert(
      fc.property(
        fc.array(tender, { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 600_000 }), { maxLength: 10 }),
        (start, amounts) => {
          let tenders = start;
          for (const amount of amounts) {
            const plan = planRefund(tenders, amount, NOW);
            if (!plan.ok) continue;
            tenders = tenders.map((t) => ({
              ...t,
              refundedFen:
                t.refundedFen +
                plan.parts.filter((p) => p.paymentId === t.paymentId).reduce((s, p) => s + p.amountFen, 0),
            }));
            for (const t of tenders) expect(t.refundedFen).toBeLessThanOrEqual(t.paidFen);
          }
        },
      ),
    );
  });

  it('refuses nothing, a fraction of a fen, and more than the sale still holds', () => {
    const t = [paid({})];
    expect(planRefund(t, 0, NOW)).toEqual({ ok: false, code: 'refund_invalid_amount' });
    expect(planRefund(t, 10.5, NOW)).toEqual({ ok: false, code: 'refund_invalid_amount' });
    expect(planRefund([paid({ refundedFen: 4_000 })], 6_001, NOW)).toEqual({
      ok: false,
      code: 'refund_exceeds_refundable',
      refundableFen: 6_000,
    });
  });

  it('a card + cash sale, part returned: the card gives back first, by refund (not a void: not the whole payment)', () => {
    const plan = planRefund(
      [
        paid({ paymentId: 'cash', tender: 'cash', paidFen: 5_000, paidAt: NOW.at - 7_200_000 }),
        paid({ paymentId: 'card', paidFen: 20_000 }),
      ],
      22_000,
      NOW,
    );
    expect(plan).toEqual({
      ok: true,
      parts: [
        {
          paymentId: 'card',
          attemptId: 'a1',
          tender: 'card',
          amountFen: 20_000,
          operation: 'card_void',
          blocked: null,
          notBefore: null,
        },
        {
          paymentId: 'cash',
          attemptId: 'a1',
          tender: 'cash',
          amountFen: 2_000,
          operation: 'cash_refund',
          blocked: null,
          notBefore: null,
        },
      ],
    });
    expect(planRefund([paid({ paidFen: 20_000 })], 5_000, NOW)).toMatchObject({
      parts: [{ operation: 'card_refund' }],
    });
  });
});

describe('which operation each provider takes', () => {
  const op = (t: PaidTender, amountFen = t.paidFen - t.refundedFen, now = NOW) =>
    operationFor(t, amountFen, now, DEFAULT_REFUND_RULES);

  it('card: a void only the same day, for the whole payment, before the batch is settled; else a refund within 30 days', () => {
    expect(op(paid({}))).toMatchObject({ operation: 'card_void' });
    expect(op(paid({ batchOpen: false }))).toMatchObject({ operation: 'card_refund' });
    expect(op(paid({}), 9_999)).toMatchObject({ operation: 'card_refund' });
    expect(op(paid({ refundedFen: 1 }))).toMatchObject({ operation: 'card_refund' });
    expect(op(paid({ paidDay: '2026-12-03' }))).toMatchObject({ operation: 'card_refund' });
    expect(op(paid({ paidDay: '2026-11-04', batchOpen: false }))).toMatchObject({ operation: 'card_refund' });
    expect(op(paid({ paidDay: '2026-11-03', batchOpen: false }))).toEqual({
      operation: null,
      notBefore: null,
      blocked: { code: 'refund_window_passed', lastDay: '2026-12-03' },
    });
  });

  it('Alipay: within three calendar months of the payment', () => {
    const alipay = (paidDay: string) => op(paid({ tender: 'alipay', paidDay }));
    expect(alipay('2026-09-04')).toMatchObject({ operation: 'alipay_refund' });
    expect(alipay('2026-09-03')).toMatchObject({
      blocked: { code: 'refund_window_passed', lastDay: '2026-12-03' },
    });
  });

  it('WeChat Pay: within a year, at most 50 refunds of an order, a minute apart (it waits, it is not refused)', () => {
    const wechat = (over: Partial<PaidTender>) => op(paid({ tender: 'wechat', ...over }));
    expect(wechat({ paidDay: '2025-12-04' })).toMatchObject({ operation: 'wechat_refund', notBefore: null });
    expect(wechat({ paidDay: '2025-12-03' })).toMatchObject({ blocked: { code: 'refund_window_passed' } });
    expect(wechat({ refundsSoFar: 49 })).toMatchObject({ operation: 'wechat_refund' });
    expect(wechat({ refundsSoFar: 50 })).toMatchObject({
      blocked: { code: 'refund_limit_reached', limit: 50 },
    });
    expect(wechat({ lastRefundAt: NOW.at - 20_000 })).toMatchObject({
      operation: 'wechat_refund',
      notBefore: NOW.at + 40_000,
    });
    expect(wechat({ lastRefundAt: NOW.at - 60_000 })).toMatchObject({ notBefore: null });
  });

  it('cash from the drawer; a bank transfer no provider can give back (the fallback is offered)', () => {
    expect(op(paid({ tender: 'cash', paidDay: '2020-01-01' }))).toMatchObject({ operation: 'cash_refund' });
    expect(op(paid({ tender: 'bank_transfer', attemptId: null }))).toMatchObject({
      operation: null,
      blocked: { code: 'refund_outside_providers' },
    });
  });
});

describe('the store’s return policy', () => {
  const ask = (over: Partial<Parameters<typeof policyAllows>[1]> = {}) =>
    policyAllows(DEFAULT_RETURN_POLICY, {
      soldDay: '2026-11-27',
      today: NOW.day,
      withReceipt: true,
      reason: 'does_not_fit',
      ...over,
    });

  it('takes a sale back for seven days after the day of sale, to its own tenders', () => {
    expect(ask()).toEqual({ ok: true, mode: 'to_tenders', lastDay: '2026-12-04' });
    expect(ask({ soldDay: '2026-11-26' })).toEqual({
      ok: false,
      code: 'return_window_passed',
      lastDay: '2026-12-03',
    });
    expect(ask({ reason: 'teleport' })).toEqual({ ok: false, code: 'return_reason_unknown' });
  });

  it('without the receipt: cash only, up to the limit, with a manager’s approval — or not at all', () => {
    expect(ask({ withReceipt: false })).toEqual({
      ok: true,
      mode: 'cash_with_approval',
      lastDay: '2026-12-04',
      approverRole: 'manager',
      cashLimitFen: 50_000,
    });
    expect(
      policyAllows(
        { ...DEFAULT_RETURN_POLICY, noReceipt: null },
        { soldDay: '2026-12-01', today: NOW.day, withReceipt: false, reason: 'quality' },
      ),
    ).toEqual({
      ok: false,
      code: 'return_receipt_required',
    });
    expect(
      policyAllows(
        { ...DEFAULT_RETURN_POLICY, receiptRequired: false },
        { soldDay: '2026-12-01', today: NOW.day, withReceipt: false, reason: 'quality' },
      ),
    ).toMatchObject({
      mode: 'to_tenders',
    });
  });
});

describe('the calendar returns count on', () => {
  it('counts months by the calendar, a short month clamping the day', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-12-04', 12)).toBe('2027-12-04');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
