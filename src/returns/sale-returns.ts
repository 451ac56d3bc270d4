/**
 * A sale as the till's return screen needs it: its returns and where their refunds stand, what
 * each line may still give back, the reasons the store offers and the last day it takes the sale
 * back — the server's verdict, so the till offers exactly what a return would accept.
 */
import type { Ctx } from '../context';
import { businessDayOf, Refusal } from '../kernel';
import { readSale } from '../sales';
import type { ReturnReason } from '../shared';
import { DEFAULT_TERMS, storeReturnTerms } from '../stores';
import { returnableQty } from './model';
import { lastReturnDay } from './policy';
import { type ReturnView, returnedOfSale, returnsOfSale } from './store';

export interface SaleReturns {
  returns: ReturnView[];
  /** Pieces of each line that may still come back. */
  returnable: { lineId: string; qty: number }[];
  reasons: readonly ReturnReason[];
  receiptRequired: boolean;
  /** The last day (the store's calendar) the store takes it back; null: not a paid sale. */
  lastDay: string | null;
  /** Today is within the store's window. */
  withinWindow: boolean;
}

export async function saleReturns(ctx: Ctx, saleId: string): Promise<SaleReturns> {
  const db = ctx.db.kysely;
  const sale = await readSale(db, saleId);
  if (!sale) throw new Refusal('sale_unknown');
  const terms = (await storeReturnTerms(db, sale.storeId)) ?? DEFAULT_TERMS;
  const returned = await returnedOfSale(db, saleId);
  const today = businessDayOf(ctx.clock.now().getTime());
  const lastDay = sale.completedAt
    ? lastReturnDay(terms.policy, businessDayOf(Date.parse(sale.completedAt)))
    : null;
  return {
    returns: await returnsOfSale(db, saleId),
    returnable: sale.lines.map((l) => ({
      lineId: l.id,
      qty: returnableQty(
        { lineId: l.id, variantId: l.variantId, qty: l.qty, totalFen: l.totalFen },
        returned,
      ),
    })),
    reasons: terms.policy.reasons,
    receiptRequired: terms.policy.receiptRequired,
    lastDay,
    withinWindow: lastDay !== null && today <= lastDay,
  };
}
