/**
 * An exchange's credit (换货) on the sale of the goods taken instead: the value of the goods
 * brought back pays for them, up to what is due. Even or cheaper, the sale completes (its goods
 * leave stock in the same transaction); dearer, it stays open for the rest by any tender.
 */
import type { Ctx } from '../context';
import { Refusal } from '../kernel';
import { mutateSale } from './sale-change';
import { takePayment } from './takings';
import type { SaleView } from './views';

export async function payByExchangeCredit(
  ctx: Ctx,
  saleId: string,
  credit: { fen: number; returnId: string },
): Promise<SaleView> {
  return mutateSale(
    ctx,
    saleId,
    (sale) => (credit.fen < sale.total_fen - sale.paid_fen ? 'pay_part' : 'pay_in_full'),
    async (tx, sale, lines) => {
      if (lines.length === 0) throw new Refusal('sale_empty');
      const amountFen = Math.min(credit.fen, sale.total_fen - sale.paid_fen);
      return {
        ...(await takePayment(
          tx,
          ctx,
          sale,
          lines,
          {
            tender: 'exchange_credit',
            amountFen,
            tenderedFen: amountFen,
            changeFen: 0,
            attemptId: null,
            returnId: credit.returnId,
          },
          {},
        ).then(({ saleFields, audit }) => ({ saleFields, audit: () => audit }))),
      };
    },
  );
}
