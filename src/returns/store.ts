/** Returns as stored: what came back of a sale so far, and a return as the till and office see it. */
import type { Tx } from '../db';
import { Refusal } from '../kernel';
import { attemptStatuses } from '../payments';
import type { BookedTender, ReturnDisposition, ReturnReason, ReturnRefundOperation } from '../shared';
import type { ReturnedSoFar } from './model';

/** Units of each line of the sale that returns brought back so far, by sale line id. */
export async function returnedOfSale(db: Tx, saleId: string): Promise<ReturnedSoFar> {
  const rows = await db
    .selectFrom('return_lines as l')
    .innerJoin('returns as r', 'r.id', 'l.return_id')
    .select(['l.sale_line_id', 'l.qty'])
    .where('r.sale_id', '=', saleId)
    .execute();
  const back = new Map<string, number>();
  for (const r of rows) back.set(r.sale_line_id, (back.get(r.sale_line_id) ?? 0) + r.qty);
  return back;
}

/**
 * Where a part of a return's money stands: given back, still being asked of the provider, failed,
 * or failed and paid in cash instead (replaced).
 */
export type RefundProgress = 'refunded' | 'in_progress' | 'failed' | 'replaced';

/** What the drawer paid in place of any provider, across every return of the sale (fen). */
export async function cashInPlaceOfSale(db: Tx, saleId: string): Promise<number> {
  const rows = await db
    .selectFrom('return_refunds as p')
    .innerJoin('returns as r', 'r.id', 'p.return_id')
    .select('p.amount_fen')
    .where('r.sale_id', '=', saleId)
    .where('p.operation', '=', 'cash_fallback')
    .execute();
  return rows.reduce((sum, r) => sum + Number(r.amount_fen), 0);
}

/** What the drawer paid in place of a payment's provider, across every return of it (fen). */
export async function cashInPlaceOf(db: Tx, attemptId: string): Promise<number> {
  const rows = await db
    .selectFrom('return_refunds')
    .select('amount_fen')
    .where('original_attempt_id', '=', attemptId)
    .where('operation', '=', 'cash_fallback')
    .execute();
  return rows.reduce((sum, r) => sum + Number(r.amount_fen), 0);
}

export interface ReturnView {
  id: string;
  number: string;
  saleId: string;
  storeId: string;
  reason: ReturnReason;
  note: string;
  withReceipt: boolean;
  refundFen: number;
  /** An exchange: the sale of the goods taken instead, and the part of the value paid to it. */
  exchangeSaleId: string | null;
  creditFen: number;
  createdAt: string;
  lines: {
    saleLineId: string;
    variantId: string;
    qty: number;
    refundFen: number;
    disposition: ReturnDisposition;
  }[];
  refunds: {
    id: string;
    tender: BookedTender;
    amountFen: number;
    operation: ReturnRefundOperation;
    attemptId: string | null;
    /** Why no provider took it back (the cash fallback paid it), if so. */
    blocked: string | null;
    progress: RefundProgress;
  }[];
  /** All given back; or some part still asked of its provider; or a part failed (the fallback is offered). */
  progress: RefundProgress;
  /** While a provider is still asked, when the till should ask again (ms); null once it is settled. */
  checkAgainInMs: number | null;
}

/** A refund at the terminal or a wallet answers in seconds: the till follows it at this pace. */
const FOLLOW_REFUND_MS = 1_000;

/** A refund on the review desk did not go through as asked: the till says so (a manager decides). */
const progressOf = (status: string | undefined): Exclude<RefundProgress, 'replaced'> =>
  status === 'succeeded'
    ? 'refunded'
    : status === 'failed' || status === 'reversed' || status === 'needs_review'
      ? 'failed'
      : 'in_progress';

export async function returnView(db: Tx, returnId: string): Promise<ReturnView> {
  const r = await db.selectFrom('returns').selectAll().where('id', '=', returnId).executeTakeFirst();
  if (!r) throw new Refusal('return_unknown');
  const lines = await db.selectFrom('return_lines').selectAll().where('return_id', '=', returnId).execute();
  const refunds = await db
    .selectFrom('return_refunds')
    .selectAll()
    .where('return_id', '=', returnId)
    .execute();
  const statuses = await attemptStatuses(
    db,
    refunds.flatMap((p) => (p.attempt_id ? [p.attempt_id] : [])),
  );
  const replaced = new Set(refunds.flatMap((p) => (p.replaces ? [p.replaces] : [])));
  const parts = refunds.map((p) => ({
    id: p.id,
    tender: p.tender,
    amountFen: Number(p.amount_fen),
    operation: p.operation,
    attemptId: p.attempt_id,
    blocked: p.blocked,
    // Cash left the drawer in the return's own transaction.
    progress: replaced.has(p.id)
      ? ('replaced' as const)
      : p.attempt_id
        ? progressOf(statuses.get(p.attempt_id))
        : ('refunded' as const),
  }));
  const progress: RefundProgress = parts.some((p) => p.progress === 'failed')
    ? 'failed'
    : parts.some((p) => p.progress === 'in_progress')
      ? 'in_progress'
      : 'refunded';
  return {
    id: r.id,
    number: r.number,
    saleId: r.sale_id,
    storeId: r.store_id,
    reason: r.reason,
    note: r.note,
    withReceipt: r.with_receipt === 1,
    refundFen: Number(r.refund_fen),
    exchangeSaleId: r.exchange_sale_id,
    creditFen: Number(r.credit_fen),
    createdAt: r.created_at,
    lines: lines.map((l) => ({
      saleLineId: l.sale_line_id,
      variantId: l.variant_id,
      qty: l.qty,
      refundFen: Number(l.refund_fen),
      disposition: l.disposition,
    })),
    refunds: parts,
    progress,
    checkAgainInMs: progress === 'in_progress' ? FOLLOW_REFUND_MS : null,
  };
}

/** The returns of a sale, oldest first. */
export async function returnsOfSale(db: Tx, saleId: string): Promise<ReturnView[]> {
  const ids = await db
    .selectFrom('returns')
    .select('id')
    .where('sale_id', '=', saleId)
    .orderBy('created_at')
    .execute();
  return Promise.all(ids.map((r) => returnView(db, r.id)));
}
