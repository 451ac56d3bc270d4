/** A receipt printed or reprinted: counted per sale and audited. */
import { appendAudit } from '../audit';
import { actorIdOf, type Ctx } from '../context';
import { transaction } from '../db';
import { Refusal } from '../kernel';
import { readSale } from '../sales';

export async function recordReceiptPrint(
  ctx: Ctx,
  saleId: string,
  input: { format: 'html' | 'escpos'; widthMm: 58 | 80 },
): Promise<{ printNo: number; reprint: boolean }> {
  return transaction(ctx.db, 'full', async (tx) => {
    const found = await readSale(tx, saleId);
    if (!found) throw new Refusal('sale_unknown');
    const sale = { store_id: found.storeId, status: found.status, cashier_id: found.cashierId };
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
