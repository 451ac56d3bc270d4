/**
 * A provider's answer recorded with its effect on the sale, in one short transaction: interpreted
 * through the declared table, never obeyed — a repeat is a repeat, a backwards answer is logged.
 */
import { appendAudit } from '../audit';
import { type Ctx, inTx } from '../context';
import type { PaymentAttemptsTable, Tx } from '../db';
import { transaction } from '../db';
import { Refusal } from '../kernel';
import { finishCharge, recordRefund } from '../sales';
import {
  type AttemptEvent,
  type AttemptStatus,
  FINAL_STATUSES,
  interpretAnswer,
  MAY_STILL_SUCCEED,
} from './attempt-model';
import { saveNewAttempt } from './new-attempts';
import type { AttemptRef, PayAnswer, QueryAnswer } from './provider';
import { nextCheckAt, SCHEDULES } from './schedule';
import {
  ATTEMPT_FOR_UPDATE,
  type AttemptChanges,
  appendAttemptEvent,
  attemptById,
  saleTakesMoneyOf,
  updateAttempt,
} from './store';

export const refOf = (a: PaymentAttemptsTable): AttemptRef => ({
  merchantOrderNo: a.merchant_order_no,
  tillId: a.till_id,
  requestId: a.request_id,
  providerRef: a.provider_ref,
  kind: a.kind === 'refund' ? 'refund' : 'payment',
});

/** The attempt as the provider knows it; a refund also names the payment it gives money back from. */
export async function refFor(db: Tx, a: PaymentAttemptsTable): Promise<AttemptRef> {
  if (a.kind !== 'refund' || !a.refund_of) return refOf(a);
  return { ...refOf(a), refundOf: (await attemptById(db, a.refund_of)).merchant_order_no };
}

/** Turns a provider's answer into the attempt's event and the fields it brings. */
export function eventOf(
  given: PayAnswer | QueryAnswer,
  asked: 'pay' | 'query',
  attempt: Pick<PaymentAttemptsTable, 'tender' | 'amount_fen' | 'kind'>,
): { event: AttemptEvent; fields: Partial<PaymentAttemptsTable>; detail: Record<string, unknown> } {
  const tender = attempt.tender;
  // Paid, but another amount than this attempt's: no payment we can place — asked again, then undone.
  const answer: PayAnswer | QueryAnswer =
    given.outcome === 'paid' && given.amountFen !== Number(attempt.amount_fen)
      ? {
          outcome: 'unknown',
          reason: 'mismatch',
          code: given.code,
          detail: `paid ${given.amountFen}, attempt ${attempt.amount_fen}`,
        }
      : given;
  switch (answer.outcome) {
    case 'paid':
      return {
        event: 'paid',
        fields: {
          provider_ref: answer.providerRef,
          masked_pan: answer.maskedPan,
          brand: answer.brand,
          code: answer.code,
          category: null,
          slip_json: JSON.stringify(answer.slip),
        },
        detail: { code: answer.code, amountFen: answer.amountFen },
      };
    case 'failed':
      // A refund the provider refuses still owes the customer that money: a person settles it at
      // the review desk (another way back, or a refund it will take) — never silently dropped.
      if (attempt.kind === 'refund')
        return {
          event: 'review',
          fields: { provider_ref: answer.providerRef, code: answer.code, category: answer.category },
          detail: { refused: true, code: answer.code, category: answer.category },
        };
      return {
        event: 'declined',
        fields: { provider_ref: answer.providerRef, code: answer.code, category: answer.category },
        detail: { code: answer.code, category: answer.category },
      };
    case 'not_found':
      return { event: 'not_found', fields: {}, detail: {} };
    case 'unknown':
      return {
        event: asked === 'pay' ? 'lost' : 'pending',
        fields: {
          code: answer.code,
          // In progress: at a terminal the issuer is slow; at a wallet the customer is confirming.
          category:
            answer.reason === 'in_progress'
              ? tender === 'card'
                ? 'issuer_unavailable'
                : 'customer_still_paying'
              : 'unknown',
        },
        detail: {
          reason: answer.reason,
          code: answer.code,
          ...(answer.detail ? { detail: answer.detail.slice(0, 200) } : {}),
          ...(answer.queryAtOnce ? { queryAtOnce: true } : {}),
        },
      };
  }
}

/**
 * Records what happened to an attempt, in one transaction with its effects on the sale: paid →
 * the payment (and the sale's completion); failed or reversed → the sale is open again.
 * Duplicate, late and backwards answers are kept in the history and change nothing.
 */
export async function record(
  ctx: Ctx,
  attemptId: string,
  event: AttemptEvent,
  fields: Partial<PaymentAttemptsTable>,
  detail: Record<string, unknown>,
  /** `settle: false`: the caller decides the sale's side itself (a review that refunds the money). */
  options: { settle?: boolean } = {},
): Promise<PaymentAttemptsTable> {
  return transaction(ctx.db, 'full', async (tx) => {
    const before = await ATTEMPT_FOR_UPDATE.first(tx, { id: attemptId });
    if (!before) throw new Refusal('attempt_unknown');
    const from = before.status;
    const meaning = interpretAnswer(from, event, before.kind === 'refund' ? 'refund' : 'payment');
    const now = ctx.clock.now();
    const at = now.toISOString();
    let to = from;
    let after = before;
    let conflict = meaning.kind === 'conflict';
    if (meaning.kind === 'move' || meaning.kind === 'conflict') {
      to = meaning.to;
      // The provider says paid, but the sale no longer waits for it (voided, or paid another way): a
      // person must look. (A reviewer's `reviewed_paid` is that person's decision, made knowing it.)
      if (
        event === 'paid' &&
        to === 'succeeded' &&
        before.kind === 'payment' &&
        !(await saleTakesMoneyOf(tx, before))
      ) {
        to = 'needs_review';
        conflict = true;
      }
      const schedule = SCHEDULES[before.tender];
      const sentAt = event === 'sent' ? now.getTime() : before.sent_at ? Date.parse(before.sent_at) : null;
      const changes: AttemptChanges = {
        ...fields,
        status: to,
        next_check_at: ((): string | null => {
          // "System busy", "already paid": the provider asks to be asked again at once.
          if (to === 'unknown' && detail.queryAtOnce === true) return at;
          const next = nextCheckAt(schedule, to, now.getTime(), sentAt, from !== to);
          return next === null ? null : new Date(next).toISOString();
        })(),
        ...(event === 'sent'
          ? {
              sent_at: at,
              deadline_at: new Date(now.getTime() + schedule.deadlineMs).toISOString(),
            }
          : {}),
        // Reversal tries are counted from the reversal's start, apart from the queries before it.
        ...(to === 'reversing'
          ? { checks: 0 }
          : to !== from && (from === 'unknown' || from === 'reversing')
            ? { checks: before.checks + 1 }
            : {}),
        ...(FINAL_STATUSES.has(to) ? { resolved_at: at } : {}),
      };
      after = await updateAttempt(tx, before, changes);
    } else if (from === 'unknown' || from === 'reversing' || (from === 'created' && event === 'pending')) {
      // Still not final (or not sent yet): count the check, and look again later.
      const schedule = SCHEDULES[before.tender];
      const next =
        from === 'created'
          ? now.getTime() + schedule.queryEveryMs
          : nextCheckAt(schedule, from, now.getTime(), null, false);
      after = await updateAttempt(tx, before, {
        status: from,
        checks: before.checks + 1,
        next_check_at: next === null ? null : new Date(next).toISOString(),
      });
    }
    await appendAttemptEvent(tx, {
      attempt_id: attemptId,
      at,
      event,
      // Under review every answer is for the reviewer to weigh: noted, not ignored.
      meaning: conflict
        ? 'conflict'
        : from === 'needs_review' && meaning.kind === 'ignore'
          ? 'noted'
          : meaning.kind,
      from_status: from,
      to_status: to,
      detail_json: JSON.stringify(detail),
    });
    if (to !== from && options.settle !== false) await settleSale(ctx, tx, after, from, conflict, event);
    return after;
  });
}

const MAX_REFUND_ISSUES = 5;

/** A refund the provider never processed goes out again with a new number (bounded). */
async function reissueRefund(ctx: Ctx, tx: Tx, failed: PaymentAttemptsTable): Promise<void> {
  const earlier = await tx
    .selectFrom('payment_attempts')
    .select('id')
    .where('kind', '=', 'refund')
    .where('refund_of', '=', failed.refund_of)
    .execute();
  const base = {
    storeId: failed.store_id,
    actorId: failed.cashier_id,
    entityType: 'payment_attempt',
    saleId: failed.sale_id,
  };
  if (earlier.length >= MAX_REFUND_ISSUES) {
    await appendAudit(tx, ctx.clock, ctx.ids, {
      ...base,
      entityId: failed.id,
      action: 'payment.refund_given_up',
      after: { refundOf: failed.refund_of, tries: earlier.length, amountFen: Number(failed.amount_fen) },
    });
    return;
  }
  const { id } = await saveNewAttempt(ctx, tx, failed, {
    refundOf: failed.refund_of,
    reissueOf: failed.id,
    amountFen: Number(failed.amount_fen),
  });
  await appendAudit(tx, ctx.clock, ctx.ids, {
    ...base,
    entityId: id,
    action: 'payment.refund_reissued',
    after: {
      refundOf: failed.refund_of,
      previous: failed.merchant_order_no,
      amountFen: Number(failed.amount_fen),
    },
  });
}

/** The sale's side of an attempt's move, in the same transaction. */
async function settleSale(
  ctx: Ctx,
  tx: Tx,
  attempt: PaymentAttemptsTable,
  from: AttemptStatus,
  conflict: boolean,
  event: AttemptEvent,
): Promise<void> {
  const c = inTx(ctx, tx);
  const to = attempt.status;
  const base = {
    storeId: attempt.store_id,
    actorId: attempt.cashier_id,
    entityType: 'payment_attempt',
    entityId: attempt.id,
    saleId: attempt.sale_id,
  } as const;
  const facts = {
    from,
    to,
    tender: attempt.tender,
    amountFen: Number(attempt.amount_fen),
    code: attempt.code,
    category: attempt.category,
    maskedPan: attempt.masked_pan,
    merchantOrderNo: attempt.merchant_order_no,
  };
  if (conflict) {
    // Money said to have moved where the sale no longer expects it: a person must look (a refund, perhaps).
    await appendAudit(tx, ctx.clock, ctx.ids, { ...base, action: 'payment.attempt_conflict', after: facts });
    return;
  }
  if (attempt.kind === 'refund') {
    // A refund moves no sale: money given back is a negative payment row; a failed one stays owed, visibly.
    await appendAudit(tx, ctx.clock, ctx.ids, { ...base, action: `payment.refund_${to}`, after: facts });
    if (to === 'succeeded')
      await recordRefund(c, attempt.sale_id, {
        tender: attempt.tender,
        amountFen: Number(attempt.amount_fen),
        attemptId: attempt.id,
        refundOf: attempt.refund_of,
      });
    // Never processed (the provider has no trace of it, or a reviewer found so): the money is still
    // owed, so a new refund goes out under a new number — a few times at most, then a person takes
    // it from the audit log.
    if (to === 'failed' && (event === 'not_found' || event === 'reviewed_not_paid'))
      await reissueRefund(ctx, tx, attempt);
    return;
  }
  await appendAudit(tx, ctx.clock, ctx.ids, { ...base, action: `payment.attempt_${to}`, after: facts });
  // No second charge: the sale keeps waiting while the attempt may still succeed.
  if (MAY_STILL_SUCCEED.has(to) || !(await saleTakesMoneyOf(tx, attempt))) return;
  await finishCharge(
    c,
    attempt.sale_id,
    to === 'succeeded'
      ? { paid: true, tender: attempt.tender, amountFen: Number(attempt.amount_fen), attemptId: attempt.id }
      : { paid: false },
  );
}
