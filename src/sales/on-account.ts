/**
 * 小单: a sale put on account with a provisional slip, closed, waiting for the statement, or decided
 * by it. The exception desk calls these in its own transactions.
 */

import type { Ctx } from '../context';
import { Refusal } from '../kernel';
import type { BookedTender } from '../shared';
import { writeMovements } from '../stock';
import { mutateSale, saleStockMoves } from './sale-change';
import { takePayment } from './takings';
import type { SaleView } from './views';

/**
 * 小单: the sale cannot be finished now. It goes on account, its lines fixed; goods the customer
 * takes leave stock now, goods the store holds are reserved. An attempt still unknown goes on and
 * may pay it. Runs in the caller's transaction (the exception desk issues the slip with it).
 */
export async function putOnAccount(
  ctx: Ctx,
  saleId: string,
  input: { goodsTaken: boolean },
): Promise<SaleView> {
  return mutateSale(ctx, saleId, 'put_on_account', async (tx, sale, lines) => {
    if (lines.length === 0) throw new Refusal('sale_empty');
    if (sale.total_fen - sale.paid_fen <= 0) throw new Refusal('sale_nothing_due');
    const moves = await writeMovements(
      tx,
      ctx,
      saleStockMoves(ctx, sale, lines, input.goodsTaken ? 'sale' : 'reserve'),
      null,
    );
    return {
      saleFields: {
        status: 'on_account',
        on_account_at: ctx.clock.now().toISOString(),
        goods_taken: input.goodsTaken ? 1 : 0,
      },
      audit: () => [
        {
          action: 'sale.on_account',
          before: { status: sale.status },
          after: { goodsTaken: input.goodsTaken, dueFen: sale.total_fen - sale.paid_fen, stock: moves },
        },
      ],
    };
  });
}

/**
 * The customer never came back: goods held go back on sale (their reservation released), goods
 * taken are written off (they left stock at the slip; the loss is on record). Only a sale nothing
 * was paid on — money taken must be refunded first. Runs in the caller's transaction.
 */
export async function closeOnAccount(ctx: Ctx, saleId: string, reason: string): Promise<SaleView> {
  return mutateSale(ctx, saleId, 'close_on_account', async (tx, sale, lines) => {
    if (sale.paid_fen > 0) throw new Refusal('sale_partly_paid', undefined, { paidFen: sale.paid_fen });
    const moves =
      sale.goods_taken === 1
        ? []
        : await writeMovements(tx, ctx, saleStockMoves(ctx, sale, lines, 'release'), null);
    const at = ctx.clock.now().toISOString();
    return {
      saleFields: { status: 'voided', voided_at: at, void_reason: reason },
      audit: () => [
        {
          action: sale.goods_taken === 1 ? 'sale.written_off' : 'sale.cancelled_restocked',
          before: { status: sale.status, totalFen: sale.total_fen },
          after: { reason, stock: moves },
        },
      ],
    };
  });
}

/**
 * The customer showed proof that the money was taken (their bank or wallet says so): the sale
 * takes no tender until the statement decides. Runs in the caller's transaction.
 */
export async function awaitStatement(ctx: Ctx, saleId: string, confirmationId: string): Promise<SaleView> {
  return mutateSale(ctx, saleId, 'await_statement', async (_tx, sale, _lines) => ({
    saleFields: { status: 'awaiting_statement' },
    audit: () => [
      {
        action: 'sale.awaiting_statement',
        before: { status: sale.status },
        after: { dueFen: sale.total_fen - sale.paid_fen, confirmationId },
      },
    ],
  }));
}

/**
 * The statement decided on the customer's proof. It holds the money: a payment for what was due is
 * recorded (by the tender the statement names, with its reference) and the sale completes, its
 * stock moving exactly once. It does not: the sale is back on account, payable again. Runs in the
 * caller's transaction (reconciliation's).
 */
export async function decideByStatement(
  ctx: Ctx,
  saleId: string,
  verdict:
    | { holds: true; tender: BookedTender; amountFen: number; reference: string }
    | { holds: false; why: string },
): Promise<SaleView> {
  return mutateSale(
    ctx,
    saleId,
    verdict.holds ? 'statement_settles' : 'statement_disagrees',
    async (tx, sale, lines) => {
      if (!verdict.holds)
        return {
          saleFields: { status: 'on_account' },
          audit: () => [{ action: 'sale.statement_disagrees', after: { why: verdict.why } }],
        };
      const due = sale.total_fen - sale.paid_fen;
      if (verdict.amountFen !== due)
        throw new Refusal('confirmation_amount_mismatch', undefined, { dueFen: due });
      const { saleFields, audit } = await takePayment(
        tx,
        ctx,
        sale,
        lines,
        {
          tender: verdict.tender,
          amountFen: due,
          tenderedFen: due,
          changeFen: 0,
          attemptId: null,
          statementRef: verdict.reference,
        },
        {},
      );
      return { saleFields, audit: () => audit };
    },
  );
}
