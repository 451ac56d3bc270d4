/** Voiding a sale: the cashier's word before payment, a manager's approval after it. */
import { spendApproval } from '../approvals';
import type { Ctx } from '../context';
import type { PaymentsTable } from '../db';
import { Refusal } from '../kernel';
import { writeMovements } from '../stock';
import { approvalUsed, mutateSale, saleStockMoves } from './sale-change';
import { paymentsOf } from './store';
import { INSERT_PAYMENT, type RefundOwer } from './takings';
import type { SaleView } from './views';

/**
 * Voids a sale. Before payment it is the cashier's call. After payment it needs a manager's
 * approval, spent in this transaction: the cash goes back to the customer (a refund row per
 * tender) and the goods back into stock, exactly once.
 */
export async function voidSale(
  ctx: Ctx,
  saleId: string,
  reason: string,
  approvalId: string | null = null,
  /**
   * Card and wallet money goes back through its provider, as refund attempts the payment core
   * creates here, in this transaction. Without it such a sale is refused (nothing from the drawer).
   */
  oweRefunds: RefundOwer | null = null,
): Promise<SaleView> {
  return mutateSale(
    ctx,
    saleId,
    (sale) => (sale.status === 'completed' ? 'void_after_payment' : 'void'),
    async (tx, sale, lines) => {
      const at = ctx.clock.now().toISOString();
      const voided = { status: 'voided' as const, voided_at: at, void_reason: reason };
      // Money taken for an open sale (a card paid part of it) is not dropped by a void.
      if (sale.status !== 'completed' && sale.paid_fen > 0) throw new Refusal('sale_partly_paid');
      if (sale.status !== 'completed')
        return {
          saleFields: voided,
          audit: () => [
            {
              action: 'sale.voided',
              before: { status: sale.status, totalFen: sale.total_fen },
              after: { status: 'voided', reason },
            },
          ],
        };
      // A return gave part of it back already: the rest comes back by a return, not a void.
      if (sale.returned_fen > 0) throw new Refusal('sale_has_returns');
      const spent = await spendApproval(ctx, tx, approvalId, {
        action: 'void_after_payment',
        storeId: sale.store_id,
        saleId,
      });
      const all = (await paymentsOf(tx, saleId)).filter((p) => p.status === 'succeeded');
      const owed = all.filter((p) => p.tender !== 'cash');
      if (owed.length > 0 && !oweRefunds) throw new Refusal('void_needs_card_refund');
      const owedAudit = owed.length > 0 && oweRefunds ? await oweRefunds(tx, sale, owed) : [];
      const paid = all.filter((p) => p.tender === 'cash');
      const refunds: PaymentsTable[] = paid.map((p) => ({
        id: ctx.ids.next('pay'),
        sale_id: saleId,
        store_id: sale.store_id,
        tender: p.tender,
        status: 'refunded',
        amount_fen: -p.amount_fen,
        tendered_fen: 0,
        change_fen: 0,
        created_at: at,
        attempt_id: p.attempt_id,
        // Given back at the till that voids it (the drawer there).
        till_id: ctx.actor?.tillId ?? null,
      }));
      for (const refund of refunds) await INSERT_PAYMENT.run(tx, refund);
      const movements = await writeMovements(tx, ctx, saleStockMoves(ctx, sale, lines, 'return'), null);
      return {
        saleFields: { ...voided, paid_fen: 0 },
        audit: () => [
          approvalUsed(spent, 'void_after_payment'),
          ...owedAudit,
          ...refunds.map((r) => ({
            action: 'payment.refunded',
            entityType: 'payment',
            entityId: r.id,
            after: { tender: r.tender, amountFen: r.amount_fen },
          })),
          {
            action: 'sale.voided_after_payment',
            before: { status: sale.status, paidFen: sale.paid_fen, totalFen: sale.total_fen },
            after: {
              status: 'voided',
              reason,
              approvedBy: spent.approvedBy,
              stock: movements,
            },
          },
        ],
      };
    },
  );
}
