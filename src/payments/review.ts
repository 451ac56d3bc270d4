/**
 * The review desk (back office): attempts a person must settle, what the provider says about each
 * when asked now, and the manager's decision — confirm it paid, give the money back through the
 * same provider, or confirm nothing moved (review-model.ts decides which are open). Asking the
 * provider happens before, and outside, the decision's transaction; the decision is one
 * transaction with its effects on the sale and its audit event.
 */
import { appendAudit } from '../audit';
import type { Ctx } from '../context';
import type { PaymentAttemptsTable, Tx } from '../db';
import { type Lang, Refusal } from '../kernel';
import { finishCharge, recordDuplicateCharge, saleHeader } from '../sales';
import { MAY_STILL_SUCCEED } from './attempt-model';
import { type AttemptView, attemptView } from './attempt-view';
import { type PaymentRuntime, recheckAttempt } from './drive';
import { auditRefundStarted, recordReview, saveRefundAttempt } from './new-attempts';
import type { QueryAnswer } from './provider';
import {
  judgeReview,
  type ProviderWord,
  type ReviewDecision,
  type ReviewFacts,
  reviewOptions,
} from './review-model';
import { ATTEMPT_FOR_UPDATE, attemptById, attemptsOfSale, saleTakesMoneyOf } from './store';

export interface ReviewItem {
  attempt: AttemptView;
  sale: { id: string; number: string; status: string; totalFen: number; paidFen: number };
  /** For a refund under review: the payment it gives money back from. */
  refundOf: string | null;
  /** The history line that sent it here. */
  cause: { at: string; event: string; meaning: string } | null;
}

/** Attempts under review in a store (head office: any store), oldest first, bounded. */
export async function reviewsOfStore(ctx: Ctx, storeId: string, lang: Lang): Promise<ReviewItem[]> {
  const db = ctx.db.kysely;
  const rows = await db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('status', '=', 'needs_review')
    .orderBy('created_at')
    .limit(200)
    .execute();
  return Promise.all(rows.map((row) => reviewItem(db, row, lang)));
}

async function reviewItem(db: Tx, row: PaymentAttemptsTable, lang: Lang): Promise<ReviewItem> {
  const attempt = await attemptView(db, row, lang);
  const header = await saleHeader(db, row.sale_id);
  if (!header) throw new Error(`invariant: attempt ${row.id} without its sale`);
  const sale = {
    id: header.id,
    number: header.number,
    status: header.status,
    total_fen: header.totalFen,
    paid_fen: header.paidFen,
  };
  const original = row.refund_of ? await attemptById(db, row.refund_of) : null;
  const cause = [...attempt.history]
    .reverse()
    .find((h) => h.to === 'needs_review' && h.from !== 'needs_review');
  return {
    attempt,
    sale: {
      id: sale.id,
      number: sale.number,
      status: sale.status,
      totalFen: Number(sale.total_fen),
      paidFen: Number(sale.paid_fen),
    },
    refundOf: original?.merchant_order_no ?? null,
    cause: cause ? { at: cause.at, event: cause.event, meaning: cause.meaning } : null,
  };
}

/** The provider's answer to "what became of it?", as the review rules read it. */
export function providerWordOf(answer: QueryAnswer | null, amountFen: number): ProviderWord {
  if (!answer) return 'unreachable';
  switch (answer.outcome) {
    case 'paid':
      return answer.amountFen === amountFen ? 'paid' : 'unclear';
    case 'failed':
    case 'not_found':
      return 'not_paid';
    case 'unknown':
      return answer.reason === 'timeout' || answer.reason === 'connection' ? 'unreachable' : 'unclear';
  }
}

/**
 * May a reviewer count this attempt's money for its sale? The sale still takes it
 * (`saleTakesMoneyOf`), and no other attempt of the sale may still succeed meanwhile.
 */
async function saleWaitsFor(db: Tx, attempt: PaymentAttemptsTable): Promise<boolean> {
  if (!(await saleTakesMoneyOf(db, attempt))) return false;
  const others = await attemptsOfSale(db, attempt.sale_id);
  return !others.some((o) => o.kind === 'payment' && o.id !== attempt.id && MAY_STILL_SUCCEED.has(o.status));
}

async function factsOf(db: Tx, attempt: PaymentAttemptsTable, provider: ProviderWord): Promise<ReviewFacts> {
  return {
    status: attempt.status,
    kind: attempt.kind === 'refund' ? 'refund' : 'payment',
    provider,
    saleWaitsForIt: attempt.kind === 'payment' && (await saleWaitsFor(db, attempt)),
  };
}

export interface ReviewCheck {
  attempt: AttemptView;
  provider: ProviderWord;
  options: ReviewDecision[];
}

/** Asks the provider now (recorded in the attempt's history) and says which decisions are open. */
export async function checkReview(
  ctx: Ctx,
  runtime: PaymentRuntime,
  attemptId: string,
  lang: Lang,
): Promise<ReviewCheck> {
  const { attempt, answer } = await recheckAttempt(ctx, runtime, attemptId, 'review');
  const provider = providerWordOf(answer, Number(attempt.amount_fen));
  const facts = await factsOf(ctx.db.kysely, attempt, provider);
  return {
    attempt: await attemptView(ctx.db.kysely, attempt, lang),
    provider,
    options: reviewOptions(facts),
  };
}

/**
 * The manager's decision, in the caller's transaction (the route's idempotent mutation), judged
 * against the provider's word from `checkReview` just before. A refund's new attempt id is pushed
 * to `created`, to be driven once this commits.
 */
export async function decideReview(
  ctx: Ctx,
  attemptId: string,
  input: { decision: ReviewDecision; reason: string; provider: ProviderWord },
  created: string[],
  lang: Lang,
): Promise<AttemptView> {
  const actor = ctx.actor;
  if (!actor) throw new Refusal('unauthenticated');
  const tx = ctx.db.kysely;
  const before = await ATTEMPT_FOR_UPDATE.first(tx, { id: attemptId });
  if (!before) throw new Refusal('attempt_unknown');
  const facts = await factsOf(tx, before, input.provider);
  const verdict = judgeReview(input.decision, facts);
  if (!verdict.ok) throw new Refusal(verdict.code, undefined, { provider: input.provider });
  const detail = {
    decision: input.decision,
    reason: input.reason,
    provider: input.provider,
    by: actor.staffId,
  };
  let refundId: string | null = null;
  if (input.decision === 'confirm_paid')
    await recordReview(ctx, attemptId, 'reviewed_paid', detail, { settle: true });
  else if (input.decision === 'confirm_not_paid')
    await recordReview(ctx, attemptId, 'reviewed_not_paid', detail, { settle: true });
  else {
    // The money moved, but the sale does not keep it: on the books as a duplicate, and given back.
    const paid = await recordReview(ctx, attemptId, 'reviewed_paid', detail, { settle: false });
    if (facts.saleWaitsForIt) await finishCharge(ctx, before.sale_id, { paid: false });
    await recordDuplicateCharge(ctx, before.sale_id, {
      tender: paid.tender,
      amountFen: Number(paid.amount_fen),
      attemptId: paid.id,
    });
    const refund = await saveRefundAttempt(ctx, tx, paid, {
      amountFen: Number(paid.amount_fen),
      tillId: paid.till_id, // through the terminal that took it
      staffId: actor.staffId,
      why: 'review',
    });
    refundId = refund.row.id;
    created.push(refund.row.id);
    await auditRefundStarted(ctx, tx, refund, actor.staffId);
  }
  await appendAudit(tx, ctx.clock, ctx.ids, {
    storeId: before.store_id,
    actorId: actor.staffId,
    action: 'payment.review_decided',
    entityType: 'payment_attempt',
    entityId: attemptId,
    saleId: before.sale_id,
    before: { status: before.status },
    after: {
      decision: input.decision,
      reason: input.reason,
      provider: input.provider,
      decidedBy: { id: actor.staffId, name: actor.name },
      amountFen: Number(before.amount_fen),
      merchantOrderNo: before.merchant_order_no,
      ...(refundId ? { refundAttemptId: refundId } : {}),
    },
  });
  return attemptView(tx, await attemptById(tx, attemptId), lang);
}
