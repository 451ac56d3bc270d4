import { type PaymentsTable, prepared, type SaleLinesTable, type SalesTable, type Tx } from '../db';
import type { BookedTender } from '../shared';
import { onHandOf } from '../stock';
import { assertTotalsInvariants, type SaleStatus } from './model';
import { saleActions } from './sale-actions';
import { discountFromColumns, type SaleView } from './views';

/** A sale as the API shows it, from its rows; invariants are asserted here, on every read. */
export function buildSaleView(
  sale: SalesTable,
  lines: readonly SaleLinesTable[],
  payments: readonly PaymentsTable[],
  onHand: ReadonlyMap<string, number>,
): SaleView {
  const view: SaleView = {
    id: sale.id,
    storeId: sale.store_id,
    tillId: sale.till_id,
    number: sale.number,
    status: sale.status,
    cashierId: sale.cashier_id,
    currency: sale.currency,
    lines: [...lines]
      .sort((a, b) => a.line_no - b.line_no)
      .map((l) => ({
        id: l.id,
        lineNo: l.line_no,
        variantId: l.variant_id,
        sku: l.sku,
        barcode: l.barcode,
        nameZh: l.name_zh,
        nameEn: l.name_en,
        size: l.size,
        colourZh: l.colour_zh,
        colourEn: l.colour_en,
        unitPriceFen: l.unit_price_fen,
        qty: l.qty,
        discount: discountFromColumns(l.discount_kind, l.discount_value),
        grossFen: l.unit_price_fen * l.qty,
        lineDiscountFen: l.line_discount_fen,
        saleDiscountShareFen: l.sale_discount_share_fen,
        totalFen: l.total_fen,
        onHand: onHand.get(l.variant_id) ?? 0,
      })),
    saleDiscount: discountFromColumns(sale.sale_discount_kind, sale.sale_discount_value),
    subtotalFen: sale.subtotal_fen,
    lineDiscountFen: sale.line_discount_fen,
    saleDiscountFen: sale.sale_discount_fen,
    totalFen: sale.total_fen,
    paidFen: sale.paid_fen,
    dueFen: sale.total_fen - sale.paid_fen,
    changeFen: sale.change_fen,
    payments: payments.map((p) => ({
      id: p.id,
      tender: p.tender,
      status: p.status,
      amountFen: p.amount_fen,
      tenderedFen: p.tendered_fen,
      changeFen: p.change_fen,
      createdAt: p.created_at,
    })),
    version: sale.version,
    openedAt: sale.opened_at,
    completedAt: sale.completed_at,
    voidedAt: sale.voided_at,
    voidReason: sale.void_reason,
    returnedFen: sale.returned_fen,
    allowed: saleActions({
      status: sale.status,
      lineCount: lines.length,
      paidFen: sale.paid_fen,
      dueFen: sale.total_fen - sale.paid_fen,
      returnedFen: sale.returned_fen,
    }),
  };
  assertTotalsInvariants({
    lines: view.lines,
    subtotalFen: view.subtotalFen,
    lineDiscountFen: view.lineDiscountFen,
    saleDiscountFen: view.saleDiscountFen,
    totalFen: view.totalFen,
  });
  if (view.paidFen > view.totalFen)
    throw new Error(`invariant: sale ${view.id} paid ${view.paidFen} > total ${view.totalFen}`);
  if (view.lines.length !== sale.line_count)
    throw new Error(
      `invariant: sale ${view.id} has ${view.lines.length} lines, its row says ${sale.line_count}`,
    );
  return view;
}

const PAYMENTS_OF_SALE = prepared((db, p: { saleId: string }) =>
  db.selectFrom('payments').selectAll().where('sale_id', '=', p.saleId).orderBy('created_at').orderBy('id'),
);

export async function paymentsOf(db: Tx, saleId: string): Promise<PaymentsTable[]> {
  return PAYMENTS_OF_SALE.all(db, { saleId });
}

export async function readSale(db: Tx, saleId: string): Promise<SaleView | null> {
  const sale = await db.selectFrom('sales').selectAll().where('id', '=', saleId).executeTakeFirst();
  if (!sale) return null;
  const lines = await db
    .selectFrom('sale_lines')
    .selectAll()
    .where('sale_id', '=', saleId)
    .orderBy('line_no')
    .execute();
  const payments = await paymentsOf(db, saleId);
  const onHand = await onHandOf(db, sale.store_id, [...new Set(lines.map((l) => l.variant_id))]);
  return buildSaleView(sale, lines, payments, onHand);
}

export async function listSales(db: Tx, storeId: string, status: SaleStatus | null, limit: number) {
  let q = db
    .selectFrom('sales')
    .select([
      'id',
      'number',
      'status',
      'till_id',
      'total_fen',
      'paid_fen',
      'line_count',
      'opened_at',
      'completed_at',
    ])
    .where('store_id', '=', storeId);
  if (status) q = q.where('status', '=', status);
  const rows = await q.orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    status: r.status,
    tillId: r.till_id,
    totalFen: r.total_fen,
    paidFen: r.paid_fen,
    lineCount: r.line_count,
    openedAt: r.opened_at,
    completedAt: r.completed_at,
  }));
}

/** What other rooms need to know of a sale: its number, store, state and money. */
export interface SaleHeader {
  id: string;
  number: string;
  storeId: string;
  status: SaleStatus;
  totalFen: number;
  paidFen: number;
  dueFen: number;
  /** When it went on account (a provisional slip), or null. */
  onAccountAt: string | null;
}

const headerOf = (
  s: Pick<SalesTable, 'id' | 'number' | 'store_id' | 'status' | 'total_fen' | 'paid_fen' | 'on_account_at'>,
): SaleHeader => ({
  id: s.id,
  number: s.number,
  storeId: s.store_id,
  status: s.status,
  totalFen: Number(s.total_fen),
  paidFen: Number(s.paid_fen),
  dueFen: Number(s.total_fen) - Number(s.paid_fen),
  onAccountAt: s.on_account_at,
});
const HEADER_COLUMNS = [
  'id',
  'number',
  'store_id',
  'status',
  'total_fen',
  'paid_fen',
  'on_account_at',
] as const;

const SALE_HEADER = prepared((db, p: { saleId: string }) =>
  db.selectFrom('sales').select(HEADER_COLUMNS).where('id', '=', p.saleId),
);

/**
 * A sale's header by its id, or null: what other rooms ask of a sale — the payment core before
 * money counts for it, the guard for the store a request touches. One prepared query.
 */
export async function saleHeader(db: Tx, saleId: string): Promise<SaleHeader | null> {
  const s = await SALE_HEADER.first(db, { saleId });
  return s ? headerOf(s) : null;
}

/** The store of a sale (the access guard asks, to scope a request); undefined when there is none. */
export async function storeOfSale(db: Tx, saleId: string): Promise<string | null | undefined> {
  return (await saleHeader(db, saleId))?.storeId;
}

/** A sale's header by the number printed on its receipt, or null. */
export async function saleByNumber(db: Tx, number: string): Promise<SaleHeader | null> {
  const s = await db
    .selectFrom('sales')
    .select(HEADER_COLUMNS)
    .where('number', '=', number)
    .executeTakeFirst();
  return s ? headerOf(s) : null;
}

/** The headers of these sales, by id (a page's, read once). */
export async function saleHeaders(db: Tx, ids: readonly string[]): Promise<Map<string, SaleHeader>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('sales').select(HEADER_COLUMNS).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, headerOf(r)]));
}

/** The payment rows of the sales rung up at a till, made in [from, to) (the day close's takings). */
export async function paymentsAtTill(
  db: Tx,
  tillId: string,
  from: string,
  to: string,
): Promise<{ tender: BookedTender; status: PaymentsTable['status']; amountFen: number }[]> {
  const rows = await db
    .selectFrom('payments as p')
    .innerJoin('sales as s', 's.id', 'p.sale_id')
    .select(['p.tender', 'p.status', 'p.amount_fen'])
    // Each row at the till where its money moved: its own, else its sale's.
    .where((eb) => eb(eb.fn.coalesce('p.till_id', 's.till_id'), '=', tillId))
    // An exchange's credit is the value of goods, not money in a drawer or at a provider.
    .where('p.tender', '!=', 'exchange_credit')
    .where('p.created_at', '>=', from)
    .where('p.created_at', '<', to)
    .execute();
  return rows.map((p) => ({ tender: p.tender, status: p.status, amountFen: Number(p.amount_fen) }));
}

/** How many of these sales were rung up at this till. */
export async function countAtTill(db: Tx, tillId: string, saleIds: readonly string[]): Promise<number> {
  if (saleIds.length === 0) return 0;
  const row = await db
    .selectFrom('sales')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('till_id', '=', tillId)
    .where('id', 'in', [...saleIds])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The numbers of these sales, by id (for lists: read once for a page). */
export async function saleNumbers(db: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map([...(await saleHeaders(db, ids))].map(([id, h]) => [id, h.number]));
}
