/**
 * Sale use cases, each one database transaction (the caller's, when the idempotency layer opened
 * one). A change to an open sale is a unit of work: bump the sale's version (an UPDATE, which
 * locks the row in PostgreSQL; SQLite serialises writers), check the declared transition, load the
 * lines, change them in memory, compute the totals, write only what changed, append the audit
 * events, and answer with the sale built from what is in hand. Refusals roll it all back.
 */

import { type SpentApproval, spendApproval } from '../approvals';
import { type AuditEntry, appendAudit } from '../audit';
import { variantByBarcode, variantById } from '../catalog';
import { actorIdOf, type Ctx, isCustomer } from '../context';
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
import { businessDayOf, localDateKey, Refusal, type RefusalCode } from '../kernel';
import type { GuardedAction } from '../staff';
import { onHandOf, writeMovements } from '../stock';
import {
  computeTotals,
  type Discount,
  discountNeedsApproval,
  discountProblem,
  MAX_LINE_QTY,
  MAX_SALE_LINES,
  parkExpiresAt,
  type SaleEvent,
  type SaleStatus,
  saleNumber,
  settleCash,
  transitionSale,
} from './model';
import { runCompletionHooks, TILL_CHARGES } from './ports';
import { buildSaleView, paymentsOf, readSale } from './store';
import { discountFromColumns, discountToColumns, type SaleView } from './views';

function checkQty(qty: number): void {
  if (!Number.isInteger(qty) || qty < 1 || qty > MAX_LINE_QTY) throw new Refusal('quantity_out_of_range');
}

function checkDiscount(discount: Discount | null): void {
  if (discount && discountProblem(discount))
    throw new Refusal('amount_out_of_range', 'discount out of range');
}

export type AuditDraft = Pick<AuditEntry, 'action' | 'before' | 'after'> &
  Partial<Pick<AuditEntry, 'entityType' | 'entityId'>>;

interface SaleChange {
  /** The lines after the change; a line whose id was not loaded is new. */
  lines: SaleLinesTable[];
  saleDiscount: Discount | null;
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
    })
    .where('id', '=', p.id)
    .where('version', '=', p.expectedVersion),
);

/** What moves a till on to a sale: it must not be held by another one. */
const TILL_MOVES_ON: ReadonlySet<SaleEvent> = new Set([
  'pay_in_full',
  'pay_part',
  'charge',
  'resume',
  'put_on_account',
]);

/**
 * Why `tillId` may not move on to `saleId` (null: a new sale): the `till_held` refusal naming the
 * sale it waits for and what the till may do meanwhile — wait for the bank, have a manager lift the
 * lock, or put that sale on a provisional slip; null when it may.
 */
async function tillHeldRefusal(tx: Tx, tillId: string, saleId: string | null): Promise<Refusal | null> {
  const held = await heldBy(tx, tillId);
  if (!held || held.sale_id === saleId) return null;
  return new Refusal('till_held', held.number, {
    heldBy: {
      saleId: held.sale_id,
      saleNumber: held.number,
      attemptId: held.attempt_id,
      attemptStatus: held.status,
      tender: held.tender,
    },
    allowed: ['wait', 'release', 'slip'],
  });
}

/**
 * The sale a till is held by: a card or wallet charge of it there may still take the money
 * (payments says which, through its port), and the sale still waits for it — no manager lifted
 * the lock. Until that ends the till opens, takes up and takes money for no other sale: leaving a
 * sale waiting at the bank and selling the same goods again is how a customer came to pay twice.
 */
async function heldBy(tx: Tx, tillId: string) {
  for (const charge of await TILL_CHARGES.call(tx, tillId)) {
    const sale = await SALE_WAITING.first(tx, { saleId: charge.saleId });
    if (sale)
      return {
        sale_id: sale.id,
        number: sale.number,
        attempt_id: charge.attemptId,
        status: charge.status,
        tender: charge.tender,
      };
  }
  return null;
}

const SALE_WAITING = prepared((db, p: { saleId: string }) =>
  db
    .selectFrom('sales')
    .select(['id', 'number'])
    .where('id', '=', p.saleId)
    .where('status', '=', 'awaiting_payment'),
);

/** A till whose business day was closed (its Z report kept) sells nothing more that day. */
const TILL_DAY_CLOSED = prepared((db, p: { tillId: string; day: string }) =>
  db.selectFrom('day_closes').select('id').where('till_id', '=', p.tillId).where('business_day', '=', p.day),
);

/**
 * What the acting till may not do before it moves on to `saleId` (null: a new sale): take money
 * while another sale holds it, or sell at all after its own day close (the Z report is final).
 */
async function refuseUnlessTillMayMoveOn(tx: Tx, ctx: Ctx, saleId: string | null): Promise<void> {
  const actor = ctx.actor;
  if (!actor?.tillId || isCustomer(actor)) return;
  const day = businessDayOf(ctx.clock.now().getTime());
  if (await TILL_DAY_CLOSED.first(tx, { tillId: actor.tillId, day }))
    throw new Refusal('till_day_closed', day, { day });
  const refusal = await tillHeldRefusal(tx, actor.tillId, saleId);
  if (refusal) throw refusal;
}

/** The till's verdict before it starts anything new (F9): held by a waiting sale, or free. */
export function tillHold(ctx: Ctx, tillId: string): Promise<Refusal | null> {
  return tillHeldRefusal(ctx.db.kysely, tillId, null);
}

/** Why a sale refuses what was asked, where its state says more than "not open". */
const REFUSAL_OF_STATUS: Readonly<Record<string, RefusalCode>> = {
  awaiting_payment: 'payment_in_progress',
  parked: 'sale_parked',
  awaiting_statement: 'sale_awaiting_statement',
};

async function mutateSale(
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
    if (!transitionSale(before.status as SaleStatus, happening).ok)
      throw new Refusal(REFUSAL_OF_STATUS[before.status] ?? 'sale_not_open');
    if (TILL_MOVES_ON.has(happening)) await refuseUnlessTillMayMoveOn(tx, ctx, saleId);
    const loaded = await LINES_OF_SALE.all(tx, { saleId });
    const result = await change(
      tx,
      before,
      loaded.map((l) => ({ ...l })),
    );

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
      const limit = await DISCOUNT_LIMIT.first(tx, { storeId: before.store_id });
      if (
        discountNeedsApproval(
          {
            subtotalFen: before.subtotal_fen,
            discountFen: before.line_discount_fen + before.sale_discount_fen,
          },
          { subtotalFen: totals.totals.subtotalFen, discountFen: discountAfter },
          limit?.discount_limit_bp ?? 0,
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
function saleStockMoves(
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

const DISCOUNT_LIMIT = prepared((db, p: { storeId: string }) =>
  db.selectFrom('stores').select('discount_limit_bp').where('id', '=', p.storeId),
);

/** The audit event of a spent approval: both names and the reason, next to the change it allowed. */
function approvalUsed(spent: SpentApproval, action: GuardedAction): AuditDraft {
  return {
    action: 'approval.used',
    entityType: 'approval',
    entityId: spent.approvalId,
    after: { action, reason: spent.reason, requestedBy: spent.requestedBy, approvedBy: spent.approvedBy },
  };
}

// Opening a sale, compiled once.
const STORE_AND_TILL = prepared((db, p: { storeId: string; tillId: string }) =>
  db
    .selectFrom('stores as s')
    .leftJoin('tills as t', (join) => join.onRef('t.store_id', '=', 's.id').on('t.id', '=', p.tillId))
    .select(['s.id', 's.code', 's.time_zone', 's.currency', 't.id as till_id'])
    .where('s.id', '=', p.storeId),
);
const FIRST_CASHIER = prepared((db, p: { storeId: string }) =>
  db
    .selectFrom('staff')
    .select('id')
    .where('store_id', '=', p.storeId)
    .where('role', '=', 'cashier')
    .orderBy('code')
    .limit(1),
);
const NEXT_SALE_NUMBER = prepared((db, p: { scope: string; name: string }) =>
  db
    .insertInto('counters')
    .values({ scope: p.scope, name: p.name, value: 1 })
    .onConflict((oc) =>
      oc.columns(['scope', 'name']).doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })),
    )
    .returning('value'),
);
const INSERT_SALE = prepared((db, p: SalesTable) =>
  db
    .insertInto('sales')
    .values(
      rowOf(p, [
        'id',
        'store_id',
        'till_id',
        'number',
        'status',
        'cashier_id',
        'currency',
        'subtotal_fen',
        'line_discount_fen',
        'sale_discount_kind',
        'sale_discount_value',
        'sale_discount_fen',
        'total_fen',
        'paid_fen',
        'change_fen',
        'line_count',
        'version',
        'opened_at',
        'updated_at',
        'completed_at',
        'voided_at',
        'void_reason',
        'on_account_at',
        'goods_taken',
      ]),
    ),
);
const INSERT_PAYMENT = prepared((db, p: PaymentsTable) =>
  db
    .insertInto('payments')
    .values(
      rowOf(p, [
        'id',
        'sale_id',
        'store_id',
        'tender',
        'status',
        'amount_fen',
        'tendered_fen',
        'change_fen',
        'created_at',
        'attempt_id',
      ]),
    ),
);

export async function openSale(
  ctx: Ctx,
  input: { storeId: string; tillId: string; cashierId: string | null },
): Promise<SaleView> {
  return transaction(ctx.db, 'full', async (tx) => {
    const place = await STORE_AND_TILL.first(tx, { storeId: input.storeId, tillId: input.tillId });
    if (!place) throw new Refusal('store_unknown');
    if (!place.till_id) throw new Refusal('till_unknown');
    // A till's session sells at that till only.
    if (ctx.actor?.tillId && ctx.actor.tillId !== place.till_id)
      throw new Refusal('forbidden', 'signed in at another till');
    await refuseUnlessTillMayMoveOn(tx, ctx, null);
    // The signed-in cashier; without a session (CLI, tools) the one named, or the store's first.
    const cashierId =
      ctx.actor?.staffId ??
      input.cashierId ??
      (await FIRST_CASHIER.first(tx, { storeId: place.id }))?.id ??
      'unknown';
    const now = ctx.clock.now();
    const dateKey = localDateKey(now, place.time_zone);
    const counter = await NEXT_SALE_NUMBER.first(tx, { scope: place.id, name: `sale:${dateKey}` });
    if (!counter) throw new Error('invariant: the sale counter upsert returned no row');
    const at = now.toISOString();
    const sale: SalesTable = {
      id: ctx.ids.next('sale'),
      store_id: place.id,
      till_id: place.till_id,
      number: saleNumber(place.code, dateKey, counter.value),
      status: 'open',
      cashier_id: cashierId,
      currency: place.currency,
      subtotal_fen: 0,
      line_discount_fen: 0,
      sale_discount_kind: null,
      sale_discount_value: null,
      sale_discount_fen: 0,
      total_fen: 0,
      paid_fen: 0,
      change_fen: 0,
      line_count: 0,
      version: 1,
      opened_at: at,
      updated_at: at,
      completed_at: null,
      voided_at: null,
      void_reason: null,
      on_account_at: null,
      goods_taken: null,
    };
    await INSERT_SALE.run(tx, sale);
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.store_id,
      actorId: cashierId,
      action: 'sale.opened',
      entityType: 'sale',
      entityId: sale.id,
      saleId: sale.id,
      after: { number: sale.number, tillId: sale.till_id },
    });
    return buildSaleView(sale, [], [], new Map());
  });
}

const saleDiscountOf = (sale: SalesTable): Discount | null =>
  discountFromColumns(sale.sale_discount_kind, sale.sale_discount_value);

export async function addLine(
  ctx: Ctx,
  saleId: string,
  input: { barcode?: string; variantId?: string; qty: number },
): Promise<SaleView> {
  checkQty(input.qty);
  return mutateSale(ctx, saleId, 'edit', async (tx, sale, lines) => {
    const variant =
      input.barcode !== undefined
        ? await variantByBarcode(tx, input.barcode.trim())
        : await variantById(tx, input.variantId ?? '');
    if (!variant)
      throw new Refusal(input.barcode !== undefined ? 'barcode_unknown' : 'variant_unknown', input.barcode);
    if (!variant.active) throw new Refusal('variant_inactive');
    // A second scan of the same item adds to its line (unless that line has its own discount).
    const same = lines.find(
      (l) => l.variant_id === variant.id && l.discount_kind === null && l.unit_price_fen === variant.priceFen,
    );
    if (same) {
      same.qty += input.qty;
      checkQty(same.qty);
    } else {
      if (lines.length >= MAX_SALE_LINES) throw new Refusal('sale_too_large');
      lines.push({
        id: ctx.ids.next('line'),
        sale_id: saleId,
        store_id: sale.store_id,
        line_no: lines.reduce((max, l) => Math.max(max, l.line_no), 0) + 1,
        variant_id: variant.id,
        sku: variant.sku,
        barcode: variant.barcode,
        name_zh: variant.nameZh,
        name_en: variant.nameEn,
        size: variant.size,
        colour_zh: variant.colourZh,
        colour_en: variant.colourEn,
        unit_price_fen: variant.priceFen,
        qty: input.qty,
        discount_kind: null,
        discount_value: null,
        line_discount_fen: 0,
        sale_discount_share_fen: 0,
        total_fen: 0,
        created_at: ctx.clock.now().toISOString(),
      });
    }
    return {
      lines,
      saleDiscount: saleDiscountOf(sale),
      audit: (totalFen) => [
        {
          action: 'sale.line_added',
          before: { totalFen: sale.total_fen },
          after: { sku: variant.sku, qty: input.qty, merged: same !== undefined, totalFen },
        },
      ],
    };
  });
}

export async function updateLine(
  ctx: Ctx,
  saleId: string,
  lineId: string,
  input: { qty?: number; discount?: Discount | null; approvalId?: string | undefined },
): Promise<SaleView> {
  if (input.qty !== undefined) checkQty(input.qty);
  if (input.discount !== undefined) checkDiscount(input.discount);
  return mutateSale(ctx, saleId, 'edit', async (_tx, sale, lines) => {
    const line = lines.find((l) => l.id === lineId);
    if (!line) throw new Refusal('line_unknown');
    const before = {
      lineNo: line.line_no,
      qty: line.qty,
      discount: discountFromColumns(line.discount_kind, line.discount_value),
      totalFen: sale.total_fen,
    };
    const discount = input.discount === undefined ? before.discount : input.discount;
    const { kind, value } = discountToColumns(discount);
    line.qty = input.qty ?? line.qty;
    line.discount_kind = kind;
    line.discount_value = value;
    return {
      lines,
      saleDiscount: saleDiscountOf(sale),
      approvalId: input.approvalId ?? null,
      audit: (totalFen) => [
        {
          action: 'sale.line_changed',
          before,
          after: { lineNo: line.line_no, qty: line.qty, discount, totalFen },
        },
      ],
    };
  });
}

export async function removeLine(
  ctx: Ctx,
  saleId: string,
  lineId: string,
  approvalId: string | null = null,
): Promise<SaleView> {
  return mutateSale(ctx, saleId, 'edit', async (_tx, sale, lines) => {
    const line = lines.find((l) => l.id === lineId);
    if (!line) throw new Refusal('line_unknown');
    return {
      approvalId,
      lines: lines.filter((l) => l.id !== lineId),
      saleDiscount: saleDiscountOf(sale),
      audit: (totalFen) => [
        {
          action: 'sale.line_removed',
          before: { lineNo: line.line_no, sku: line.sku, qty: line.qty, totalFen: sale.total_fen },
          after: { totalFen },
        },
      ],
    };
  });
}

export async function setSaleDiscount(
  ctx: Ctx,
  saleId: string,
  discount: Discount | null,
  approvalId: string | null = null,
): Promise<SaleView> {
  checkDiscount(discount);
  return mutateSale(ctx, saleId, 'edit', async (_tx, sale, lines) => ({
    lines,
    saleDiscount: discount,
    approvalId,
    audit: (totalFen) => [
      {
        action: 'sale.discount_set',
        before: { discount: saleDiscountOf(sale), totalFen: sale.total_fen },
        after: { discount, totalFen },
      },
    ],
  }));
}

/**
 * Voids a sale. Before payment it is the cashier's call. After payment it needs a manager's
 * approval, spent in this transaction: the cash goes back to the customer (a refund row per
 * tender) and the goods back into stock, exactly once.
 */
export async function voidSale(
  ctx: Ctx,
  saleId: string,
  reason: string,
  approvalId: string | null = null,
  /**
   * Card and wallet money goes back through its provider, as refund attempts the payment core
   * creates here, in this transaction. Without it such a sale is refused (nothing from the drawer).
   */
  oweRefunds: RefundOwer | null = null,
): Promise<SaleView> {
  return mutateSale(
    ctx,
    saleId,
    (sale) => (sale.status === 'completed' ? 'void_after_payment' : 'void'),
    async (tx, sale, lines) => {
      const at = ctx.clock.now().toISOString();
      const voided = { status: 'voided' as const, voided_at: at, void_reason: reason };
      // Money taken for an open sale (a card paid part of it) is not dropped by a void.
      if (sale.status !== 'completed' && sale.paid_fen > 0) throw new Refusal('sale_partly_paid');
      if (sale.status !== 'completed')
        return {
          lines,
          saleDiscount: saleDiscountOf(sale),
          saleFields: voided,
          audit: () => [
            {
              action: 'sale.voided',
              before: { status: sale.status, totalFen: sale.total_fen },
              after: { status: 'voided', reason },
            },
          ],
        };
      const spent = await spendApproval(ctx, tx, approvalId, {
        action: 'void_after_payment',
        storeId: sale.store_id,
        saleId,
      });
      const all = (await paymentsOf(tx, saleId)).filter((p) => p.status === 'succeeded');
      const owed = all.filter((p) => p.tender !== 'cash');
      if (owed.length > 0 && !oweRefunds) throw new Refusal('void_needs_card_refund');
      const owedAudit = owed.length > 0 && oweRefunds ? await oweRefunds(tx, sale, owed) : [];
      const paid = all.filter((p) => p.tender === 'cash');
      const refunds: PaymentsTable[] = paid.map((p) => ({
        id: ctx.ids.next('pay'),
        sale_id: saleId,
        store_id: sale.store_id,
        tender: p.tender,
        status: 'refunded',
        amount_fen: -p.amount_fen,
        tendered_fen: 0,
        change_fen: 0,
        created_at: at,
        attempt_id: p.attempt_id,
      }));
      for (const refund of refunds) await INSERT_PAYMENT.run(tx, refund);
      const movements = await writeMovements(tx, ctx, saleStockMoves(ctx, sale, lines, 'return'), null);
      return {
        lines,
        saleDiscount: saleDiscountOf(sale),
        saleFields: { ...voided, paid_fen: 0 },
        audit: () => [
          approvalUsed(spent, 'void_after_payment'),
          ...owedAudit,
          ...refunds.map((r) => ({
            action: 'payment.refunded',
            entityType: 'payment',
            entityId: r.id,
            after: { tender: r.tender, amountFen: r.amount_fen },
          })),
          {
            action: 'sale.voided_after_payment',
            before: { status: sale.status, paidFen: sale.paid_fen, totalFen: sale.total_fen },
            after: {
              status: 'voided',
              reason,
              approvedBy: spent.approvedBy,
              stock: movements,
            },
          },
        ],
      };
    },
  );
}

/** One payment row on a sale, in the caller's transaction; returns its id. */
async function insertPayment(
  tx: Tx,
  ctx: Ctx,
  sale: { id: string; store_id: string },
  p: {
    tender: string;
    status: string;
    amountFen: number;
    tenderedFen: number;
    changeFen: number;
    attemptId: string | null;
  },
): Promise<string> {
  const id = ctx.ids.next('pay');
  await INSERT_PAYMENT.run(tx, {
    id,
    sale_id: sale.id,
    store_id: sale.store_id,
    tender: p.tender,
    status: p.status,
    amount_fen: p.amountFen,
    tendered_fen: p.tenderedFen,
    change_fen: p.changeFen,
    created_at: ctx.clock.now().toISOString(),
    attempt_id: p.attemptId,
  });
  return id;
}

/** The sale is paid: its goods leave stock (as its slip left them) and the completion hooks run, in the caller's transaction. */
async function completeSale(tx: Tx, ctx: Ctx, sale: SalesTable, lines: SaleLinesTable[]) {
  const movements = await writeMovements(tx, ctx, completionMoves(ctx, sale, lines), null);
  const hooked = await runCompletionHooks(tx, ctx, sale);
  return { movements, hooked };
}

/**
 * A payment for the sale (cash, or an attempt's money), in the mutation's transaction: the row,
 * and — when nothing is left due — the completion (stock, hooks); otherwise the sale stays as
 * `notDone` says. Returns the sale's new fields and the audit events of both.
 */
async function takePayment(
  tx: Tx,
  ctx: Ctx,
  sale: SalesTable,
  lines: SaleLinesTable[],
  p: { tender: string; amountFen: number; tenderedFen: number; changeFen: number; attemptId: string | null },
  notDone: Partial<SalesTable>,
): Promise<{ saleFields: Partial<SalesTable>; audit: AuditDraft[] }> {
  const paymentId = await insertPayment(tx, ctx, sale, { ...p, status: 'succeeded' });
  const paidFen = sale.paid_fen + p.amountFen;
  const complete = paidFen >= sale.total_fen;
  const { movements, hooked } = complete
    ? await completeSale(tx, ctx, sale, lines)
    : { movements: [], hooked: [] };
  const recorded = p.attemptId
    ? { tender: p.tender, amountFen: p.amountFen, attemptId: p.attemptId }
    : { tender: p.tender, amountFen: p.amountFen, tenderedFen: p.tenderedFen, changeFen: p.changeFen };
  return {
    saleFields: complete
      ? {
          status: 'completed',
          paid_fen: paidFen,
          change_fen: p.changeFen,
          completed_at: ctx.clock.now().toISOString(),
        }
      : { ...notDone, paid_fen: paidFen },
    audit: [
      ...hooked,
      { action: 'payment.recorded', entityType: 'payment', entityId: paymentId, after: recorded },
      ...(complete
        ? [
            {
              action: 'sale.completed',
              before: { status: sale.status, paidFen: sale.paid_fen },
              after: { status: 'completed', paidFen, totalFen: sale.total_fen, stock: movements },
            },
          ]
        : []),
    ],
  };
}

/**
 * Cash for the amount due — or, with `amountFen`, for the first part of a split (the sale stays
 * open, or on account, for the rest): records the payment and, when nothing is left due, moves
 * the stock out and completes the sale, all in one transaction, so a completed sale always has
 * its payment and its stock movements. Change of a largest banknote or more needs a supervisor's
 * grant (`large_change`), spent here.
 */
export async function payCash(
  ctx: Ctx,
  saleId: string,
  tenderedFen: number,
  options: { amountFen?: number | undefined; approvalId?: string | null | undefined } = {},
): Promise<SaleView> {
  const partOf = (sale: SalesTable) =>
    options.amountFen !== undefined && options.amountFen < sale.total_fen - sale.paid_fen;
  return mutateSale(
    ctx,
    saleId,
    (sale) => (partOf(sale) ? 'pay_part' : 'pay_in_full'),
    async (tx, sale, lines) => {
      if (lines.length === 0) throw new Refusal('sale_empty');
      const due = sale.total_fen - sale.paid_fen;
      const cash = settleCash(due, tenderedFen, options.amountFen ?? due);
      if (!cash.ok) throw new Refusal(cash.code, undefined, { dueFen: due });
      const spent = cash.needsApproval
        ? await spendApproval(ctx, tx, options.approvalId ?? null, {
            action: 'large_change',
            storeId: sale.store_id,
            saleId,
          })
        : null;
      const taken = await takePayment(
        tx,
        ctx,
        sale,
        lines,
        {
          tender: 'cash',
          amountFen: cash.amountFen,
          tenderedFen,
          changeFen: cash.changeFen,
          attemptId: null,
        },
        { change_fen: cash.changeFen },
      );
      return {
        lines,
        saleDiscount: saleDiscountOf(sale),
        saleFields: taken.saleFields,
        audit: () => [...(spent ? [approvalUsed(spent, 'large_change')] : []), ...taken.audit],
      };
    },
  );
}

/** Creates the refund attempts for card and wallet payments of a sale being voided; returns their audit events. */
export type RefundOwer = (tx: Tx, sale: SalesTable, payments: PaymentsTable[]) => Promise<AuditDraft[]>;

/**
 * A payment row beside the sale's own takings (a refund, a duplicate charge), with its audit event,
 * in one transaction; `status` is decided once the sale's existing rows can be read.
 */
async function addPaymentRow(
  ctx: Ctx,
  saleId: string,
  entry: { tender: string; amountFen: number; tenderedFen: number; attemptId: string },
  decide: (tx: Tx) => Promise<{ status: string; action: string }>,
): Promise<void> {
  await transaction(ctx.db, 'full', async (tx) => {
    const sale = await tx
      .selectFrom('sales')
      .select(['store_id', 'cashier_id'])
      .where('id', '=', saleId)
      .executeTakeFirst();
    if (!sale) throw new Refusal('sale_unknown');
    const { status, action } = await decide(tx);
    const id = await insertPayment(
      tx,
      ctx,
      { id: saleId, store_id: sale.store_id },
      {
        tender: entry.tender,
        status,
        amountFen: entry.amountFen,
        tenderedFen: entry.tenderedFen,
        changeFen: 0,
        attemptId: entry.attemptId,
      },
    );
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.store_id,
      actorId: actorIdOf(ctx, sale.cashier_id),
      action,
      entityType: 'payment',
      entityId: id,
      saleId,
      after: { tender: entry.tender, amountFen: entry.amountFen, attemptId: entry.attemptId },
    });
  });
}

/**
 * A refund attempt gave money back: a negative payment row on the sale, and its audit event. The
 * refund of a duplicate charge (`recordDuplicateCharge`) is marked as such, so the sale's own
 * payments still add up to what it was paid.
 */
export function recordRefund(
  ctx: Ctx,
  saleId: string,
  refund: { tender: string; amountFen: number; attemptId: string; refundOf: string | null },
): Promise<void> {
  const entry = { ...refund, amountFen: -refund.amountFen, tenderedFen: 0 };
  return addPaymentRow(ctx, saleId, entry, async (tx) => {
    const original = refund.refundOf
      ? await tx
          .selectFrom('payments')
          .select('status')
          .where('sale_id', '=', saleId)
          .where('attempt_id', '=', refund.refundOf)
          .executeTakeFirst()
      : undefined;
    return original?.status === 'duplicate'
      ? { status: 'duplicate_refunded', action: 'payment.duplicate_refunded' }
      : { status: 'refunded', action: 'payment.refunded' };
  });
}

/**
 * Money a provider took that the sale did not want (a second charge after the lock was lifted, or
 * one that came in after the sale was paid or voided), found by a review: it goes on the sale's
 * books as a duplicate — outside what the sale was paid — until its refund nets it out.
 */
export function recordDuplicateCharge(
  ctx: Ctx,
  saleId: string,
  charge: { tender: string; amountFen: number; attemptId: string },
): Promise<void> {
  const entry = { ...charge, tenderedFen: charge.amountFen };
  return addPaymentRow(ctx, saleId, entry, async () => ({
    status: 'duplicate',
    action: 'payment.duplicate_recorded',
  }));
}

/**
 * A card or wallet attempt starts: the sale waits (no edits, no other charge) until it settles.
 * Returns the sale as it stands, for the orchestrator's checks (amount due, store, till).
 */
export async function beginCharge(ctx: Ctx, saleId: string, amountFen: number): Promise<SalesTable> {
  let charged: SalesTable | null = null;
  await mutateSale(ctx, saleId, 'charge', async (_tx, sale, lines) => {
    if (lines.length === 0) throw new Refusal('sale_empty');
    const due = sale.total_fen - sale.paid_fen;
    if (!Number.isSafeInteger(amountFen) || amountFen <= 0) throw new Refusal('amount_out_of_range');
    if (amountFen > due) throw new Refusal('amount_exceeds_due', undefined, { dueFen: due });
    charged = sale;
    return {
      lines,
      saleDiscount: saleDiscountOf(sale),
      saleFields: { status: 'awaiting_payment' },
      audit: () => [{ action: 'sale.awaiting_payment', after: { amountFen, dueFen: due } }],
    };
  });
  if (!charged) throw new Error('invariant: beginCharge saw no sale');
  return charged;
}

/**
 * The no-second-charge lock lifted by a manager: the sale takes another tender although an earlier
 * attempt may still succeed. Recorded with both names and the reason; the attempt keeps being
 * resolved, and if it turns out paid it goes to review (the customer is refunded one).
 */
export async function releaseCharge(ctx: Ctx, saleId: string, approvalId: string | null): Promise<SaleView> {
  return mutateSale(
    ctx,
    saleId,
    (sale) => (sale.on_account_at ? 'release_on_account' : 'release'),
    async (tx, sale, lines) => {
      const spent = await spendApproval(ctx, tx, approvalId, {
        action: 'second_charge_override',
        storeId: sale.store_id,
        saleId,
      });
      return {
        lines,
        saleDiscount: saleDiscountOf(sale),
        saleFields: { status: sale.on_account_at ? 'on_account' : 'open' },
        audit: () => [
          approvalUsed(spent, 'second_charge_override'),
          { action: 'sale.charge_released', after: { approvedBy: spent.approvedBy, reason: spent.reason } },
        ],
      };
    },
  );
}

/**
 * An attempt has ended. Paid: the payment is recorded, and if nothing is left due the sale
 * completes and its goods leave stock, in this one transaction. Not paid: the sale is open again
 * for another tender.
 */
export async function finishCharge(
  ctx: Ctx,
  saleId: string,
  outcome: { paid: false } | { paid: true; tender: string; amountFen: number; attemptId: string },
): Promise<SaleView> {
  return mutateSale(
    ctx,
    saleId,
    (sale) => {
      const paidNow = outcome.paid ? outcome.amountFen : 0;
      if (sale.paid_fen + paidNow >= sale.total_fen && paidNow > 0) return 'charge_completed';
      // A sale on account stays on account, whatever the attempt did.
      return sale.on_account_at ? 'charge_back_on_account' : 'charge_settled';
    },
    async (tx, sale, lines) => {
      const notDone = sale.on_account_at ? 'on_account' : 'open';
      if (!outcome.paid)
        return {
          lines,
          saleDiscount: saleDiscountOf(sale),
          saleFields: { status: notDone },
          audit: () => [{ action: 'sale.charge_not_paid', after: { paidFen: sale.paid_fen } }],
        };
      const taken = await takePayment(
        tx,
        ctx,
        sale,
        lines,
        {
          tender: outcome.tender,
          amountFen: outcome.amountFen,
          tenderedFen: outcome.amountFen,
          changeFen: 0,
          attemptId: outcome.attemptId,
        },
        { status: notDone },
      );
      return {
        lines,
        saleDiscount: saleDiscountOf(sale),
        saleFields: taken.saleFields,
        audit: () => taken.audit,
      };
    },
  );
}

export async function getSale(ctx: Ctx, saleId: string): Promise<SaleView> {
  const sale = await readSale(ctx.db.kysely, saleId);
  if (!sale) throw new Refusal('sale_unknown');
  return sale;
}

export async function recordReceiptPrint(
  ctx: Ctx,
  saleId: string,
  input: { format: 'html' | 'escpos'; widthMm: 58 | 80 },
): Promise<{ printNo: number; reprint: boolean }> {
  return transaction(ctx.db, 'full', async (tx) => {
    const sale = await tx
      .selectFrom('sales')
      .select(['id', 'store_id', 'status', 'cashier_id'])
      .where('id', '=', saleId)
      .executeTakeFirst();
    if (!sale) throw new Refusal('sale_unknown');
    if (sale.status !== 'completed')
      throw new Refusal('sale_not_open', 'only a completed sale has a receipt');
    const last = await tx
      .selectFrom('receipt_prints')
      .select((eb) => eb.fn.max('print_no').as('n'))
      .where('sale_id', '=', saleId)
      .executeTakeFirst();
    const printNo = (last?.n ?? 0) + 1;
    await tx
      .insertInto('receipt_prints')
      .values({
        id: ctx.ids.next('prt'),
        sale_id: saleId,
        store_id: sale.store_id,
        print_no: printNo,
        format: input.format,
        width_mm: input.widthMm,
        actor_id: actorIdOf(ctx, sale.cashier_id),
        at: ctx.clock.now().toISOString(),
      })
      .execute();
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.store_id,
      actorId: actorIdOf(ctx, sale.cashier_id),
      action: printNo === 1 ? 'receipt.printed' : 'receipt.reprinted',
      entityType: 'sale',
      entityId: saleId,
      saleId,
      after: { printNo, format: input.format, widthMm: input.widthMm },
    });
    return { printNo, reprint: printNo > 1 };
  });
}

// ---------------------------------------------------------------- parked sales (挂单)

export interface ParkedSaleView {
  saleId: string;
  number: string;
  storeId: string;
  totalFen: number;
  lineCount: number;
  note: string | null;
  parkedBy: { id: string; name: string };
  parkedAt: string;
  parkedTillId: string;
  expiresAt: string;
}

/**
 * 挂单: the sale is set aside so the till can serve the next customer. Its goods are reserved (not
 * sold) until it is resumed or its hold ends. Only a sale nothing has been paid on: money taken
 * goes with a provisional slip instead, which says who owes what.
 */
export async function parkSale(ctx: Ctx, saleId: string, input: { note: string | null }): Promise<SaleView> {
  const actor = ctx.actor;
  if (!actor?.tillId) throw new Refusal('wrong_surface', 'a sale is parked at a till');
  return mutateSale(ctx, saleId, 'park', async (tx, sale, lines) => {
    if (lines.length === 0) throw new Refusal('sale_empty');
    if (sale.paid_fen > 0) throw new Refusal('sale_partly_paid', undefined, { paidFen: sale.paid_fen });
    const now = ctx.clock.now().getTime();
    const expiresAt = new Date(parkExpiresAt(now)).toISOString();
    const reserved = await writeMovements(tx, ctx, saleStockMoves(ctx, sale, lines, 'reserve'), null);
    const parking = {
      status: 'parked',
      note: input.note,
      parked_by: actor.staffId,
      parked_at: new Date(now).toISOString(),
      parked_till_id: actor.tillId!,
      expires_at: expiresAt,
      ended_by: null,
      ended_at: null,
      resumed_till_id: null,
    };
    await tx
      .insertInto('parked_sales')
      .values({ sale_id: sale.id, store_id: sale.store_id, ...parking })
      // Parked once before, resumed since: this is its next parking.
      .onConflict((oc) => oc.column('sale_id').doUpdateSet(parking))
      .execute();
    return {
      lines,
      saleDiscount: saleDiscountOf(sale),
      saleFields: { status: 'parked' },
      audit: () => [
        {
          action: 'sale.parked',
          after: { note: input.note, expiresAt, tillId: actor.tillId, stock: reserved },
        },
      ],
    };
  });
}

/** The parked sale taken up again at this till (any till of its store); its goods are released. */
export async function resumeSale(ctx: Ctx, saleId: string): Promise<SaleView> {
  const actor = ctx.actor;
  if (!actor?.tillId) throw new Refusal('wrong_surface', 'a sale is resumed at a till');
  return mutateSale(ctx, saleId, 'resume', async (tx, sale, lines) => {
    const till = await tx
      .selectFrom('tills')
      .select('id')
      .where('id', '=', actor.tillId!)
      .where('store_id', '=', sale.store_id)
      .executeTakeFirst();
    if (!till) throw new Refusal('till_unknown', 'a parked sale is resumed at a till of its own store');
    const released = await writeMovements(tx, ctx, saleStockMoves(ctx, sale, lines, 'release'), null);
    await endParking(tx, ctx, sale.id, 'resumed', actor.tillId!);
    return {
      lines,
      saleDiscount: saleDiscountOf(sale),
      saleFields: { status: 'open', till_id: actor.tillId! },
      audit: () => [
        {
          action: 'sale.resumed',
          before: { tillId: sale.till_id },
          after: { tillId: actor.tillId, stock: released },
        },
      ],
    };
  });
}

async function endParking(
  tx: Tx,
  ctx: Ctx,
  saleId: string,
  status: 'resumed' | 'expired',
  tillId: string | null,
) {
  const ended = await tx
    .updateTable('parked_sales')
    .set({
      status,
      ended_at: ctx.clock.now().toISOString(),
      ended_by: ctx.actor?.staffId ?? 'system',
      resumed_till_id: tillId,
    })
    .where('sale_id', '=', saleId)
    .where('status', '=', 'parked')
    .executeTakeFirst();
  if (Number(ended.numUpdatedRows) !== 1)
    throw new Error(`invariant: sale ${saleId} parked without its record`);
}

/**
 * Parked sales whose hold has ended: each releases its goods and ends (nothing was paid on it), in
 * its own transaction. Bounded per call; run by the store's sweeper and by tests.
 */
export async function expireParkedSales(ctx: Ctx, limit = 100): Promise<string[]> {
  const now = ctx.clock.now().toISOString();
  const due = await ctx.db.kysely
    .selectFrom('parked_sales')
    .select('sale_id')
    .where('status', '=', 'parked')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  const expired: string[] = [];
  for (const { sale_id } of due) {
    try {
      await mutateSale(ctx, sale_id, 'park_expired', async (tx, sale, lines) => {
        const released = await writeMovements(tx, ctx, saleStockMoves(ctx, sale, lines, 'release'), null);
        await endParking(tx, ctx, sale.id, 'expired', null);
        return {
          lines,
          saleDiscount: saleDiscountOf(sale),
          saleFields: { status: 'voided', voided_at: now, void_reason: 'parked sale not taken up in time' },
          audit: () => [{ action: 'sale.park_expired', after: { stock: released } }],
        };
      });
      expired.push(sale_id);
    } catch (error) {
      // Resumed meanwhile: it is no longer parked, nothing to expire.
      if (!(error instanceof Refusal)) throw error;
    }
  }
  return expired;
}

/** The store's parked sales, oldest first (for the till's "take up" list and the back office). */
export async function parkedSalesOf(ctx: Ctx, storeId: string): Promise<ParkedSaleView[]> {
  const rows = await ctx.db.kysely
    .selectFrom('parked_sales as p')
    .innerJoin('sales as s', 's.id', 'p.sale_id')
    .leftJoin('staff as st', 'st.id', 'p.parked_by')
    .select([
      'p.sale_id',
      's.number',
      'p.store_id',
      's.total_fen',
      's.line_count',
      'p.note',
      'p.parked_by',
      'st.name as parked_by_name',
      'p.parked_at',
      'p.parked_till_id',
      'p.expires_at',
    ])
    .where('p.store_id', '=', storeId)
    .where('p.status', '=', 'parked')
    .orderBy('p.parked_at')
    .limit(200)
    .execute();
  return rows.map((r) => ({
    saleId: r.sale_id,
    number: r.number,
    storeId: r.store_id,
    totalFen: Number(r.total_fen),
    lineCount: Number(r.line_count),
    note: r.note,
    parkedBy: { id: r.parked_by, name: r.parked_by_name ?? r.parked_by },
    parkedAt: r.parked_at,
    parkedTillId: r.parked_till_id,
    expiresAt: r.expires_at,
  }));
}

// ---------------------------------------------------------------- on account (小单)

/**
 * The stock a completed sale moves, exactly once: its goods leave stock — unless it was on account
 * with the goods taken (they left when the slip was issued); goods the store held come off their
 * reservation as they leave.
 */
function completionMoves(ctx: Ctx, sale: SalesTable, lines: SaleLinesTable[]) {
  if (!sale.on_account_at) return saleStockMoves(ctx, sale, lines, 'sale');
  if (sale.goods_taken === 1) return [];
  return [...saleStockMoves(ctx, sale, lines, 'release'), ...saleStockMoves(ctx, sale, lines, 'sale')];
}

/**
 * 小单: the sale cannot be finished now. It goes on account, its lines fixed; goods the customer
 * takes leave stock now, goods the store holds are reserved. An attempt still unknown goes on and
 * may pay it. Runs in the caller's transaction (the exception desk issues the slip with it).
 */
export async function putOnAccount(
  ctx: Ctx,
  saleId: string,
  input: { goodsTaken: boolean },
): Promise<SaleView> {
  return mutateSale(ctx, saleId, 'put_on_account', async (tx, sale, lines) => {
    if (lines.length === 0) throw new Refusal('sale_empty');
    if (sale.total_fen - sale.paid_fen <= 0) throw new Refusal('sale_nothing_due');
    const moves = await writeMovements(
      tx,
      ctx,
      saleStockMoves(ctx, sale, lines, input.goodsTaken ? 'sale' : 'reserve'),
      null,
    );
    return {
      lines,
      saleDiscount: saleDiscountOf(sale),
      saleFields: {
        status: 'on_account',
        on_account_at: ctx.clock.now().toISOString(),
        goods_taken: input.goodsTaken ? 1 : 0,
      },
      audit: () => [
        {
          action: 'sale.on_account',
          before: { status: sale.status },
          after: { goodsTaken: input.goodsTaken, dueFen: sale.total_fen - sale.paid_fen, stock: moves },
        },
      ],
    };
  });
}

/**
 * The customer never came back: goods held go back on sale (their reservation released), goods
 * taken are written off (they left stock at the slip; the loss is on record). Only a sale nothing
 * was paid on — money taken must be refunded first. Runs in the caller's transaction.
 */
export async function closeOnAccount(ctx: Ctx, saleId: string, reason: string): Promise<SaleView> {
  return mutateSale(ctx, saleId, 'close_on_account', async (tx, sale, lines) => {
    if (sale.paid_fen > 0) throw new Refusal('sale_partly_paid', undefined, { paidFen: sale.paid_fen });
    const moves =
      sale.goods_taken === 1
        ? []
        : await writeMovements(tx, ctx, saleStockMoves(ctx, sale, lines, 'release'), null);
    const at = ctx.clock.now().toISOString();
    return {
      lines,
      saleDiscount: saleDiscountOf(sale),
      saleFields: { status: 'voided', voided_at: at, void_reason: reason },
      audit: () => [
        {
          action: sale.goods_taken === 1 ? 'sale.written_off' : 'sale.cancelled_restocked',
          before: { status: sale.status, totalFen: sale.total_fen },
          after: { reason, stock: moves },
        },
      ],
    };
  });
}

/**
 * The customer showed proof that the money was taken (their bank or wallet says so): the sale
 * takes no tender until the statement decides. Runs in the caller's transaction.
 */
export async function awaitStatement(ctx: Ctx, saleId: string, confirmationId: string): Promise<SaleView> {
  return mutateSale(ctx, saleId, 'await_statement', async (_tx, sale, lines) => ({
    lines,
    saleDiscount: saleDiscountOf(sale),
    saleFields: { status: 'awaiting_statement' },
    audit: () => [
      {
        action: 'sale.awaiting_statement',
        before: { status: sale.status },
        after: { dueFen: sale.total_fen - sale.paid_fen, confirmationId },
      },
    ],
  }));
}

/**
 * The statement decided on the customer's proof. It holds the money: a payment for what was due is
 * recorded (by the tender the statement names, with its reference) and the sale completes, its
 * stock moving exactly once. It does not: the sale is back on account, payable again. Runs in the
 * caller's transaction (the reconciliation's, in Step 6).
 */
export async function decideByStatement(
  ctx: Ctx,
  saleId: string,
  verdict:
    | { holds: true; tender: string; amountFen: number; reference: string }
    | { holds: false; why: string },
): Promise<SaleView> {
  return mutateSale(
    ctx,
    saleId,
    verdict.holds ? 'statement_settles' : 'statement_disagrees',
    async (tx, sale, lines) => {
      if (!verdict.holds)
        return {
          lines,
          saleDiscount: saleDiscountOf(sale),
          saleFields: { status: 'on_account' },
          audit: () => [{ action: 'sale.statement_disagrees', after: { why: verdict.why } }],
        };
      const due = sale.total_fen - sale.paid_fen;
      if (verdict.amountFen !== due)
        throw new Refusal('confirmation_amount_mismatch', undefined, { dueFen: due });
      const at = ctx.clock.now().toISOString();
      const paymentId = await insertPayment(tx, ctx, sale, {
        tender: verdict.tender,
        status: 'succeeded',
        amountFen: due,
        tenderedFen: due,
        changeFen: 0,
        attemptId: null,
      });
      const { movements, hooked } = await completeSale(tx, ctx, sale, lines);
      return {
        lines,
        saleDiscount: saleDiscountOf(sale),
        saleFields: { status: 'completed', paid_fen: sale.total_fen, change_fen: 0, completed_at: at },
        audit: () => [
          ...hooked,
          {
            action: 'payment.recorded',
            entityType: 'payment',
            entityId: paymentId,
            after: { tender: verdict.tender, amountFen: due, statementRef: verdict.reference },
          },
          {
            action: 'sale.completed',
            after: {
              status: 'completed',
              paidFen: sale.total_fen,
              totalFen: sale.total_fen,
              stock: movements,
            },
          },
        ],
      };
    },
  );
}
