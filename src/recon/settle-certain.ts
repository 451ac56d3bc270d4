/** What reconciliation settles by itself: a customer's proof the statement's money turned up for. */
import { appendAudit } from '../audit';
import { type Ctx, inTx } from '../context';
import type { Tx } from '../db';
import { decideManualConfirmation } from '../exceptions';
import { askAboutSoon } from '../payments';
import { storeOfSale } from '../sales';
import { clearedFromOpen } from './case-model';
import type { FoundCase } from './matcher';
import type { StatementProvider } from './statement';

/**
 * What the statement settles by itself, where one candidate fits for certain: a customer's proof
 * of payment the money turned up for is confirmed (the sale completes, its slip settles — the
 * exception desk's hook); an attempt still being checked is asked about again now (its answer
 * settles it, as any answer does). A charge on an attempt we closed without money (failed,
 * reversed) is never made a payment here: the accountant decides, through the review desk.
 */
export async function settleWhatIsCertain(
  tx: Tx,
  ctx: Ctx,
  provider: StatementProvider,
  cases: readonly FoundCase[],
  about: (c: FoundCase) => string,
): Promise<void> {
  const c = inTx(ctx, tx);
  const at = ctx.clock.now().toISOString();
  for (const found of cases) {
    if (found.kind !== 'charged_not_recorded' || !found.link) continue;
    const row = await tx
      .selectFrom('recon_cases')
      .select(['id', 'status', 'version'])
      .where('about', '=', about(found))
      .executeTakeFirst();
    if (row?.status !== 'open') continue;
    if (found.link.type === 'proof') {
      const line = await tx
        .selectFrom('statement_lines')
        .select(['provider_ref'])
        .where('key', '=', found.lineKey ?? '')
        .executeTakeFirst();
      await decideManualConfirmation(c, found.link.confirmationId, {
        holds: true,
        statementRef: `${provider}:${line?.provider_ref ?? found.lineKey}`,
      });
      await tx
        .updateTable('recon_cases')
        .set({
          status: clearedFromOpen(),
          resolution: JSON.stringify({ code: 'proof_confirmed', confirmationId: found.link.confirmationId }),
          resolved_by: 'system',
          resolved_at: at,
          version: row.version + 1,
        })
        .where('id', '=', row.id)
        .execute();
      const sale = { store_id: (await storeOfSale(tx, found.link.saleId)) ?? null };
      await appendAudit(tx, ctx.clock, ctx.ids, {
        storeId: sale?.store_id ?? null,
        actorId: 'system',
        action: 'recon.case_settled',
        entityType: 'recon_case',
        entityId: row.id,
        saleId: found.link.saleId,
        after: {
          kind: found.kind,
          confirmationId: found.link.confirmationId,
          amountFen: found.amountFen,
          line: found.lineKey,
        },
      });
    } else {
      // Still being checked: ask the provider now rather than at the next scheduled query.
      await askAboutSoon(tx, found.link.attemptId, at);
    }
  }
}
