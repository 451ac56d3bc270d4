import type { Ctx } from '../context';
import { type Lang, Refusal } from '../kernel';
import { attemptsOfSale } from '../payments';
import { getSale } from '../sales';
import { nameOf } from '../staff';
import { storeById } from '../stores';
import { type PaperWidthMm, renderEscPos } from './escpos';
import { renderHtml } from './html';
import { buildReceipt, type ReceiptDoc } from './model';

export interface ReceiptOptions {
  lang: Lang;
  widthMm: PaperWidthMm;
  /** The copy being printed: 1 is the original, 2 and above are marked as reprints. */
  printNo: number;
  publicUrl: string;
}

export async function receiptDoc(ctx: Ctx, saleId: string, options: ReceiptOptions): Promise<ReceiptDoc> {
  const sale = await getSale(ctx, saleId);
  if (sale.status !== 'completed') throw new Refusal('sale_not_open', 'only a completed sale has a receipt');
  const store = await storeById(ctx.db.kysely, sale.storeId);
  if (!store) throw new Refusal('store_unknown');
  // Tenders a sandbox took (demo, training): the receipt must not pass for one of real money.
  const sandbox = (await attemptsOfSale(ctx.db.kysely, saleId)).filter(
    (a) => a.kind === 'payment' && a.status === 'succeeded' && a.sandbox === 1,
  );
  return buildReceipt(
    {
      sandboxTenders: new Set(sandbox.map((r) => r.tender)),
      store,
      tillName: store.tills.find((t) => t.id === sale.tillId)?.name ?? sale.tillId,
      cashierName: await nameOf(ctx.db.kysely, sale.cashierId),
      sale,
      printNo: options.printNo,
      qrUrl: `${options.publicUrl.replace(/\/$/, '')}/r/${sale.id}`,
    },
    options.lang,
  );
}

export async function receiptHtml(ctx: Ctx, saleId: string, options: ReceiptOptions): Promise<string> {
  return renderHtml(await receiptDoc(ctx, saleId, options), options.widthMm);
}

export async function receiptEscPos(ctx: Ctx, saleId: string, options: ReceiptOptions): Promise<Uint8Array> {
  return renderEscPos(await receiptDoc(ctx, saleId, options), options.widthMm);
}
