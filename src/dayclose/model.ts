/**
 * 日结 (the day close, Z report), pure: what a till's day adds up to per tender, what the
 * drawer should hold against what was counted (by denomination), over or short, the terminal's
 * batch total against the card payments recorded, and what blocks the close: an attempt still
 * unknown, unless a manager acknowledged it. No I/O.
 */

import { DENOMINATIONS_FEN, type Denomination } from '../shared';

export { DENOMINATIONS_FEN, type Denomination };

export type CashCount = Partial<Record<`${Denomination}`, number>>;

/** What a count adds up to; null when a count is not a whole number from 0 to 10,000 or names no denomination. */
export function countedFen(count: CashCount): number | null {
  let total = 0;
  for (const [denomination, n] of Object.entries(count)) {
    if (!DENOMINATIONS_FEN.includes(Number(denomination) as Denomination)) return null;
    if (!Number.isSafeInteger(n) || (n as number) < 0 || (n as number) > 10_000) return null;
    total += Number(denomination) * (n as number);
  }
  return total;
}

/** One payment row of the day, as the close sees it. */
export interface DayPayment {
  tender: string;
  /** succeeded (took money for goods) | refunded (gave it back) | duplicate | duplicate_refunded. */
  status: string;
  amountFen: number;
}

export interface TenderTotals {
  tender: string;
  salesFen: number;
  salesCount: number;
  refundsFen: number;
  refundsCount: number;
  /** Charged twice and given back (or still to give back): beside the takings, never in them. */
  duplicatesFen: number;
  netFen: number;
}

export function tenderTotals(payments: readonly DayPayment[]): TenderTotals[] {
  const by = new Map<string, TenderTotals>();
  for (const p of payments) {
    const t =
      by.get(p.tender) ??
      ({
        tender: p.tender,
        salesFen: 0,
        salesCount: 0,
        refundsFen: 0,
        refundsCount: 0,
        duplicatesFen: 0,
        netFen: 0,
      } as TenderTotals);
    if (p.status === 'succeeded' && p.amountFen > 0) {
      t.salesFen += p.amountFen;
      t.salesCount++;
    } else if (p.status === 'refunded' || (p.status === 'succeeded' && p.amountFen < 0)) {
      t.refundsFen += -p.amountFen;
      t.refundsCount++;
    } else if (p.status === 'duplicate' || p.status === 'duplicate_refunded') t.duplicatesFen += p.amountFen;
    t.netFen = t.salesFen - t.refundsFen;
    by.set(p.tender, t);
  }
  return inTenderOrder([...by.values()]);
}

/** Cash first (the drawer), then card and the wallets, then anything else by name. */
function inTenderOrder(totals: TenderTotals[]): TenderTotals[] {
  const rank = (tender: string) => {
    const i = ['cash', 'card', 'alipay', 'wechat'].indexOf(tender);
    return i < 0 ? 99 : i;
  };
  return totals.sort((a, b) => rank(a.tender) - rank(b.tender) || (a.tender < b.tender ? -1 : 1));
}

export interface CloseFacts {
  payments: readonly DayPayment[];
  /** The float the drawer started the day with. */
  floatFen: number;
  count: CashCount;
  /** What the card terminal's own batch (settlement) slip says it took today; null when not given. */
  terminalBatchFen: number | null;
  /** Attempts of this till still being checked (their money may yet move). */
  unknownAttemptIds: readonly string[];
  /** Those a manager acknowledged, to close anyway. */
  acknowledgedIds: readonly string[];
  openSlips: number;
}

export interface ZReport {
  tenders: TenderTotals[];
  floatFen: number;
  cashExpectedFen: number;
  cashCountedFen: number;
  /** Counted less expected: above zero over (长款), below short (短款). */
  overShortFen: number;
  cardRecordedFen: number;
  terminalBatchFen: number | null;
  /** Terminal batch less recorded card takings; null when the batch total was not given. */
  batchDifferenceFen: number | null;
  unknownAttemptIds: string[];
  acknowledgedIds: string[];
  openSlips: number;
  count: CashCount;
}

export type CloseVerdict =
  | { ok: true; report: ZReport }
  | { ok: false; code: 'day_close_unknown_attempts'; unacknowledged: string[] }
  | { ok: false; code: 'day_close_bad_count' };

/**
 * The Z report, or why the day cannot be closed: a count that is not a count, or an attempt still
 * unknown that no manager acknowledged (its money may still move; closing would hide it).
 */
export function closeDay(f: CloseFacts): CloseVerdict {
  const counted = countedFen(f.count);
  if (counted === null || !Number.isSafeInteger(f.floatFen) || f.floatFen < 0)
    return { ok: false, code: 'day_close_bad_count' };
  const unacknowledged = f.unknownAttemptIds.filter((id) => !f.acknowledgedIds.includes(id));
  if (unacknowledged.length > 0)
    return { ok: false, code: 'day_close_unknown_attempts', unacknowledged: [...unacknowledged].sort() };
  const tenders = tenderTotals(f.payments);
  const cash = tenders.find((t) => t.tender === 'cash')?.netFen ?? 0;
  const card = tenders.find((t) => t.tender === 'card')?.netFen ?? 0;
  const expected = f.floatFen + cash;
  return {
    ok: true,
    report: {
      tenders,
      floatFen: f.floatFen,
      cashExpectedFen: expected,
      cashCountedFen: counted,
      overShortFen: counted - expected,
      cardRecordedFen: card,
      terminalBatchFen: f.terminalBatchFen,
      batchDifferenceFen: f.terminalBatchFen === null ? null : f.terminalBatchFen - card,
      unknownAttemptIds: [...f.unknownAttemptIds].sort(),
      acknowledgedIds: f.unknownAttemptIds.filter((id) => f.acknowledgedIds.includes(id)).sort(),
      openSlips: f.openSlips,
      count: f.count,
    },
  };
}

/**
 * The store's day (全店日结): its tills' Z reports added up — takings per tender, floats, cash
 * expected and counted, over/short, the drawers' notes and coins, card against the terminals'
 * batches (of the tills that gave one), what was acknowledged, open slips. Computed from the
 * tills' kept reports, never from payments again: once every till is closed it cannot change either.
 */
export function storeZReport(reports: readonly ZReport[]): ZReport {
  const tenders = new Map<string, TenderTotals>();
  const count: Record<string, number> = {};
  let batch: number | null = null;
  let batchDifference: number | null = null;
  const sum = (pick: (r: ZReport) => number) => reports.reduce((total, r) => total + pick(r), 0);
  for (const r of reports) {
    for (const t of r.tenders) {
      const into = tenders.get(t.tender);
      if (!into) tenders.set(t.tender, { ...t });
      else
        for (const k of [
          'salesFen',
          'salesCount',
          'refundsFen',
          'refundsCount',
          'duplicatesFen',
          'netFen',
        ] as const)
          into[k] += t[k];
    }
    for (const [d, n] of Object.entries(r.count)) count[d] = (count[d] ?? 0) + (n ?? 0);
    if (r.terminalBatchFen !== null) {
      batch = (batch ?? 0) + r.terminalBatchFen;
      batchDifference = (batchDifference ?? 0) + (r.batchDifferenceFen ?? 0);
    }
  }
  return {
    tenders: inTenderOrder([...tenders.values()]),
    floatFen: sum((r) => r.floatFen),
    cashExpectedFen: sum((r) => r.cashExpectedFen),
    cashCountedFen: sum((r) => r.cashCountedFen),
    overShortFen: sum((r) => r.overShortFen),
    cardRecordedFen: sum((r) => r.cardRecordedFen),
    terminalBatchFen: batch,
    batchDifferenceFen: batchDifference,
    unknownAttemptIds: reports.flatMap((r) => r.unknownAttemptIds).sort(),
    acknowledgedIds: reports.flatMap((r) => r.acknowledgedIds).sort(),
    openSlips: sum((r) => r.openSlips),
    count: count as CashCount,
  };
}
