/**
 * The orchestrator: takes money through a provider without ever losing or doubling it (docs/providers.md,
 * "The common rule"). Each step is one short transaction; no transaction is ever held across a
 * provider call:
 *   1. save the attempt (its own merchant order number) and freeze the sale — before anything is sent;
 *   2. ask whether the terminal is there (nothing is sent to a dead one); record `sent`;
 *   3. send; classify the answer (paid / failed / unknown) and record it, with the sale's effects;
 *   4. unknown: query on the schedule; at the deadline, reverse, repeated until acknowledged.
 * A step is `driveAttempt`: it reads the attempt's state and does the one thing that state needs,
 * so a restarted server (or the simulation) resumes any attempt by driving it again.
 */
import type { Ctx } from '../context';
import type { PaymentAttemptsTable } from '../db';
import { transaction } from '../db';
import { eventOf, record, refFor, refOf } from './answers';
import { FINAL_STATUSES } from './attempt-model';
import { dropPaymentCode, heldPaymentCode } from './payment-codes';
import type { PaymentProvider, QueryAnswer, ReverseAnswer, Tender } from './provider';
import { SCHEDULES } from './schedule';
import { appendAttemptEvent, attemptById } from './store';

/** Where the providers are: the card terminal of each till, the wallets of each store. */
export interface PaymentRuntime {
  providerFor(tillId: string, tender: Tender): PaymentProvider | null;
  /** Is that provider a sandbox (no money moves)? Its attempts are marked so, and their receipts. */
  isSandbox?(tillId: string, tender: Tender): boolean;
}

/**
 * Does the one thing the attempt's state needs now, and records it. Safe to call again at any
 * time: a final attempt is left alone, and each provider call is made outside any transaction.
 */
export async function driveAttempt(
  ctx: Ctx,
  runtime: PaymentRuntime,
  attemptId: string,
): Promise<PaymentAttemptsTable> {
  const attempt = await attemptById(ctx.db.kysely, attemptId);
  const status = attempt.status;
  if (FINAL_STATUSES.has(status) || status === 'needs_review') return attempt;
  const tender = attempt.tender;
  const provider = runtime.providerFor(attempt.till_id, tender);
  const now = ctx.clock.now().getTime();

  if (status === 'created') {
    const health = provider ? await provider.health(attempt.till_id) : 'offline';
    if (health !== 'ok') {
      // A customer at the till picks another tender; money owed back waits for the terminal instead.
      if (attempt.kind === 'refund') return record(ctx, attemptId, 'pending', {}, { health });
      return record(
        ctx,
        attemptId,
        'not_sent',
        { category: health === 'busy' ? 'terminal_fault' : 'network' },
        { health },
      );
    }
    const wallet = attempt.kind === 'payment' && (tender === 'alipay' || tender === 'wechat');
    const paymentCode = wallet ? heldPaymentCode(attemptId) : undefined;
    // The code went with a restart before the request left: nothing was sent, nothing can have moved.
    if (wallet && !paymentCode)
      return record(
        ctx,
        attemptId,
        'not_sent',
        { category: 'wallet_code_invalid' },
        { reason: 'the payment code was not held any more (a restart): scan a fresh one' },
      );
    // Recorded before the request leaves: from here on the money may move, and a restart will ask.
    await record(ctx, attemptId, 'sent', {}, {});
    if (paymentCode) dropPaymentCode(attemptId);
    const request = {
      merchantOrderNo: attempt.merchant_order_no,
      tillId: attempt.till_id,
      requestId: attempt.request_id,
      amountFen: Number(attempt.amount_fen),
      currency: 'CNY' as const,
      ...(paymentCode ? { paymentCode } : {}),
    };
    const original =
      attempt.kind === 'refund' && attempt.refund_of
        ? await attemptById(ctx.db.kysely, attempt.refund_of)
        : null;
    const answer = original
      ? await provider!.refund({
          ...request,
          original: refOf(original),
          originalAmountFen: Number(original.amount_fen),
        })
      : await provider!.pay(request);
    const { event, fields, detail } = eventOf(answer, 'pay', attempt);
    return record(ctx, attemptId, event, fields, detail);
  }
  if (status === 'in_flight') {
    // Found in flight by a scheduler (after a restart, or an answer that never came): it is lost.
    return record(ctx, attemptId, 'lost', { category: 'network' }, { reason: 'no answer recorded' });
  }
  if (!provider) return record(ctx, attemptId, 'pending', {}, { reason: 'no provider configured' });
  if (status === 'unknown') {
    // A refund is never reversed: it is asked about until it is final, then a person looks.
    if (attempt.kind === 'refund' && attempt.checks >= SCHEDULES[tender].maxReversalTries)
      return record(ctx, attemptId, 'review', {}, { checks: attempt.checks });
    if (attempt.kind === 'payment' && attempt.deadline_at && now >= Date.parse(attempt.deadline_at))
      return record(ctx, attemptId, 'deadline', {}, { checks: attempt.checks });
    const answer = await provider.query(await refFor(ctx.db.kysely, attempt));
    const { event, fields, detail } = eventOf(answer, 'query', attempt);
    return record(ctx, attemptId, event, fields, detail);
  }
  // reversing: undo it, repeated until the provider acknowledges.
  const reversed: ReverseAnswer = await provider.reverse(await refFor(ctx.db.kysely, attempt));
  if (reversed.outcome === 'reversed' || reversed.outcome === 'not_found')
    return record(ctx, attemptId, 'reversal_acked', {}, { answer: reversed.outcome });
  if (attempt.checks + 1 >= SCHEDULES[tender].maxReversalTries)
    return record(ctx, attemptId, 'review', {}, { reason: reversed.reason, tries: attempt.checks + 1 });
  return record(ctx, attemptId, 'pending', {}, { reason: reversed.reason });
}

/**
 * Asks the provider about an attempt now, whatever its state, and records the answer like any
 * other: a final attempt is not moved by it, except that money said to have moved on one closed
 * without it sends it to review. For hints that contradict our record, and for a reviewer.
 */
export async function recheckAttempt(
  ctx: Ctx,
  runtime: PaymentRuntime,
  attemptId: string,
  why: string,
): Promise<{ attempt: PaymentAttemptsTable; answer: QueryAnswer | null }> {
  const attempt = await attemptById(ctx.db.kysely, attemptId);
  const provider = runtime.providerFor(attempt.till_id, attempt.tender);
  if (!provider) return { attempt, answer: null };
  const answer = await provider.query(await refFor(ctx.db.kysely, attempt));
  const { event, fields, detail } = eventOf(answer, 'query', attempt);
  return { attempt: await record(ctx, attemptId, event, fields, { ...detail, asked: why }), answer };
}

/**
 * The cashier's cancel. At a terminal it reaches the live request there, and only that one. A
 * wallet payment has nothing to stop at the till: its reversal is brought forward to the earliest
 * moment the wallet allows (WeChat Pay: 15 s after the charge), and the attempt settles by itself.
 */
export async function cancelAttempt(ctx: Ctx, runtime: PaymentRuntime, attemptId: string): Promise<void> {
  const attempt = await attemptById(ctx.db.kysely, attemptId);
  if (!['in_flight', 'unknown'].includes(attempt.status)) return;
  const tender = attempt.tender;
  if (tender === 'card') {
    await runtime.providerFor(attempt.till_id, tender)?.abort(refOf(attempt));
    return;
  }
  const now = ctx.clock.now().getTime();
  const sent = attempt.sent_at ? Date.parse(attempt.sent_at) : now;
  const at = new Date(Math.max(now, sent + SCHEDULES[tender].minReverseMs)).toISOString();
  await transaction(ctx.db, 'full', async (tx) => {
    const moved = await tx
      .updateTable('payment_attempts')
      .set({ deadline_at: at, next_check_at: at })
      .where('id', '=', attemptId)
      .where('status', 'in', ['in_flight', 'unknown'])
      .where('deadline_at', '>', at)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 0) return;
    await appendAttemptEvent(tx, {
      attempt_id: attemptId,
      at: new Date(now).toISOString(),
      event: 'cancel_requested',
      meaning: 'noted',
      from_status: attempt.status,
      to_status: attempt.status,
      detail_json: JSON.stringify({ reverseAt: at, by: ctx.actor?.staffId ?? null }),
    });
  });
}
