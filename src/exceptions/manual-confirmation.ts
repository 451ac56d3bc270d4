/**
 * A customer's proof of payment ("my bank says I paid"): a manager's manual confirmation, waiting
 * for the statement, and decided by reconciliation.
 */
import { appendAudit } from '../audit';
import { type Ctx, inTx } from '../context';
import { type ManualConfirmationsTable, type Tx, transaction } from '../db';
import { findPans, moveIn, Refusal } from '../kernel';
import { attemptsOfSale, MAY_STILL_SUCCEED } from '../payments';
import { awaitStatement, decideByStatement, readSale } from '../sales';
import type { ProvenTender } from '../shared';
import { type CaseView, caseById, caseDetail, caseWithSlip, moveCase } from './cases';
import { CONFIRMATION_LIFECYCLE, transitionCase } from './model';

// ---------------------------------------------------------------- manual confirmation

export type ConfirmationTender = ProvenTender;

export interface ManualConfirmationView {
  id: string;
  caseId: string;
  saleId: string;
  tender: string;
  amountFen: number;
  paidOn: string;
  reference: string;
  evidence: string;
  status: string;
  recordedBy: string;
  recordedAt: string;
  resolvedAt: string | null;
  statementRef: string | null;
}

export const confirmationViewOf = (r: ManualConfirmationsTable): ManualConfirmationView => ({
  id: r.id,
  caseId: r.case_id,
  saleId: r.sale_id,
  tender: r.tender,
  amountFen: Number(r.amount_fen),
  paidOn: r.paid_on,
  reference: r.reference,
  evidence: r.evidence,
  status: r.status,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
  resolvedAt: r.resolved_at,
  statementRef: r.statement_ref,
});

/**
 * "My bank says I paid": the manager records the customer's proof — which channel, how much, the
 * day, the reference shown, what was seen. The case waits for the statement and the sale takes no
 * tender meanwhile (so the money cannot be taken twice); reconciliation decides (
 * `decideManualConfirmation`). Refused while a payment on the sale is still being checked: that
 * answer comes first, and it may be this very money.
 */
export async function recordManualConfirmation(
  ctx: Ctx,
  caseId: string,
  input: {
    tender: ConfirmationTender;
    amountFen: number;
    paidOn: string;
    reference: string;
    evidence: string;
  },
): Promise<CaseView> {
  // The proof is words and a reference, never a card number (it would be stored and shown).
  if (findPans(`${input.reference} ${input.evidence}`).length > 0)
    throw new Refusal('validation_failed', 'no card numbers in the proof: the last four digits at most');
  await transaction(ctx.db, 'full', async (tx) => {
    const c = inTx(ctx, tx);
    const { kase, slip } = await caseWithSlip(tx, caseId);
    if (slip.status !== 'issued' || !transitionCase(kase.status, 'manual_confirmation').ok)
      throw new Refusal('case_not_open', undefined, {
        caseStatus: kase.status,
        event: 'manual_confirmation',
      });
    const pending = await attemptsOfSale(tx, slip.sale_id);
    if (pending.some((a) => MAY_STILL_SUCCEED.has(a.status))) throw new Refusal('attempt_still_pending');
    const sale = await readSale(tx, slip.sale_id);
    if (!sale) throw new Error(`invariant: slip ${slip.number} without its sale`);
    if (input.amountFen !== sale.dueFen)
      throw new Refusal('confirmation_amount_mismatch', undefined, { dueFen: sale.dueFen });
    const row: ManualConfirmationsTable = {
      id: ctx.ids.next('mconf'),
      case_id: kase.id,
      store_id: kase.store_id,
      sale_id: slip.sale_id,
      tender: input.tender,
      amount_fen: input.amountFen,
      paid_on: input.paidOn,
      reference: input.reference,
      evidence: input.evidence,
      status: 'awaiting_statement',
      recorded_by: ctx.actor?.staffId ?? 'system',
      recorded_at: ctx.clock.now().toISOString(),
      resolved_at: null,
      statement_ref: null,
    };
    await tx.insertInto('manual_confirmations').values(row).execute();
    const facts = {
      confirmationId: row.id,
      tender: row.tender,
      amountFen: row.amount_fen,
      paidOn: row.paid_on,
      reference: row.reference,
    };
    await moveCase(tx, c, slip.id, 'manual_confirmation', input.evidence, facts);
    await awaitStatement(c, slip.sale_id, row.id);
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: kase.store_id,
      actorId: row.recorded_by,
      action: 'follow_up.manual_confirmation',
      entityType: 'manual_confirmation',
      entityId: row.id,
      saleId: slip.sale_id,
      after: { ...facts, evidence: input.evidence, slip: slip.number, case: 'awaiting_statement' },
    });
  });
  return caseDetail(ctx, caseId);
}

/**
 * The customers' proofs by this tender still waiting for a statement (a store's, or every store's):
 * the candidates reconciliation matches a statement's lines against, in its own transaction.
 */
export async function proofsAwaitingStatement(
  tx: Tx,
  tender: ProvenTender,
  storeId: string | null,
): Promise<ManualConfirmationsTable[]> {
  let q = tx
    .selectFrom('manual_confirmations')
    .selectAll()
    .where('status', '=', 'awaiting_statement')
    .where('tender', '=', tender);
  if (storeId) q = q.where('store_id', '=', storeId);
  return q.execute();
}

/** The customer's proofs still waiting for a statement, as the back office shows them. */
export async function confirmationsAwaitingStatement(
  ctx: Ctx,
  storeId: string,
): Promise<ManualConfirmationView[]> {
  const rows = await ctx.db.kysely
    .selectFrom('manual_confirmations')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('status', '=', 'awaiting_statement')
    .orderBy('recorded_at')
    .execute();
  return rows.map(confirmationViewOf);
}

/**
 * The hook reconciliation calls once a statement has spoken on a customer's proof. The
 * money is there: recorded against the sale, which completes (stock moves once) and settles its
 * slip. It is not: the case and the sale are open again, payable like before. Runs in its own
 * transaction, or the caller's.
 */
export async function decideManualConfirmation(
  ctx: Ctx,
  confirmationId: string,
  verdict: { holds: true; statementRef: string } | { holds: false; why: string },
): Promise<ManualConfirmationView> {
  return transaction(ctx.db, 'full', async (tx) => {
    const c = inTx(ctx, tx);
    const row = await tx
      .selectFrom('manual_confirmations')
      .selectAll()
      .where('id', '=', confirmationId)
      .executeTakeFirst();
    if (!row) throw new Refusal('confirmation_unknown');
    const decided = moveIn(
      CONFIRMATION_LIFECYCLE,
      row.status,
      verdict.holds ? 'statement_confirms' : 'statement_disagrees',
    );
    if (!decided.ok) throw new Refusal('confirmation_not_awaiting', undefined, { status: row.status });
    const at = ctx.clock.now().toISOString();
    const status = decided.to;
    await tx
      .updateTable('manual_confirmations')
      .set({ status, resolved_at: at, statement_ref: verdict.holds ? verdict.statementRef : null })
      .where('id', '=', row.id)
      .execute();
    if (verdict.holds) {
      // Completing the sale settles the slip and its case (the completion hook, statement_confirms).
      await decideByStatement(c, row.sale_id, {
        holds: true,
        tender: row.tender,
        amountFen: Number(row.amount_fen),
        reference: verdict.statementRef,
      });
    } else {
      const kase = await caseById(tx, row.case_id);
      await moveCase(tx, c, kase.slip_id, 'statement_disagrees', verdict.why, { confirmationId: row.id });
      await decideByStatement(c, row.sale_id, { holds: false, why: verdict.why });
    }
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: row.store_id,
      actorId: ctx.actor?.staffId ?? 'system',
      action: verdict.holds ? 'manual_confirmation.confirmed' : 'manual_confirmation.disagreed',
      entityType: 'manual_confirmation',
      entityId: row.id,
      saleId: row.sale_id,
      before: { status: row.status },
      after: verdict.holds ? { status, statementRef: verdict.statementRef } : { status, why: verdict.why },
    });
    return confirmationViewOf({
      ...row,
      status,
      resolved_at: at,
      statement_ref: verdict.holds ? verdict.statementRef : null,
    });
  });
}
