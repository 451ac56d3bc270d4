/**
 * Sale use cases. Each runs in one database transaction that starts by bumping the sale's
 * version: that UPDATE locks the row in PostgreSQL (SQLite serialises writers anyway), so two
 * tills editing one sale never interleave. Refusals roll the whole transaction back.
 */
import { appendAudit } from '../audit';
import { variantByBarcode, variantById } from '../catalog';
import type { Ctx } from '../context';
import { inTransaction, type SalesTable, type Tx } from '../db';
import { localDateKey, Refusal } from '../kernel';
import { writeMovements } from '../stock';
import {
  computeTotals,
  type Discount,
  discountProblem,
  MAX_LINE_QTY,
  MAX_SALE_LINES,
  type SaleEvent,
  type SaleStatus,
  saleNumber,
  settleCash,
  transitionSale,
} from './model';
import { readSale } from './store';
import { discountFromColumns, discountToColumns, type SaleView } from './views';

function checkQty(qty: number): void {
  if (!Number.isInteger(qty) || qty < 1 || qty > MAX_LINE_QTY) throw new Refusal('quantity_out_of_range');
}

function checkDiscount(discount: Discount | null): void {
  if (discount && discountProblem(discount))
    throw new Refusal('amount_out_of_range', 'discount out of range');
}

export async function openSale(
  ctx: Ctx,
  input: { storeId: string; tillId: string; cashierId: string | null },
): Promise<SaleView> {
  return inTransaction(ctx.db.kysely, async (tx) => {
    const store = await tx
      .selectFrom('stores')
      .select(['id', 'code', 'time_zone', 'currency'])
      .where('id', '=', input.storeId)
      .executeTakeFirst();
    if (!store) throw new Refusal('store_unknown');
    const till = await tx
      .selectFrom('tills')
      .select('id')
      .where('id', '=', input.tillId)
      .where('store_id', '=', store.id)
      .executeTakeFirst();
    if (!till) throw new Refusal('till_unknown');
    const cashierId =
      input.cashierId ??
      (
        await tx
          .selectFrom('staff')
          .select('id')
          .where('store_id', '=', store.id)
          .where('role', '=', 'cashier')
          .orderBy('code')
          .executeTakeFirst()
      )?.id ??
      'unknown';
    const now = ctx.clock.now();
    const dateKey = localDateKey(now, store.time_zone);
    const counter = await tx
      .insertInto('counters')
      .values({ scope: store.id, name: `sale:${dateKey}`, value: 1 })
      .onConflict((oc) =>
        oc.columns(['scope', 'name']).doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })),
      )
      .returning('value')
      .executeTakeFirstOrThrow();
    const id = ctx.ids.next('sale');
    const at = now.toISOString();
    const row: SalesTable = {
      id,
      store_id: store.id,
      till_id: till.id,
      number: saleNumber(store.code, dateKey, counter.value),
      status: 'open',
      cashier_id: cashierId,
      currency: store.currency,
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
    };
    await tx.insertInto('sales').values(row).execute();
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: store.id,
      actorId: cashierId,
      action: 'sale.opened',
      entityType: 'sale',
      entityId: id,
      saleId: id,
      after: { number: row.number, tillId: till.id },
    });
    return (await readSale(tx, id))!;
  });
}

/** Runs `change` on a sale that the event is allowed for, then recomputes totals and reads it back. */
async function mutateSale(
  ctx: Ctx,
  saleId: string,
  event: SaleEvent,
  change: (tx: Tx, sale: SalesTable) => Promise<void>,
): Promise<SaleView> {
  return inTransaction(ctx.db.kysely, async (tx) => {
    const sale = await tx
      .updateTable('sales')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: ctx.clock.now().toISOString() }))
      .where('id', '=', saleId)
      .returningAll()
      .executeTakeFirst();
    if (!sale) throw new Refusal('sale_unknown');
    if (!transitionSale(sale.status as SaleStatus, event).ok) throw new Refusal('sale_not_open');
    await change(tx, sale);
    return (await readSale(tx, saleId))!;
  });
}

/** Recomputes every line's and the sale's totals from the stored lines and discounts. */
async function recomputeTotals(tx: Tx, saleId: string, saleDiscount: Discount | null): Promise<number> {
  const lines = await tx
    .selectFrom('sale_lines')
    .selectAll()
    .where('sale_id', '=', saleId)
    .orderBy('line_no')
    .execute();
  const result = computeTotals(
    lines.map((l) => ({
      unitPriceFen: l.unit_price_fen,
      qty: l.qty,
      discount: discountFromColumns(l.discount_kind, l.discount_value),
    })),
    saleDiscount,
  );
  if (!result.ok) {
    const line = result.lineIndex === null ? undefined : lines[result.lineIndex];
    throw new Refusal(
      result.code,
      line ? `line ${line.line_no}` : 'sale discount',
      line ? { lineId: line.id } : {},
    );
  }
  const { totals } = result;
  for (const [i, line] of lines.entries()) {
    const t = totals.lines[i]!;
    if (
      line.line_discount_fen !== t.lineDiscountFen ||
      line.sale_discount_share_fen !== t.saleDiscountShareFen ||
      line.total_fen !== t.totalFen
    ) {
      await tx
        .updateTable('sale_lines')
        .set({
          line_discount_fen: t.lineDiscountFen,
          sale_discount_share_fen: t.saleDiscountShareFen,
          total_fen: t.totalFen,
        })
        .where('id', '=', line.id)
        .execute();
    }
  }
  const { kind, value } = discountToColumns(saleDiscount);
  await tx
    .updateTable('sales')
    .set({
      subtotal_fen: totals.subtotalFen,
      line_discount_fen: totals.lineDiscountFen,
      sale_discount_kind: kind,
      sale_discount_value: value,
      sale_discount_fen: totals.saleDiscountFen,
      total_fen: totals.totalFen,
      line_count: lines.length,
    })
    .where('id', '=', saleId)
    .execute();
  return totals.totalFen;
}

function saleDiscountOf(sale: SalesTable): Discount | null {
  return discountFromColumns(sale.sale_discount_kind, sale.sale_discount_value);
}

export async function addLine(
  ctx: Ctx,
  saleId: string,
  input: { barcode?: string; variantId?: string; qty: number },
): Promise<SaleView> {
  checkQty(input.qty);
  return mutateSale(ctx, saleId, 'edit', async (tx, sale) => {
    const variant =
      input.barcode !== undefined
        ? await variantByBarcode(tx, input.barcode.trim())
        : await variantById(tx, input.variantId ?? '');
    if (!variant)
      throw new Refusal(input.barcode !== undefined ? 'barcode_unknown' : 'variant_unknown', input.barcode);
    if (!variant.active) throw new Refusal('variant_inactive');
    const lines = await tx
      .selectFrom('sale_lines')
      .select(['id', 'line_no', 'variant_id', 'qty', 'discount_kind', 'unit_price_fen'])
      .where('sale_id', '=', saleId)
      .execute();
    // A second scan of the same item adds to its line (unless that line has its own discount).
    const same = lines.find(
      (l) => l.variant_id === variant.id && l.discount_kind === null && l.unit_price_fen === variant.priceFen,
    );
    if (same) {
      const qty = same.qty + input.qty;
      checkQty(qty);
      await tx.updateTable('sale_lines').set({ qty }).where('id', '=', same.id).execute();
    } else {
      if (lines.length >= MAX_SALE_LINES) throw new Refusal('sale_too_large');
      await tx
        .insertInto('sale_lines')
        .values({
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
        })
        .execute();
    }
    const totalFen = await recomputeTotals(tx, saleId, saleDiscountOf(sale));
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.store_id,
      actorId: sale.cashier_id,
      action: 'sale.line_added',
      entityType: 'sale',
      entityId: saleId,
      saleId,
      before: { totalFen: sale.total_fen },
      after: { sku: variant.sku, qty: input.qty, merged: same !== undefined, totalFen },
    });
  });
}

export async function updateLine(
  ctx: Ctx,
  saleId: string,
  lineId: string,
  input: { qty?: number; discount?: Discount | null },
): Promise<SaleView> {
  if (input.qty !== undefined) checkQty(input.qty);
  if (input.discount !== undefined) checkDiscount(input.discount);
  return mutateSale(ctx, saleId, 'edit', async (tx, sale) => {
    const line = await tx
      .selectFrom('sale_lines')
      .selectAll()
      .where('id', '=', lineId)
      .where('sale_id', '=', saleId)
      .executeTakeFirst();
    if (!line) throw new Refusal('line_unknown');
    const discount =
      input.discount === undefined
        ? discountFromColumns(line.discount_kind, line.discount_value)
        : input.discount;
    const { kind, value } = discountToColumns(discount);
    const qty = input.qty ?? line.qty;
    await tx
      .updateTable('sale_lines')
      .set({ qty, discount_kind: kind, discount_value: value })
      .where('id', '=', lineId)
      .execute();
    const totalFen = await recomputeTotals(tx, saleId, saleDiscountOf(sale));
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.store_id,
      actorId: sale.cashier_id,
      action: 'sale.line_changed',
      entityType: 'sale',
      entityId: saleId,
      saleId,
      before: {
        lineNo: line.line_no,
        qty: line.qty,
        discount: discountFromColumns(line.discount_kind, line.discount_value),
        totalFen: sale.total_fen,
      },
      after: { lineNo: line.line_no, qty, discount, totalFen },
    });
  });
}

export async function removeLine(ctx: Ctx, saleId: string, lineId: string): Promise<SaleView> {
  return mutateSale(ctx, saleId, 'edit', async (tx, sale) => {
    const line = await tx
      .selectFrom('sale_lines')
      .selectAll()
      .where('id', '=', lineId)
      .where('sale_id', '=', saleId)
      .executeTakeFirst();
    if (!line) throw new Refusal('line_unknown');
    await tx.deleteFrom('sale_lines').where('id', '=', lineId).execute();
    const totalFen = await recomputeTotals(tx, saleId, saleDiscountOf(sale));
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.store_id,
      actorId: sale.cashier_id,
      action: 'sale.line_removed',
      entityType: 'sale',
      entityId: saleId,
      saleId,
      before: { lineNo: line.line_no, sku: line.sku, qty: line.qty, totalFen: sale.total_fen },
      after: { totalFen },
    });
  });
}

export async function setSaleDiscount(
  ctx: Ctx,
  saleId: string,
  discount: Discount | null,
): Promise<SaleView> {
  checkDiscount(discount);
  return mutateSale(ctx, saleId, 'edit', async (tx, sale) => {
    const totalFen = await recomputeTotals(tx, saleId, discount);
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.store_id,
      actorId: sale.cashier_id,
      action: 'sale.discount_set',
      entityType: 'sale',
      entityId: saleId,
      saleId,
      before: { discount: saleDiscountOf(sale), totalFen: sale.total_fen },
      after: { discount, totalFen },
    });
  });
}

export async function voidSale(ctx: Ctx, saleId: string, reason: string): Promise<SaleView> {
  return mutateSale(ctx, saleId, 'void', async (tx, sale) => {
    const at = ctx.clock.now().toISOString();
    await tx
      .updateTable('sales')
      .set({ status: 'voided', voided_at: at, void_reason: reason })
      .where('id', '=', saleId)
      .execute();
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.store_id,
      actorId: sale.cashier_id,
      action: 'sale.voided',
      entityType: 'sale',
      entityId: saleId,
      saleId,
      before: { status: sale.status, totalFen: sale.total_fen },
      after: { status: 'voided', reason },
    });
  });
}

/**
 * Cash for the whole amount due: records the payment, moves the stock out and completes the sale,
 * all in one transaction, so a completed sale always has its payment and its stock movements.
 */
export async function payCash(ctx: Ctx, saleId: string, tenderedFen: number): Promise<SaleView> {
  return mutateSale(ctx, saleId, 'pay_in_full', async (tx, sale) => {
    if (sale.line_count === 0) throw new Refusal('sale_empty');
    const due = sale.total_fen - sale.paid_fen;
    const cash = settleCash(due, tenderedFen);
    if (!cash.ok) throw new Refusal(cash.code, undefined, { dueFen: due });
    const at = ctx.clock.now().toISOString();
    const paymentId = ctx.ids.next('pay');
    await tx
      .insertInto('payments')
      .values({
        id: paymentId,
        sale_id: saleId,
        store_id: sale.store_id,
        tender: 'cash',
        status: 'succeeded',
        amount_fen: cash.amountFen,
        tendered_fen: tenderedFen,
        change_fen: cash.changeFen,
        created_at: at,
      })
      .execute();
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.store_id,
      actorId: sale.cashier_id,
      action: 'payment.recorded',
      entityType: 'payment',
      entityId: paymentId,
      saleId,
      after: { tender: 'cash', amountFen: cash.amountFen, tenderedFen, changeFen: cash.changeFen },
    });
    const lines = await tx
      .selectFrom('sale_lines')
      .select(['variant_id', 'qty'])
      .where('sale_id', '=', saleId)
      .orderBy('line_no')
      .execute();
    const movements = await writeMovements(
      tx,
      ctx,
      lines.map((l) => ({
        storeId: sale.store_id,
        variantId: l.variant_id,
        kind: 'sale' as const,
        delta: -l.qty,
        refType: 'sale',
        refId: saleId,
        actorId: sale.cashier_id,
      })),
      null,
    );
    await tx
      .updateTable('sales')
      .set({
        status: 'completed',
        paid_fen: sale.paid_fen + cash.amountFen,
        change_fen: cash.changeFen,
        completed_at: at,
      })
      .where('id', '=', saleId)
      .execute();
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.store_id,
      actorId: sale.cashier_id,
      action: 'sale.completed',
      entityType: 'sale',
      entityId: saleId,
      saleId,
      before: { status: sale.status, paidFen: sale.paid_fen },
      after: {
        status: 'completed',
        paidFen: sale.paid_fen + cash.amountFen,
        totalFen: sale.total_fen,
        stock: movements,
      },
    });
  });
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
  return inTransaction(ctx.db.kysely, async (tx) => {
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
        actor_id: sale.cashier_id,
        at: ctx.clock.now().toISOString(),
      })
      .execute();
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.store_id,
      actorId: sale.cashier_id,
      action: printNo === 1 ? 'receipt.printed' : 'receipt.reprinted',
      entityType: 'sale',
      entityId: saleId,
      saleId,
      after: { printNo, format: input.format, widthMm: input.widthMm },
    });
    return { printNo, reprint: printNo > 1 };
  });
}
