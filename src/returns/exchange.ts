/**
 * An exchange (换货) in one step, one transaction: the goods taken instead go on a new sale at the
 * till, the goods brought back are returned, and the return's value pays the new sale as credit.
 * Even: no money moves, both sales settled. Dearer: the new sale stays open for the difference, by
 * any tender, with the usual failure handling. Cheaper: the difference goes back to the first
 * sale's own tenders, by the return's rules. Stock moves both ways in the same transaction.
 */
import type { Ctx } from '../context';
import { Refusal } from '../kernel';
import { addLine, openSale, payByExchangeCredit, type SaleView, saleHeader } from '../sales';
import { type ReturnInput, recordReturn } from './record-return';

export interface ExchangeInput extends ReturnInput {
  /** The goods taken instead: a barcode each (as scanned), and how many. */
  takes: { barcode: string; qty: number }[];
}

export async function recordExchange(
  ctx: Ctx,
  saleId: string,
  input: ExchangeInput,
  created: string[],
): Promise<{ returnId: string; sale: SaleView }> {
  const actor = ctx.actor;
  if (!actor?.tillId) throw new Refusal('wrong_surface', 'an exchange is made at a till');
  const original = await saleHeader(ctx.db.kysely, saleId);
  if (!original) throw new Refusal('sale_unknown');
  let sale = await openSale(ctx, {
    storeId: original.storeId,
    tillId: actor.tillId,
    cashierId: actor.staffId,
  });
  for (const take of input.takes) sale = await addLine(ctx, sale.id, take);
  const back = await recordReturn(ctx, saleId, input, created, { saleId: sale.id, totalFen: sale.totalFen });
  if (back.creditFen > 0)
    sale = await payByExchangeCredit(ctx, sale.id, { fen: back.creditFen, returnId: back.returnId });
  return { returnId: back.returnId, sale };
}
