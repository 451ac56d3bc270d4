/**
 * The sales journal (销售流水): any past sale of a store found by what the customer brings — the
 * receipt (its number, or its QR code scanned), the day, the amount, the tender, the card (its
 * last four digits, with a day), or the phone on a slip or a complaint. Each owner answers for its
 * own rows; this room only puts the question together, and sales gives the page.
 */
import type { Ctx } from '../context';
import { salesOfSlipPhone } from '../exceptions';
import { salesOfComplaintPhone } from '../feedback';
import { businessDaySpan, Refusal } from '../kernel';
import { salesPaidByCardEnding } from '../payments';
import { type JournalSale, searchSales } from '../sales';
import { type BookedTender, normalizePhone } from '../shared';

export interface JournalQuery {
  /** A receipt's number, or what its QR code holds (the e-receipt's address, ending in the sale's id). */
  code?: string | undefined;
  /** The store's calendar days, yyyy-mm-dd, both included. */
  fromDay?: string | undefined;
  toDay?: string | undefined;
  minFen?: number | undefined;
  maxFen?: number | undefined;
  tender?: BookedTender | undefined;
  last4?: string | undefined;
  phone?: string | undefined;
  /** The cursor the page before ended with. */
  after?: string | undefined;
  limit: number;
}

export interface JournalPage {
  sales: JournalSale[];
  /** Give this back as `after` for the next page; null: there is none. */
  next: string | null;
}

/** A QR code's e-receipt address names the sale: `…/r/<sale id>`. */
const E_RECEIPT = /\/r\/([A-Za-z0-9_-]+)$/;

export async function searchJournal(ctx: Ctx, storeId: string, q: JournalQuery): Promise<JournalPage> {
  // The store's calendar (China: one offset, no daylight saving; see kernel/business-day.ts).
  const from = q.fromDay ? businessDaySpan(q.fromDay).from : undefined;
  const to = q.toDay ? businessDaySpan(q.toDay).to : undefined;
  const db = ctx.db.kysely;
  let ids: string[] | undefined;
  const among = (found: string[]) => {
    ids = ids === undefined ? found : ids.filter((id) => found.includes(id));
  };
  let number: string | undefined;
  if (q.code !== undefined) {
    const text = q.code.trim();
    const link = E_RECEIPT.exec(text);
    if (link?.[1]) among([link[1]]);
    else number = text.toUpperCase();
  }
  if (q.last4 !== undefined) {
    // The card's digits alone would read every card payment the store ever took: a day is needed.
    if (!from || !to) throw new Refusal('journal_card_needs_days');
    among(await salesPaidByCardEnding(db, { storeId, last4: q.last4, from, to }));
  }
  if (q.phone !== undefined) {
    const phone = normalizePhone(q.phone);
    if (!phone) throw new Refusal('phone_invalid');
    const found = [
      ...(await salesOfSlipPhone(db, storeId, phone)),
      ...(await salesOfComplaintPhone(db, storeId, phone)),
    ];
    among([...new Set(found)]);
  }
  const [afterAt, afterId] = q.after ? q.after.split('|') : [];
  const page = await searchSales(db, {
    storeId,
    number,
    from,
    to,
    minFen: q.minFen,
    maxFen: q.maxFen,
    tender: q.tender,
    ids,
    after: afterAt && afterId ? { openedAt: afterAt, id: afterId } : undefined,
    limit: q.limit,
  });
  const last = page.sales.at(-1);
  return { sales: page.sales, next: page.more && last ? `${last.openedAt}|${last.id}` : null };
}
