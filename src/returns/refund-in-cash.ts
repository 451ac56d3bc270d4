/**
 * A return's refund that failed at its provider (the card was closed, the wallet refused) paid in
 * cash from the drawer instead, with a manager's approval: the failed part stays as it was and a
 * cash part names it. In the sale's transaction, so the drawer's row and the audit go together.
 */
import { spendApproval } from '../approvals';
import { type Ctx, inTx } from '../context';
import type { PaymentAttemptsTable } from '../db';
import { Refusal } from '../kernel';
import { attemptsByIds, closeRefundPaidElsewhere } from '../payments';
import { approvalUsed, returnOnSale } from '../sales';

/** The provider answered the refund with a refusal (a code), and a person has yet to settle it. */
const refusedByProvider = (a: PaymentAttemptsTable) => a.status === 'needs_review' && a.code !== null;

export async function payFailedRefundInCash(
  ctx: Ctx,
  saleId: string,
  input: { returnId: string; refundId: string; approvalId?: string | null | undefined },
): Promise<void> {
  if (!ctx.actor?.tillId) throw new Refusal('wrong_surface', 'cash is given at a till');
  await returnOnSale(ctx, saleId, async (tx, sale) => {
    const part = await tx
      .selectFrom('return_refunds as p')
      .innerJoin('returns as r', 'r.id', 'p.return_id')
      .select(['p.id', 'p.tender', 'p.amount_fen', 'p.attempt_id', 'p.original_attempt_id', 'r.sale_id'])
      .where('p.id', '=', input.refundId)
      .where('p.return_id', '=', input.returnId)
      .executeTakeFirst();
    if (!part || part.sale_id !== sale.id) throw new Refusal('return_unknown');
    const again = await tx
      .selectFrom('return_refunds')
      .select('id')
      .where('replaces', '=', part.id)
      .executeTakeFirst();
    const [attempt] = part.attempt_id ? await attemptsByIds(tx, [part.attempt_id]) : [];
    // Only a refund its provider refused (on the review desk, with the provider's code): never one
    // still asked, one whose answer was lost (it may have gone through), one given, or one paid already.
    if (again || !attempt || !refusedByProvider(attempt)) throw new Refusal('refund_not_failed');
    const spent = await spendApproval(ctx, tx, input.approvalId, {
      action: 'return_cash_fallback',
      storeId: sale.store_id,
      saleId: sale.id,
    });
    // Off the review desk: the provider is not asked for this money again.
    await closeRefundPaidElsewhere(inTx(ctx, tx), attempt.id, {
      returnId: input.returnId,
      by: ctx.actor?.staffId,
    });
    const id = ctx.ids.next('rtr');
    const amountFen = Number(part.amount_fen);
    await tx
      .insertInto('return_refunds')
      .values({
        id,
        return_id: input.returnId,
        tender: part.tender,
        amount_fen: amountFen,
        operation: 'cash_fallback',
        original_attempt_id: part.original_attempt_id,
        attempt_id: null,
        blocked: 'refund_failed',
        replaces: part.id,
      })
      .execute();
    return {
      cashFen: amountFen,
      // The return's value was counted when it was made; only how it goes back changes.
      returnedFen: 0,
      audit: [
        approvalUsed(spent, 'return_cash_fallback'),
        {
          action: 'return.refund_paid_in_cash',
          entityType: 'return',
          entityId: input.returnId,
          after: { replaces: part.id, tender: part.tender, amountFen, failedAttemptId: part.attempt_id },
        },
      ],
    };
  });
}
