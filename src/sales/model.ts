/**
 * Sale rules without I/O: the declared status transitions, discounts and totals, and cash
 * settlement. Every function here is pure and tested exhaustively (test/unit/sales-*.test.ts).
 */
import {
  allocateProportionally,
  assertFen,
  basisPointsOf,
  closingOf,
  DEFAULT_HOURS,
  type Lifecycle,
  MAX_AMOUNT_FEN,
  type StoreHours,
  type TransitionResult,
  transitionIn,
  validateTransitionTable,
} from '../kernel';
import { PARKED_STATUSES, type ParkedStatus, SALE_STATUSES, type SaleStatus } from '../shared';

export { validateTransitionTable };

// ---------------------------------------------------------------- status transitions

export { SALE_STATUSES, type SaleStatus };

export const SALE_EVENTS = [
  'edit',
  'pay_in_full',
  'void',
  'void_after_payment',
  /** A card or wallet attempt starts: the cart is frozen while money may move. */
  'charge',
  /** Cash for part of what is due: the first part of a split; the sale stays as it was. */
  'pay_part',
  /** The attempt ended without finishing the sale (failed, reversed, or paid part of it). */
  'charge_settled',
  /** The attempt paid what was left: the sale completes. */
  'charge_completed',
  /**
   * A manager lets the sale take another tender while an earlier attempt is still unknown (the
   * customer cannot wait). The attempt goes on; if it turns out paid, it goes to review for a refund.
   */
  'release',
  /** 挂单: set aside to serve the next customer; its goods are reserved, not sold. */
  'park',
  /** Taken up again, at any till of the store; the reservation is released. */
  'resume',
  /** Not taken up in time: the reservation is released and the sale ends, nothing having been paid. */
  'park_expired',
  /** 小单: it cannot be finished now; a provisional slip says who owes what (even while an attempt is unknown). */
  'put_on_account',
  /** An attempt on a sale on account ended without finishing it: back on account, not open. */
  'charge_back_on_account',
  /** The lock lifted on a sale on account: back on account for another tender. */
  'release_on_account',
  /** The customer never came back: the goods held go back on sale, or the goods taken are written off. */
  'close_on_account',
  /**
   * The customer showed proof the money was taken (a bank or wallet record): no tender may take it
   * again until the statement says whether it arrived.
   */
  'await_statement',
  /** The statement holds the money: recorded against the sale, which completes. */
  'statement_settles',
  /** The statement does not hold it: back on account, payable again. */
  'statement_disagrees',
  /** 退货: some of its lines came back and their money went back; the sale stays completed. */
  'return',
] as const;
export type SaleEvent = (typeof SALE_EVENTS)[number];

/** The whole life of a sale as data: (state, event) → next state. Absent pairs are forbidden. */
export const SALE_TRANSITIONS: Readonly<Record<SaleStatus, Partial<Record<SaleEvent, SaleStatus>>>> = {
  open: {
    edit: 'open',
    pay_in_full: 'completed',
    pay_part: 'open',
    void: 'voided',
    charge: 'awaiting_payment',
    park: 'parked',
    put_on_account: 'on_account',
  },
  awaiting_payment: {
    charge_settled: 'open',
    charge_completed: 'completed',
    release: 'open',
    put_on_account: 'on_account',
    charge_back_on_account: 'on_account',
    release_on_account: 'on_account',
  },
  // Takes the money back and the goods back in; needs a manager's approval (src/approvals).
  completed: { void_after_payment: 'voided', return: 'completed' },
  voided: {},
  parked: { resume: 'open', park_expired: 'voided' },
  // Its lines are fixed: only payments (any tender, any till, the pay-later page) or a manager's close.
  on_account: {
    pay_in_full: 'completed',
    pay_part: 'on_account',
    charge: 'awaiting_payment',
    // An attempt still unknown when the slip was issued ends on the sale on account.
    charge_completed: 'completed',
    charge_back_on_account: 'on_account',
    close_on_account: 'voided',
    await_statement: 'awaiting_statement',
  },
  // Nothing may be charged while the customer's proof waits for the statement (no money taken twice).
  awaiting_statement: {
    statement_settles: 'completed',
    statement_disagrees: 'on_account',
  },
};

export function transitionSale(from: SaleStatus, event: SaleEvent): TransitionResult<SaleStatus> {
  return transitionIn(SALE_TRANSITIONS, from, event);
}

/** A parked sale holds its goods this long, unless the store closes first (then until closing). */
export const PARK_HOLD_MS = 4 * 3_600_000;

/** When a parked sale's reservation ends: the hold time, but never past closing that day. */
export function parkExpiresAt(parkedAt: number, hours: StoreHours = DEFAULT_HOURS): number {
  const closing = closingOf(parkedAt, hours);
  const held = parkedAt + PARK_HOLD_MS;
  return closing > parkedAt ? Math.min(held, closing) : held;
}

// ---------------------------------------------------------------- discounts and totals

export const MAX_LINE_QTY = 999;
export const MAX_SALE_LINES = 200;

export type Discount = { kind: 'amount'; fen: number } | { kind: 'percent'; basisPoints: number };

export interface LineInput {
  unitPriceFen: number;
  qty: number;
  discount: Discount | null;
}

export interface LineTotals {
  grossFen: number;
  lineDiscountFen: number;
  saleDiscountShareFen: number;
  totalFen: number;
}

export interface SaleTotals {
  lines: LineTotals[];
  subtotalFen: number;
  lineDiscountFen: number;
  saleDiscountFen: number;
  totalFen: number;
}

export type TotalsResult =
  | { ok: true; totals: SaleTotals }
  | { ok: false; code: 'discount_exceeds_amount' | 'amount_out_of_range'; lineIndex: number | null };

export function discountProblem(discount: Discount): 'amount_out_of_range' | null {
  if (discount.kind === 'amount')
    return Number.isSafeInteger(discount.fen) && discount.fen >= 0 && discount.fen <= MAX_AMOUNT_FEN
      ? null
      : 'amount_out_of_range';
  return Number.isInteger(discount.basisPoints) && discount.basisPoints >= 0 && discount.basisPoints <= 10_000
    ? null
    : 'amount_out_of_range';
}

function discountOf(amountFen: number, discount: Discount | null): number {
  if (!discount) return 0;
  return discount.kind === 'amount' ? discount.fen : basisPointsOf(amountFen, discount.basisPoints);
}

/**
 * Totals of a sale: each line's gross less its own discount, then the sale discount taken from
 * what is left and shared over the lines in proportion (largest remainder, so the shares add up
 * to the fen). Invariants: every figure ≥ 0, and the line totals add up to the sale total.
 */
export function computeTotals(lines: readonly LineInput[], saleDiscount: Discount | null): TotalsResult {
  const partial: { grossFen: number; lineDiscountFen: number }[] = [];
  for (const [i, line] of lines.entries()) {
    const grossFen = line.unitPriceFen * line.qty;
    if (!Number.isSafeInteger(grossFen) || grossFen > MAX_AMOUNT_FEN || grossFen < 0)
      return { ok: false, code: 'amount_out_of_range', lineIndex: i };
    const lineDiscountFen = discountOf(grossFen, line.discount);
    if (lineDiscountFen > grossFen) return { ok: false, code: 'discount_exceeds_amount', lineIndex: i };
    partial.push({ grossFen, lineDiscountFen });
  }
  const subtotalFen = partial.reduce((a, l) => a + l.grossFen, 0);
  if (subtotalFen > MAX_AMOUNT_FEN) return { ok: false, code: 'amount_out_of_range', lineIndex: null };
  const lineDiscountFen = partial.reduce((a, l) => a + l.lineDiscountFen, 0);
  const afterLines = subtotalFen - lineDiscountFen;
  const saleDiscountFen = discountOf(afterLines, saleDiscount);
  if (saleDiscountFen > afterLines) return { ok: false, code: 'discount_exceeds_amount', lineIndex: null };
  const shares = allocateProportionally(
    saleDiscountFen,
    partial.map((l) => l.grossFen - l.lineDiscountFen),
  );
  const lineTotals = partial.map((l, i) => ({
    grossFen: l.grossFen,
    lineDiscountFen: l.lineDiscountFen,
    saleDiscountShareFen: shares[i]!,
    totalFen: l.grossFen - l.lineDiscountFen - shares[i]!,
  }));
  const totals: SaleTotals = {
    lines: lineTotals,
    subtotalFen,
    lineDiscountFen,
    saleDiscountFen,
    totalFen: afterLines - saleDiscountFen,
  };
  assertTotalsInvariants(totals);
  return { ok: true, totals };
}

/** Asserted when totals are made and again when a sale is read back from the database. */
export function assertTotalsInvariants(t: SaleTotals): void {
  for (const v of [t.subtotalFen, t.lineDiscountFen, t.saleDiscountFen, t.totalFen]) assertFen(v);
  const lineSum = t.lines.reduce((a, l) => a + l.totalFen, 0);
  if (lineSum !== t.totalFen) throw new Error(`invariant: line totals ${lineSum} ≠ sale total ${t.totalFen}`);
  if (t.totalFen !== t.subtotalFen - t.lineDiscountFen - t.saleDiscountFen)
    throw new Error('invariant: total ≠ subtotal − discounts');
  if (t.totalFen < 0 || t.lines.some((l) => l.totalFen < 0)) throw new Error('invariant: negative total');
}

// ---------------------------------------------------------------- cash

export type CashResult =
  | { ok: true; amountFen: number; changeFen: number; needsApproval: boolean }
  | { ok: false; code: 'tendered_insufficient' | 'amount_out_of_range' | 'amount_exceeds_due' };

/** The largest banknote (¥100): change from cash is smaller than one, unless a supervisor confirms. */
export const LARGEST_BANKNOTE_FEN = 10_000;

/**
 * Cash for `amountFen` of what is due (all of it by default; less is the first part of a split):
 * the rest of what was tendered is change. Change of a whole largest banknote or more means the
 * customer handed over far more than needed — or a slip of the keyboard (¥10,000,000 for ¥158):
 * a supervisor confirms it.
 */
export function settleCash(dueFen: number, tenderedFen: number, amountFen: number = dueFen): CashResult {
  if (!Number.isSafeInteger(tenderedFen) || tenderedFen < 0 || tenderedFen > MAX_AMOUNT_FEN)
    return { ok: false, code: 'amount_out_of_range' };
  // Nothing may be paid in cash only when nothing is due (a sale given away whole).
  if (!Number.isSafeInteger(amountFen) || amountFen < 0 || (amountFen === 0 && dueFen > 0))
    return { ok: false, code: 'amount_out_of_range' };
  if (amountFen > dueFen) return { ok: false, code: 'amount_exceeds_due' };
  if (tenderedFen < amountFen) return { ok: false, code: 'tendered_insufficient' };
  const changeFen = tenderedFen - amountFen;
  return { ok: true, amountFen, changeFen, needsApproval: changeFen >= LARGEST_BANKNOTE_FEN };
}

/** The next sale number of a store's day, e.g. SH01-20261123-0007. */
export function saleNumber(storeCode: string, dateKey: string, seq: number): string {
  return `${storeCode}-${dateKey}-${String(seq).padStart(4, '0')}`;
}

// ---------------------------------------------------------------- discount limit

/** The share of the goods' value given away, in basis points (rounded down). */
export function discountShareBp(subtotalFen: number, discountFen: number): number {
  if (subtotalFen <= 0) return 0;
  return Math.floor((discountFen * 10_000) / subtotalFen);
}

/**
 * A change needs a supervisor's approval when it leaves the discount above the store's limit and
 * higher than it was: an approved discount stays approved while items are added or removed.
 */
export function discountNeedsApproval(
  before: { subtotalFen: number; discountFen: number },
  after: { subtotalFen: number; discountFen: number },
  limitBp: number,
): boolean {
  const was = discountShareBp(before.subtotalFen, before.discountFen);
  const now = discountShareBp(after.subtotalFen, after.discountFen);
  return now > limitBp && now > was;
}

export const SALE_LIFECYCLE: Lifecycle<SaleStatus, SaleEvent> = {
  name: 'sale',
  states: SALE_STATUSES,
  events: SALE_EVENTS,
  initial: 'open',
  ends: ['completed', 'voided'],
  transitions: SALE_TRANSITIONS,
};

/** 挂单: a parked sale is taken up again at any till of the store, or its hold ends. */
export const PARKED_EVENTS = ['resume', 'expire'] as const;
export type ParkedEvent = (typeof PARKED_EVENTS)[number];
export const PARKED_LIFECYCLE: Lifecycle<ParkedStatus, ParkedEvent> = {
  name: 'parked sale',
  states: PARKED_STATUSES,
  events: PARKED_EVENTS,
  initial: 'parked',
  ends: ['resumed', 'expired'],
  transitions: { parked: { resume: 'resumed', expire: 'expired' }, resumed: {}, expired: {} },
};
