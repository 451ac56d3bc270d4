/**
 * The change routine every sale use case goes through, one database transaction (the caller's, when
 * the idempotency layer opened one): bump the sale's version (an UPDATE, which locks the row in
 * PostgreSQL; SQLite serialises writers), check the declared transition, load the lines, change
 * them in memory, compute the totals, write only what changed, append the audit events, and answer
 * with the sale built from what is in hand. Refusals roll it all back.
 */
import { type SpentApproval, spendApproval } from '../approvals';
import { type AuditEntry, appendAudit } from '../audit';
import { actorIdOf, type Ctx } from '../context';
import {
  lockedForUpdate,
  type PaymentsTable,
  prepared,
  rowOf,
  type SaleLinesTable,
  type SalesTable,
  type Tx,
  transaction,
} from '../db';
import { Refusal, type RefusalCode } from '../kernel';
import type { GuardedAction } from '../staff';
import { onHandOf } from '../stock';
import { storeFacts } from '../stores';
import {
  computeTotals,
  type Discount,
  discountNeedsApproval,
  discountProblem,
  MAX_LINE_QTY,
  type SaleEvent,
  transitionSale,
} from './model';
import { buildSaleView, paymentsOf } from './store';
import { refuseUnlessTillMayMoveOn, TILL_MOVES_ON } from './till-hold';
import { discountFromColumns, discountToColumns, type SaleView } from './views';

export function checkQty(qty: number): void {
  if (!Number.isInteger(qty) || qty < 1 || qty > MAX_LINE_QTY) throw new Refusal('quantity_out_of_range');
}

export function checkDiscount(discount: Discount | null): void {
  if (discount && discountProblem(discount))
    throw new Refusal('amount_out_of_range', 'discount out of range');
}

export type AuditDraft = Pick<AuditEntry, 'action' | 'before' | 'after'> &
  Partial<Pick<AuditEntry, 'entityType' | 'entityId'>>;

interface SaleChange {
  /**
   * The lines after the change; a line whose id was not loaded is new. Absent: the lines the change
   * was given, as it left them.
   */
  lines?: SaleLinesTable[];
  /** The sale's own discount after the change. Absent: the discount it had. */
  saleDiscount?: Discount | null;
  /** Other columns of the sale this change sets (status, paid, …). */
  saleFields?: Partial<
    Pick<
      SalesTable,
      | 'status'
      | 'paid_fen'
      | 'change_fen'
      | 'completed_at'
      | 'voided_at'
      | 'void_reason'
      | 'till_id'
      | 'on_account_at'
      | 'goods_taken'
      | 'returned_fen'
    >
  >;
  /** The audit events, given the sale's total after the change. */
  audit: (totalFen: number) => AuditDraft[];
  /**
   * An approval the change carries. Any cart edit that leaves the discount above the store's
   * limit, and higher than it was, spends it — or is refused with `approval_required`: a discount
   * set within the limit cannot be pushed over it by removing items either.
   */
  approvalId?: string | null;
}

const LINE_TOTAL_COLUMNS = [
  'qty',
  'discount_kind',
  'discount_value',
  'line_discount_fen',
  'sale_discount_share_fen',
  'total_fen',
] as const;

// The statements of every cart edit, compiled once (see db/prepared.ts).
const SALE_FOR_UPDATE = prepared((db, p: { saleId: string }, dialect) =>
  lockedForUpdate(db.selectFrom('sales').selectAll().where('id', '=', p.saleId), dialect),
);
const LINES_OF_SALE = prepared((db, p: { saleId: string }) =>
  db.selectFrom('sale_lines').selectAll().where('sale_id', '=', p.saleId).orderBy('line_no'),
);
const DELETE_LINE = prepared((db, p: { id: string }) => db.deleteFrom('sale_lines').where('id', '=', p.id));
const INSERT_LINE = prepared((db, p: SaleLinesTable) =>
  db
    .insertInto('sale_lines')
    .values(
      rowOf(p, [
        'id',
        'sale_id',
        'store_id',
        'line_no',
        'variant_id',
        'sku',
        'barcode',
        'name_zh',
        'name_en',
        'size',
        'colour_zh',
        'colour_en',
        'unit_price_fen',
        ...LINE_TOTAL_COLUMNS,
        'created_at',
      ]),
    ),
);
const UPDATE_LINE_TOTALS = prepared((db, p: SaleLinesTable) =>
  db
    .updateTable('sale_lines')
    .set({
      qty: p.qty,
      discount_kind: p.discount_kind,
      discount_value: p.discount_value,
      line_discount_fen: p.line_discount_fen,
      sale_discount_share_fen: p.sale_discount_share_fen,
      total_fen: p.total_fen,
    })
    .where('id', '=', p.id),
);
type SaleWrite = SalesTable & { expectedVersion: number };
const saleTotals = (p: SaleWrite) => ({
  version: p.version,
  updated_at: p.updated_at,
  subtotal_fen: p.subtotal_fen,
  line_discount_fen: p.line_discount_fen,
  sale_discount_kind: p.sale_discount_kind,
  sale_discount_value: p.sale_discount_value,
  sale_discount_fen: p.sale_discount_fen,
  total_fen: p.total_fen,
  line_count: p.line_count,
});
// Two shapes: a cart edit leaves the status (an indexed column) alone; payment, completion and void set it.
const UPDATE_SALE_TOTALS = prepared((db, p: SaleWrite) =>
  db.updateTable('sales').set(saleTotals(p)).where('id', '=', p.id).where('version', '=', p.expectedVersion),
);
const UPDATE_SALE_STATE = prepared((db, p: SaleWrite) =>
  db
    .updateTable('sales')
    .set({
      ...saleTotals(p),
      status: p.status,
      paid_fen: p.paid_fen,
      change_fen: p.change_fen,
      completed_at: p.completed_at,
      voided_at: p.voided_at,
      void_reason: p.void_reason,
      till_id: p.till_id,
      on_account_at: p.on_account_at,
      goods_taken: p.goods_taken,
      returned_fen: p.returned_fen,
    })
    .where('id', '=', p.id)
    .where('version', '=', p.expectedVersion),
);

/** Why a sale refuses what was asked, where its state says more than "not open". */
const REFUSAL_OF_STATUS: Readonly<Record<string, RefusalCode>> = {
  awaiting_payment: 'payment_in_progress',
  parked: 'sale_parked',
  awaiting_statement: 'sale_awaiting_statement',
};

export async function mutateSale(
  ctx: Ctx,
  saleId: string,
  event: SaleEvent | ((sale: SalesTable) => SaleEvent),
  change: (tx: Tx, sale: SalesTable, lines: SaleLinesTable[]) => Promise<SaleChange>,
): Promise<SaleView> {
  return transaction(ctx.db, 'full', async (tx) => {
    // Read with a row lock (PostgreSQL) so two tills editing one sale take turns; written once, at the end.
    const before = await SALE_FOR_UPDATE.first(tx, { saleId });
    if (!before) throw new Refusal('sale_unknown');
    const happening = typeof event === 'function' ? event(before) : event;
    if (!transitionSale(before.status, happening).ok)
      throw new Refusal(REFUSAL_OF_STATUS[before.status] ?? 'sale_not_open');
    if (TILL_MOVES_ON.has(happening)) await refuseUnlessTillMayMoveOn(tx, ctx, saleId);
    const loaded = await LINES_OF_SALE.all(tx, { saleId });
    const given = loaded.map((l) => ({ ...l }));
    const changed = await change(tx, before, given);
    const result = {
      ...changed,
      lines: changed.lines ?? given,
      saleDiscount: changed.saleDiscount === undefined ? saleDiscountOf(before) : changed.saleDiscount,
    };

    const totals = computeTotals(
      result.lines.map((l) => ({
        unitPriceFen: l.unit_price_fen,
        qty: l.qty,
        discount: discountFromColumns(l.discount_kind, l.discount_value),
      })),
      result.saleDiscount,
    );
    if (!totals.ok) {
      const line = totals.lineIndex === null ? undefined : result.lines[totals.lineIndex];
      throw new Refusal(
        totals.code,
        line ? `line ${line.line_no}` : 'sale discount',
        line ? { lineId: line.id } : {},
      );
    }
    // What was paid stays paid: the goods cannot shrink below it (a refund is another story).
    if (happening === 'edit' && totals.totals.totalFen < before.paid_fen)
      throw new Refusal('sale_partly_paid', undefined, { paidFen: before.paid_fen });
    const lines = result.lines.map((l, i) => ({
      ...l,
      line_discount_fen: totals.totals.lines[i]!.lineDiscountFen,
      sale_discount_share_fen: totals.totals.lines[i]!.saleDiscountShareFen,
      total_fen: totals.totals.lines[i]!.totalFen,
    }));

    // Write only the difference between the loaded lines and the changed ones.
    const loadedById = new Map(loaded.map((l) => [l.id, l]));
    const keptIds = new Set(lines.map((l) => l.id));
    for (const old of loaded) if (!keptIds.has(old.id)) await DELETE_LINE.run(tx, { id: old.id });
    for (const line of lines) {
      const old = loadedById.get(line.id);
      if (!old) await INSERT_LINE.run(tx, line);
      else if (LINE_TOTAL_COLUMNS.some((c) => old[c] !== line[c])) await UPDATE_LINE_TOTALS.run(tx, line);
    }

    const approvalAudit: AuditDraft[] = [];
    const discountAfter = totals.totals.lineDiscountFen + totals.totals.saleDiscountFen;
    if (happening === 'edit' && discountAfter > 0) {
      const limit = await storeFacts(tx, before.store_id);
      if (
        discountNeedsApproval(
          {
            subtotalFen: before.subtotal_fen,
            discountFen: before.line_discount_fen + before.sale_discount_fen,
          },
          { subtotalFen: totals.totals.subtotalFen, discountFen: discountAfter },
          limit?.discountLimitBp ?? 0,
        )
      ) {
        const spent = await spendApproval(ctx, tx, result.approvalId, {
          action: 'discount_over_limit',
          storeId: before.store_id,
          saleId,
        });
        approvalAudit.push(approvalUsed(spent, 'discount_over_limit'));
      }
    }

    const { kind, value } = discountToColumns(result.saleDiscount);
    const changes = {
      version: before.version + 1,
      updated_at: ctx.clock.now().toISOString(),
      subtotal_fen: totals.totals.subtotalFen,
      line_discount_fen: totals.totals.lineDiscountFen,
      sale_discount_kind: kind,
      sale_discount_value: value,
      sale_discount_fen: totals.totals.saleDiscountFen,
      total_fen: totals.totals.totalFen,
      line_count: lines.length,
      ...result.saleFields,
    };
    const sale: SalesTable = { ...before, ...changes };
    const written = await (result.saleFields ? UPDATE_SALE_STATE : UPDATE_SALE_TOTALS).run(tx, {
      ...sale,
      expectedVersion: before.version,
    });
    // The lock (or SQLite's single writer) makes a lost update impossible; assert it all the same.
    if (written !== 1) throw new Error(`invariant: sale ${saleId} changed under a locked mutation`);
    await appendAudit(
      tx,
      ctx.clock,
      ctx.ids,
      [...approvalAudit, ...result.audit(sale.total_fen)].map((a) => ({
        entityType: 'sale',
        entityId: saleId,
        ...a,
        storeId: sale.store_id,
        actorId: actorIdOf(ctx, sale.cashier_id),
        saleId,
      })),
    );
    const payments: PaymentsTable[] =
      sale.paid_fen > 0 || before.paid_fen > 0 ? await paymentsOf(tx, saleId) : [];
    const onHand = await onHandOf(tx, sale.store_id, [...new Set(lines.map((l) => l.variant_id))]);
    return buildSaleView(sale, lines, payments, onHand);
  });
}

/**
 * The goods of a sale leaving stock (a sale), coming back (a void after payment), set aside while
 * it is parked, or given back to the shelf when it is resumed or expires.
 */
export function saleStockMoves(
  ctx: Ctx,
  sale: SalesTable,
  lines: SaleLinesTable[],
  kind: 'sale' | 'return' | 'reserve' | 'release',
) {
  const out = kind === 'sale' || kind === 'release';
  const refType = { sale: 'sale', return: 'sale_void', reserve: 'sale_park', release: 'sale_park' }[kind];
  return lines.map((l) => ({
    storeId: sale.store_id,
    variantId: l.variant_id,
    kind,
    delta: out ? -l.qty : l.qty,
    refType,
    refId: sale.id,
    actorId: actorIdOf(ctx, sale.cashier_id),
  }));
}

/** The audit event of a spent approval: both names and the reason, next to the change it allowed. */
export function approvalUsed(spent: SpentApproval, action: GuardedAction): AuditDraft {
  return {
    action: 'approval.used',
    entityType: 'approval',
    entityId: spent.approvalId,
    after: { action, reason: spent.reason, requestedBy: spent.requestedBy, approvedBy: spent.approvedBy },
  };
}

export const saleDiscountOf = (sale: SalesTable): Discount | null =>
  discountFromColumns(sale.sale_discount_kind, sale.sale_discount_value);
