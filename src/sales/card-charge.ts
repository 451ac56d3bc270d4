/**
 * A sale's side of a card or wallet charge: frozen while the provider is asked, released at a
 * manager's word, finished with the provider's answer. The payments room drives these.
 */

import { spendApproval } from '../approvals';
import type { Ctx } from '../context';
import type { SalesTable } from '../db';
import { Refusal } from '../kernel';
import type { BookedTender } from '../shared';
import { approvalUsed, mutateSale } from './sale-change';
import { takePayment } from './takings';
import type { SaleView } from './views';

/**
 * A card or wallet attempt starts: the sale waits (no edits, no other charge) until it settles.
 * Returns the sale as it stands, for the orchestrator's checks (amount due, store, till).
 */
export async function beginCharge(ctx: Ctx, saleId: string, amountFen: number): Promise<SalesTable> {
  let charged: SalesTable | null = null;
  await mutateSale(ctx, saleId, 'charge', async (_tx, sale, lines) => {
    if (lines.length === 0) throw new Refusal('sale_empty');
    const due = sale.total_fen - sale.paid_fen;
    if (!Number.isSafeInteger(amountFen) || amountFen <= 0) throw new Refusal('amount_out_of_range');
    if (amountFen > due) throw new Refusal('amount_exceeds_due', undefined, { dueFen: due });
    charged = sale;
    return {
      saleFields: { status: 'awaiting_payment' },
      audit: () => [{ action: 'sale.awaiting_payment', after: { amountFen, dueFen: due } }],
    };
  });
  if (!charged) throw new Error('invariant: beginCharge saw no sale');
  return charged;
}

/**
 * The no-second-charge lock lifted by a manager: the sale takes another tender although an earlier
 * attempt may still succeed. Recorded with both names and the reason; the attempt keeps being
 * resolved, and if it turns out paid it goes to review (the customer is refunded one).
 */
export async function releaseCharge(ctx: Ctx, saleId: string, approvalId: string | null): Promise<SaleView> {
  return mutateSale(
    ctx,
    saleId,
    (sale) => (sale.on_account_at ? 'release_on_account' : 'release'),
    async (tx, sale, _lines) => {
      const spent = await spendApproval(ctx, tx, approvalId, {
        action: 'second_charge_override',
        storeId: sale.store_id,
        saleId,
      });
      return {
        saleFields: { status: sale.on_account_at ? 'on_account' : 'open' },
        audit: () => [
          approvalUsed(spent, 'second_charge_override'),
          { action: 'sale.charge_released', after: { approvedBy: spent.approvedBy, reason: spent.reason } },
        ],
      };
    },
  );
}

/**
 * An attempt has ended. Paid: the payment is recorded, and if nothing is left due the sale
 * completes and its goods leave stock, in this one transaction. Not paid: the sale is open again
 * for another tender.
 */
export async function finishCharge(
  ctx: Ctx,
  saleId: string,
  outcome: { paid: false } | { paid: true; tender: BookedTender; amountFen: number; attemptId: string },
): Promise<SaleView> {
  return mutateSale(
    ctx,
    saleId,
    (sale) => {
      const paidNow = outcome.paid ? outcome.amountFen : 0;
      if (sale.paid_fen + paidNow >= sale.total_fen && paidNow > 0) return 'charge_completed';
      // A sale on account stays on account, whatever the attempt did.
      return sale.on_account_at ? 'charge_back_on_account' : 'charge_settled';
    },
    async (tx, sale, lines) => {
      const notDone = sale.on_account_at ? 'on_account' : 'open';
      if (!outcome.paid)
        return {
          saleFields: { status: notDone },
          audit: () => [{ action: 'sale.charge_not_paid', after: { paidFen: sale.paid_fen } }],
        };
      const taken = await takePayment(
        tx,
        ctx,
        sale,
        lines,
        {
          tender: outcome.tender,
          amountFen: outcome.amountFen,
          tenderedFen: outcome.amountFen,
          changeFen: 0,
          attemptId: outcome.attemptId,
        },
        { status: notDone },
      );
      return {
        saleFields: taken.saleFields,
        audit: () => taken.audit,
      };
    },
  );
}
