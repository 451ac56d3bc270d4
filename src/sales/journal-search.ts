/**
 * The sales journal's question to this room: a store's past sales by number, time, amount and
 * tender, or among ids other rooms found (a card's last digits, a customer's phone), newest first,
 * a page at a time. Indexed for a store with years of sales (migration 0021).
 */
import type { Tx } from '../db';
import type { BookedTender, SaleStatus } from '../shared';

export interface SaleSearch {
  storeId: string;
  /** The number printed on the receipt (exact). */
  number?: string | undefined;
  /** Opened in [from, to): ISO instants. */
  from?: string | undefined;
  to?: string | undefined;
  minFen?: number | undefined;
  maxFen?: number | undefined;
  /** Paid (in part) by this tender. */
  tender?: BookedTender | undefined;
  /** Only among these sales (what another room found); empty: none. */
  ids?: readonly string[] | undefined;
  /** The page after this one (the last row of the page before). */
  after?: { openedAt: string; id: string } | undefined;
  limit: number;
}

export interface JournalSale {
  id: string;
  number: string;
  status: SaleStatus;
  tillId: string;
  openedAt: string;
  completedAt: string | null;
  totalFen: number;
  paidFen: number;
  /** The tenders that paid it, in the order paid (each once). */
  tenders: BookedTender[];
}

/** Ids a query may name at once. */
const IDS_AT_ONCE = 400;

export async function searchSales(db: Tx, q: SaleSearch): Promise<{ sales: JournalSale[]; more: boolean }> {
  if (q.ids !== undefined && q.ids.length === 0) return { sales: [], more: false };
  let query = db
    .selectFrom('sales')
    .select(['id', 'number', 'status', 'till_id', 'opened_at', 'completed_at', 'total_fen', 'paid_fen'])
    .where('store_id', '=', q.storeId)
    // A sale still on the till is not the journal's (it has nothing to find yet).
    .where('status', 'not in', ['open', 'parked']);
  if (q.number !== undefined) query = query.where('number', '=', q.number);
  if (q.from !== undefined) query = query.where('opened_at', '>=', q.from);
  if (q.to !== undefined) query = query.where('opened_at', '<', q.to);
  if (q.minFen !== undefined) query = query.where('total_fen', '>=', q.minFen);
  if (q.maxFen !== undefined) query = query.where('total_fen', '<=', q.maxFen);
  if (q.ids !== undefined) query = query.where('id', 'in', q.ids.slice(0, IDS_AT_ONCE));
  if (q.tender !== undefined) {
    const tender = q.tender;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('payments as p')
          .select('p.id')
          .whereRef('p.sale_id', '=', 'sales.id')
          .where('p.tender', '=', tender)
          .where('p.status', '=', 'succeeded'),
      ),
    );
  }
  if (q.after !== undefined) {
    const { openedAt, id } = q.after;
    query = query.where((eb) =>
      eb.or([eb('opened_at', '<', openedAt), eb.and([eb('opened_at', '=', openedAt), eb('id', '<', id)])]),
    );
  }
  const rows = await query
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const paid =
    page.length === 0
      ? []
      : await db
          .selectFrom('payments')
          .select(['sale_id', 'tender'])
          .where(
            'sale_id',
            'in',
            page.map((r) => r.id),
          )
          .where('status', '=', 'succeeded')
          .orderBy('created_at')
          .execute();
  const tenders = new Map<string, BookedTender[]>();
  for (const p of paid) {
    const list = tenders.get(p.sale_id) ?? [];
    if (!list.includes(p.tender)) list.push(p.tender);
    tenders.set(p.sale_id, list);
  }
  return {
    sales: page.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      tillId: r.till_id,
      openedAt: r.opened_at,
      completedAt: r.completed_at,
      totalFen: Number(r.total_fen),
      paidFen: Number(r.paid_fen),
      tenders: tenders.get(r.id) ?? [],
    })),
    more: rows.length > q.limit,
  };
}
