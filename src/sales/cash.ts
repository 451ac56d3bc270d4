/** Cash taken at the till: in full with change, or in part beside another tender. */
import { spendApproval } from '../approvals';
import type { Ctx } from '../context';
import type { SalesTable } from '../db';
import { Refusal } from '../kernel';
import { settleCash } from './model';
import { approvalUsed, mutateSale } from './sale-change';
import { takePayment } from './takings';
import type { SaleView } from './views';

/**
 * Cash for the amount due — or, with `amountFen`, for the first part of a split (the sale stays
 * open, or on account, for the rest): records the payment and, when nothing is left due, moves
 * the stock out and completes the sale, all in one transaction, so a completed sale always has
 * its payment and its stock movements. Change of a largest banknote or more needs a supervisor's
 * grant (`large_change`), spent here.
 */
export async function payCash(
  ctx: Ctx,
  saleId: string,
  tenderedFen: number,
  options: { amountFen?: number | undefined; approvalId?: string | null | undefined } = {},
): Promise<SaleView> {
  const partOf = (sale: SalesTable) =>
    options.amountFen !== undefined && options.amountFen < sale.total_fen - sale.paid_fen;
  return mutateSale(
    ctx,
    saleId,
    (sale) => (partOf(sale) ? 'pay_part' : 'pay_in_full'),
    async (tx, sale, lines) => {
      if (lines.length === 0) throw new Refusal('sale_empty');
      const due = sale.total_fen - sale.paid_fen;
      const cash = settleCash(due, tenderedFen, options.amountFen ?? due);
      if (!cash.ok) throw new Refusal(cash.code, undefined, { dueFen: due });
      const spent = cash.needsApproval
        ? await spendApproval(ctx, tx, options.approvalId ?? null, {
            action: 'large_change',
            storeId: sale.store_id,
            saleId,
          })
        : null;
      const taken = await takePayment(
        tx,
        ctx,
        sale,
        lines,
        {
          tender: 'cash',
          amountFen: cash.amountFen,
          tenderedFen,
          changeFen: cash.changeFen,
          attemptId: null,
        },
        { change_fen: cash.changeFen },
      );
      return {
        saleFields: taken.saleFields,
        audit: () => [...(spent ? [approvalUsed(spent, 'large_change')] : []), ...taken.audit],
      };
    },
  );
}
