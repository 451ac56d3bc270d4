/** 日结, the pure rules: counting the drawer, totals per tender, over/short, the terminal batch, what blocks a close. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closeDay, countedFen, storeZReport, tenderTotals, type ZReport } from '../../src/dayclose';

describe('counting the drawer', () => {
  it('adds notes and coins by denomination, in fen', () => {
    expect(countedFen({ '10000': 3, '5000': 1, '100': 2, '50': 1, '10': 3 })).toBe(35_280);
    expect(countedFen({})).toBe(0);
  });
  it('refuses what is not a count: an unknown denomination, a fraction, a negative, an absurd number', () => {
    for (const bad of [{ '3000': 1 }, { '100': 1.5 }, { '100': -1 }, { '100': 10_001 }])
      expect(countedFen(bad as never)).toBeNull();
  });
});

describe('totals per tender', () => {
  it('sales, refunds and charges taken twice apart; cash first', () => {
    const totals = tenderTotals([
      { tender: 'card', status: 'succeeded', amountFen: 899_00 },
      { tender: 'cash', status: 'succeeded', amountFen: 120_00 },
      { tender: 'cash', status: 'refunded', amountFen: -120_00 },
      { tender: 'cash', status: 'succeeded', amountFen: 50_00 },
      { tender: 'alipay', status: 'duplicate', amountFen: 30_00 },
      { tender: 'alipay', status: 'duplicate_refunded', amountFen: -30_00 },
    ]);
    expect(totals).toEqual([
      {
        tender: 'cash',
        salesFen: 170_00,
        salesCount: 2,
        refundsFen: 120_00,
        refundsCount: 1,
        duplicatesFen: 0,
        netFen: 50_00,
      },
      {
        tender: 'card',
        salesFen: 899_00,
        salesCount: 1,
        refundsFen: 0,
        refundsCount: 0,
        duplicatesFen: 0,
        netFen: 899_00,
      },
      {
        tender: 'alipay',
        salesFen: 0,
        salesCount: 0,
        refundsFen: 0,
        refundsCount: 0,
        duplicatesFen: 0,
        netFen: 0,
      },
    ]);
  });
});

describe('closing the day', () => {
  const base = {
    payments: [
      { tender: 'cash', status: 'succeeded', amountFen: 100_00 },
      { tender: 'card', status: 'succeeded', amountFen: 300_00 },
    ],
    floatFen: 500_00,
    count: { '10000': 6 },
    terminalBatchFen: 300_00,
    unknownAttemptIds: [],
    acknowledgedIds: [],
    openSlips: 0,
  };
  it('cash expected is the float plus cash taken; counted agrees: even; the batch agrees with the card takings', () => {
    const v = closeDay(base);
    expect(v).toMatchObject({
      ok: true,
      report: { cashExpectedFen: 600_00, cashCountedFen: 600_00, overShortFen: 0, batchDifferenceFen: 0 },
    });
  });
  it('an attempt still being checked blocks the close until a manager acknowledges it; it stays on the report', () => {
    expect(closeDay({ ...base, unknownAttemptIds: ['a2', 'a1'] })).toEqual({
      ok: false,
      code: 'day_close_unknown_attempts',
      unacknowledged: ['a1', 'a2'],
    });
    expect(closeDay({ ...base, unknownAttemptIds: ['a2', 'a1'], acknowledgedIds: ['a1'] })).toMatchObject({
      ok: false,
      unacknowledged: ['a2'],
    });
    expect(closeDay({ ...base, unknownAttemptIds: ['a1'], acknowledgedIds: ['a1'] })).toMatchObject({
      ok: true,
      report: { acknowledgedIds: ['a1'] },
    });
  });
  it('a bad count or float is refused; no batch total entered leaves the difference unknown', () => {
    expect(closeDay({ ...base, count: { '7': 1 } as never })).toEqual({
      ok: false,
      code: 'day_close_bad_count',
    });
    expect(closeDay({ ...base, floatFen: -1 })).toEqual({ ok: false, code: 'day_close_bad_count' });
    expect(closeDay({ ...base, terminalBatchFen: null })).toMatchObject({
      ok: true,
      report: { batchDifferenceFen: null },
    });
  });
  it('over/short is always counted less expected, whatever the day (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            amount: fc.integer({ min: -50_000, max: 100_000 }),
            tender: fc.constantFrom('cash', 'card', 'wechat'),
          }),
          { maxLength: 30 },
        ),
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 8, maxLength: 8 }),
        (rows, floatFen, counts) => {
          const count = Object.fromEntries(
            [10_000, 5_000, 2_000, 1_000, 500, 100, 50, 10].map((d, i) => [String(d), counts[i]!]),
          );
          const payments = rows.map((r) => ({
            tender: r.tender,
            status: r.amount >= 0 ? 'succeeded' : 'refunded',
            amountFen: r.amount,
          }));
          const v = closeDay({ ...base, payments, floatFen, count });
          if (!v.ok) return false;
          const cash = payments.filter((p) => p.tender === 'cash').reduce((s, p) => s + p.amountFen, 0);
          return (
            v.report.cashExpectedFen === floatFen + cash &&
            v.report.overShortFen === v.report.cashCountedFen - v.report.cashExpectedFen
          );
        },
      ),
    );
  });
});

describe('the store’s day (全店日结)', () => {
  const till = (over: Partial<Parameters<typeof closeDay>[0]>): ZReport => {
    const v = closeDay({
      payments: [],
      floatFen: 0,
      count: {},
      terminalBatchFen: null,
      unknownAttemptIds: [],
      acknowledgedIds: [],
      openSlips: 0,
      ...over,
    });
    if (!v.ok) throw new Error(v.code);
    return v.report;
  };
  const one = till({
    payments: [
      { tender: 'cash', status: 'succeeded', amountFen: 100_00 },
      { tender: 'card', status: 'succeeded', amountFen: 300_00 },
    ],
    floatFen: 500_00,
    count: { '10000': 6 },
    terminalBatchFen: 290_00,
    unknownAttemptIds: ['a1'],
    acknowledgedIds: ['a1'],
    openSlips: 1,
  });
  const two = till({
    payments: [
      { tender: 'cash', status: 'succeeded', amountFen: 50_00 },
      { tender: 'cash', status: 'refunded', amountFen: -20_00 },
      { tender: 'wechat', status: 'succeeded', amountFen: 80_00 },
    ],
    floatFen: 200_00,
    count: { '10000': 2, '1000': 2 },
    openSlips: 2,
  });

  it('adds up its tills: tenders merged, drawers and over/short summed, the batch of the tills that gave one', () => {
    const store = storeZReport([one, two]);
    expect(store.tenders.map((t) => [t.tender, t.salesFen, t.refundsFen, t.netFen])).toEqual([
      ['cash', 150_00, 20_00, 130_00],
      ['card', 300_00, 0, 300_00],
      ['wechat', 80_00, 0, 80_00],
    ]);
    expect(store).toMatchObject({
      floatFen: 700_00,
      cashExpectedFen: 830_00,
      cashCountedFen: 820_00,
      overShortFen: -10_00,
      cardRecordedFen: 300_00,
      terminalBatchFen: 290_00,
      batchDifferenceFen: -10_00,
      acknowledgedIds: ['a1'],
      openSlips: 3,
      count: { '10000': 8, '1000': 2 },
    });
  });

  it('one till is the store; the order of the tills changes nothing; no batch entered anywhere stays unknown', () => {
    expect(storeZReport([one])).toEqual(one);
    expect(storeZReport([two, one])).toEqual(storeZReport([one, two]));
    expect(storeZReport([two])).toMatchObject({ terminalBatchFen: null, batchDifferenceFen: null });
  });
});
