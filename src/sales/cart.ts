/** Opening a sale and editing its cart: lines, quantities, discounts. */
import { appendAudit } from '../audit';
import { variantByBarcode, variantById } from '../catalog';
import type { Ctx } from '../context';
import { nextNumber, prepared, rowOf, type SalesTable, transaction } from '../db';
import { localDateKey, Refusal } from '../kernel';
import { firstCashierOf } from '../staff';
import { storeFacts, tillById } from '../stores';
import { type Discount, MAX_SALE_LINES, saleNumber } from './model';
import { checkDiscount, checkQty, mutateSale, saleDiscountOf } from './sale-change';
import { buildSaleView, readSale } from './store';
import { refuseUnlessTillMayMoveOn } from './till-hold';
import { discountFromColumns, discountToColumns, type SaleView } from './views';

// Opening a sale, compiled once.
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
        'returned_fen',
      ]),
    ),
);
export async function openSale(
  ctx: Ctx,
  input: { storeId: string; tillId: string; cashierId: string | null },
): Promise<SaleView> {
  return transaction(ctx.db, 'full', async (tx) => {
    const store = await storeFacts(tx, input.storeId);
    if (!store) throw new Refusal('store_unknown');
    const till = await tillById(tx, input.tillId);
    if (till?.storeId !== store.id) throw new Refusal('till_unknown');
    const place = {
      id: store.id,
      code: store.code,
      time_zone: store.timeZone,
      currency: store.currency,
      till_id: till.id,
    };
    // A till's session sells at that till only.
    if (ctx.actor?.tillId && ctx.actor.tillId !== place.till_id)
      throw new Refusal('forbidden', 'signed in at another till');
    await refuseUnlessTillMayMoveOn(tx, ctx, null);
    // The signed-in cashier; without a session (CLI, tools) the one named, or the store's first.
    const cashierId =
      ctx.actor?.staffId ?? input.cashierId ?? (await firstCashierOf(tx, place.id)) ?? 'unknown';
    const now = ctx.clock.now();
    const dateKey = localDateKey(now, place.time_zone);
    const counter = { value: await nextNumber(tx, place.id, `sale:${dateKey}`) };
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
      returned_fen: 0,
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

export async function getSale(ctx: Ctx, saleId: string): Promise<SaleView> {
  const sale = await readSale(ctx.db.kysely, saleId);
  if (!sale) throw new Refusal('sale_unknown');
  return sale;
}
