/**
 * The orchestrator: takes money through a provider without ever losing or doubling it (PROVIDERS.md,
 * "the common rule"). Each step is one short transaction; no transaction is ever held across a
 * provider call:
 *   1. save the attempt (its own merchant order number) and freeze the sale — before anything is sent;
 *   2. ask whether the terminal is there (nothing is sent to a dead one); record `sent`;
 *   3. send; classify the answer (paid / failed / unknown) and record it, with the sale's effects;
 *   4. unknown: query on the schedule; at the deadline, reverse, repeated until acknowledged.
 * A step is `driveAttempt`: it reads the attempt's state and does the one thing that state needs,
 * so a restarted server (or the simulation) resumes any attempt by driving it again.
 */
import { appendAudit } from '../audit';
import { type Ctx, inTx } from '../context';
import type { PaymentAttemptsTable, Tx } from '../db';
import { transaction } from '../db';
import { type Lang, Refusal } from '../kernel';
import { type AuditDraft, beginCharge, finishCharge, type RefundOwer, recordRefund } from '../sales';
import {
  type AttemptEvent,
  type AttemptStatus,
  FINAL_STATUSES,
  interpretAnswer,
  MAY_STILL_SUCCEED,
} from './attempt-model';
import {
  type Alternative,
  type FailureCategory,
  guidanceFor,
  guidanceText,
  REFUND_NOT_GIVEN,
  WRONG_PIN_NEXT,
} from './failure-taxonomy';
import { dropPaymentCode, heldPaymentCode, holdPaymentCode } from './payment-codes';
import type { AttemptRef, PayAnswer, PaymentProvider, QueryAnswer, ReverseAnswer, Tender } from './provider';
import { classifyCardCode, mayTryCardAgain } from './providers/card-codes';
import { nextCheckAt, SCHEDULES } from './schedule';
import {
  ATTEMPT_FOR_UPDATE,
  type AttemptChanges,
  appendAttemptEvent,
  attemptById,
  attemptHistory,
  liveAttemptsAtTill,
  refundableFen,
  updateAttempt,
} from './store';

/** Where the providers are: the card terminal of each till, the wallets of each store. */
export interface PaymentRuntime {
  providerFor(tillId: string, tender: Tender): PaymentProvider | null;
  /** Is that provider a sandbox (no money moves)? Its attempts are marked so, and their receipts. */
  isSandbox?(tillId: string, tender: Tender): boolean;
}

export interface AttemptView {
  id: string;
  saleId: string;
  tillId: string;
  tender: Tender;
  amountFen: number;
  status: AttemptStatus;
  merchantOrderNo: string;
  maskedPan: string | null;
  brand: string | null;
  code: string | null;
  category: FailureCategory | null;
  /** For a failed or unknown attempt: what to tell the customer and what to do, in the caller's language. */
  guidance: { tellCustomer: string; doNext: string; alternatives: readonly Alternative[] } | null;
  /**
   * After a decline: may this card be tried again? Never after a retained card; a wrong PIN at most
   * twice in all on this sale; a misread once (src/payments/failure-taxonomy.ts). After a reversal
   * always: nothing stayed charged. The till's buttons and words follow this verdict.
   */
  mayTryCardAgain: boolean;
  createdAt: string;
  resolvedAt: string | null;
  history: { at: string; event: string; meaning: string; from: string; to: string }[];
}

export async function attemptView(db: Tx, row: PaymentAttemptsTable, lang: Lang): Promise<AttemptView> {
  const category = row.category as FailureCategory | null;
  const showGuidance = category !== null && row.status !== 'succeeded';
  const g = !showGuidance
    ? null
    : row.kind === 'refund'
      ? REFUND_NOT_GIVEN
      : guidanceFor(category, row.tender as Tender);
  let mayTryAgain = false;
  if (row.status === 'failed' && row.tender === 'card' && row.kind === 'payment') {
    // Earlier declines of the same kind on this sale count against the same card's tries.
    const earlier = await db
      .selectFrom('payment_attempts')
      .select('id')
      .where('sale_id', '=', row.sale_id)
      .where('kind', '=', 'payment')
      .where('status', '=', 'failed')
      .where('category', '=', row.category)
      .where('id', '<', row.id) // ids sort in creation order
      .execute();
    mayTryAgain = mayTryCardAgain(classifyCardCode(row.code), earlier.length, true);
  }
  // Reversed: nothing stayed charged, so the same card may go again under a new number.
  if (row.status === 'reversed' && row.tender === 'card' && row.kind === 'payment') mayTryAgain = true;
  // A wrong PIN's next step follows the verdict on this sale's tries, never the general words.
  const doNext =
    g && category === 'wrong_pin' && row.kind === 'payment'
      ? mayTryAgain
        ? WRONG_PIN_NEXT.again
        : WRONG_PIN_NEXT.spent
      : g?.doNext;
  return {
    mayTryCardAgain: mayTryAgain,
    id: row.id,
    saleId: row.sale_id,
    tillId: row.till_id,
    tender: row.tender as Tender,
    amountFen: Number(row.amount_fen),
    status: row.status as AttemptStatus,
    merchantOrderNo: row.merchant_order_no,
    maskedPan: row.masked_pan,
    brand: row.brand,
    code: row.code,
    category,
    guidance: g
      ? {
          tellCustomer: guidanceText(g.tellCustomer, lang),
          doNext: guidanceText(doNext ?? g.doNext, lang),
          alternatives: g.alternatives,
        }
      : null,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    history: (await attemptHistory(db, row.id)).map((e) => ({
      at: e.at,
      event: e.event,
      meaning: e.meaning,
      from: e.from_status,
      to: e.to_status,
    })),
  };
}

type AttemptSeed = Pick<
  PaymentAttemptsTable,
  | 'sale_id'
  | 'store_id'
  | 'till_id'
  | 'tender'
  | 'amount_fen'
  | 'cashier_id'
  | 'masked_pan'
  | 'brand'
  | 'kind'
  | 'refund_of'
  | 'sandbox'
>;

/**
 * Saves a new attempt, due at once, with its own merchant order number (`TS…` for a payment, `RF…`
 * for a refund, 28 characters) and nexo request id (the id's last ten), and its first history line.
 */
async function saveNewAttempt(
  ctx: Ctx,
  tx: Tx,
  seed: AttemptSeed,
  detail: Record<string, unknown>,
): Promise<PaymentAttemptsTable> {
  const at = ctx.clock.now().toISOString();
  const id = ctx.ids.next('att');
  const ulid = id.slice(id.indexOf('_') + 1);
  const row: PaymentAttemptsTable = {
    sale_id: seed.sale_id,
    store_id: seed.store_id,
    till_id: seed.till_id,
    tender: seed.tender,
    amount_fen: seed.amount_fen,
    cashier_id: seed.cashier_id,
    masked_pan: seed.masked_pan,
    brand: seed.brand,
    kind: seed.kind,
    refund_of: seed.refund_of,
    sandbox: seed.sandbox,
    id,
    merchant_order_no: `${seed.kind === 'refund' ? 'RF' : 'TS'}${ulid}`,
    request_id: ulid.slice(-10),
    status: 'created',
    provider_ref: null,
    code: null,
    category: null,
    slip_json: null,
    checks: 0,
    created_at: at,
    sent_at: null,
    next_check_at: at,
    deadline_at: null,
    resolved_at: null,
    version: 1,
  };
  await tx.insertInto('payment_attempts').values(row).execute();
  await appendAttemptEvent(tx, {
    attempt_id: id,
    at,
    event: 'created',
    meaning: 'move',
    from_status: 'created',
    to_status: 'created',
    detail_json: JSON.stringify({ ...detail, merchantOrderNo: row.merchant_order_no }),
  });
  return row;
}

/**
 * Step 1, inside the caller's transaction (the route's idempotent mutation): the sale waits, the
 * attempt is saved with its merchant order number. Nothing has been sent yet.
 */
export async function startCharge(
  ctx: Ctx,
  runtime: PaymentRuntime,
  input: { saleId: string; tender: Tender; amountFen: number; paymentCode?: string },
): Promise<PaymentAttemptsTable> {
  if (!ctx.actor?.tillId) throw new Refusal('wrong_surface', 'a charge is taken at a till');
  const tillId = ctx.actor.tillId;
  const provider = runtime.providerFor(tillId, input.tender);
  if (!provider) throw new Refusal(input.tender === 'card' ? 'tender_unavailable' : 'wallet_unavailable');
  return transaction(ctx.db, 'full', async (tx) => {
    const c = inTx(ctx, tx);
    // One live request per terminal: the till cannot start another charge while one is out.
    if ((await liveAttemptsAtTill(tx, tillId)).some((a) => a.tender === input.tender))
      throw new Refusal('terminal_busy');
    const sale = await beginCharge(c, input.saleId, input.amountFen);
    const row = await saveNewAttempt(
      ctx,
      tx,
      {
        sale_id: sale.id,
        store_id: sale.store_id,
        till_id: tillId,
        tender: input.tender,
        amount_fen: input.amountFen,
        cashier_id: ctx.actor?.staffId ?? sale.cashier_id,
        masked_pan: null,
        brand: null,
        kind: 'payment',
        refund_of: null,
        sandbox: runtime.isSandbox?.(tillId, input.tender) ? 1 : 0,
      },
      { amountFen: input.amountFen },
    );
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.store_id,
      actorId: row.cashier_id,
      action: 'payment.attempt_started',
      entityType: 'payment_attempt',
      entityId: row.id,
      saleId: sale.id,
      after: {
        tender: input.tender,
        amountFen: input.amountFen,
        merchantOrderNo: row.merchant_order_no,
        tillId,
      },
    });
    // Held in memory until the request leaves; never written to the attempt's row.
    if (input.paymentCode) holdPaymentCode(row.id, input.paymentCode);
    return row;
  });
}

/**
 * A refund of (part of) a paid attempt, saved before anything is sent: through the provider that
 * took the money, at `tillId`'s terminal, under its own number. Returns the row and its audit event.
 */
export async function saveRefundAttempt(
  ctx: Ctx,
  tx: Tx,
  original: PaymentAttemptsTable,
  input: {
    amountFen: number;
    tillId: string;
    staffId: string;
    why: string;
    /** What a statement shows the provider holds of it, when our record says it took nothing. */
    heldFen?: number;
  },
): Promise<{ row: PaymentAttemptsTable; audit: AuditDraft }> {
  // Every refund — a void, a complaint, a review — is bounded here, under the payment's row lock,
  // by what the payment still has after the refunds before it.
  const locked = await ATTEMPT_FOR_UPDATE.first(tx, { id: original.id });
  if (!locked) throw new Refusal('attempt_unknown');
  const refundable = await refundableFen(tx, locked, input.heldFen ?? null);
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0 || input.amountFen > refundable)
    throw new Refusal('refund_exceeds_refundable', undefined, { refundableFen: refundable });
  const row = await saveNewAttempt(
    ctx,
    tx,
    {
      ...locked,
      till_id: input.tillId,
      amount_fen: input.amountFen,
      cashier_id: input.staffId,
      kind: 'refund',
      refund_of: locked.id,
    },
    { refundOf: locked.id, amountFen: input.amountFen, why: input.why, refundableFen: refundable },
  );
  return {
    row,
    audit: {
      action: 'payment.refund_started',
      entityType: 'payment_attempt',
      entityId: row.id,
      after: {
        tender: row.tender,
        amountFen: row.amount_fen,
        refundOf: locked.merchant_order_no,
        refundableBeforeFen: refundable,
        maskedPan: row.masked_pan,
        why: input.why,
      },
    },
  };
}

/** A refund started outside a void (a review, a complaint): its own audit event, on its sale's chain. */
export function auditRefundStarted(
  ctx: Ctx,
  tx: Tx,
  refund: { row: PaymentAttemptsTable; audit: AuditDraft },
  actorId: string,
): Promise<void> {
  return appendAudit(tx, ctx.clock, ctx.ids, {
    storeId: refund.row.store_id,
    actorId,
    saleId: refund.row.sale_id,
    entityType: refund.audit.entityType ?? 'payment_attempt',
    entityId: refund.audit.entityId ?? refund.row.id,
    action: refund.audit.action,
    after: refund.audit.after,
  });
}

/**
 * For a paid sale being voided: one refund attempt per card or wallet payment, saved in the void's
 * transaction (before anything is sent), each through the provider that took the money. Their ids
 * are pushed to `created` so the caller drives them once the void has committed.
 */
export function refundOwer(ctx: Ctx, created: string[]): RefundOwer {
  return async (tx, _sale, payments) => {
    const actor = ctx.actor;
    if (!actor?.tillId) throw new Refusal('wrong_surface', 'a refund is given at a till');
    const audit: Awaited<ReturnType<RefundOwer>> = [];
    // Money no attempt of ours took (a transfer the statement confirmed) cannot go back through one.
    if (payments.some((p) => !p.attempt_id)) throw new Refusal('refund_outside_providers');
    for (const payment of payments) {
      const original = payment.attempt_id ? await attemptById(tx, payment.attempt_id) : null;
      if (!original)
        throw new Error(`invariant: payment ${payment.id} by ${payment.tender} without its attempt`);
      // What earlier refunds (a complaint's compensation) gave back of it is not given again.
      const left = Math.min(Number(payment.amount_fen), await refundableFen(tx, original));
      if (left <= 0) continue;
      const refund = await saveRefundAttempt(ctx, tx, original, {
        amountFen: left,
        tillId: actor.tillId,
        staffId: actor.staffId,
        why: 'void',
      });
      created.push(refund.row.id);
      audit.push(refund.audit);
    }
    return audit;
  };
}

/**
 * A reviewer's decision on an attempt under review, recorded like any answer (in the caller's
 * transaction when there is one). `settle: false` when the review settles the sale itself.
 */
export function recordReview(
  ctx: Ctx,
  attemptId: string,
  event: 'reviewed_paid' | 'reviewed_not_paid',
  detail: Record<string, unknown>,
  options: { settle: boolean },
): Promise<PaymentAttemptsTable> {
  return record(ctx, attemptId, event, {}, detail, options);
}

const refOf = (a: PaymentAttemptsTable): AttemptRef => ({
  merchantOrderNo: a.merchant_order_no,
  tillId: a.till_id,
  requestId: a.request_id,
  providerRef: a.provider_ref,
  kind: a.kind === 'refund' ? 'refund' : 'payment',
});

/** The attempt as the provider knows it; a refund also names the payment it gives money back from. */
async function refFor(db: Tx, a: PaymentAttemptsTable): Promise<AttemptRef> {
  if (a.kind !== 'refund' || !a.refund_of) return refOf(a);
  return { ...refOf(a), refundOf: (await attemptById(db, a.refund_of)).merchant_order_no };
}

/** Turns a provider's answer into the attempt's event and the fields it brings. */
function eventOf(
  given: PayAnswer | QueryAnswer,
  asked: 'pay' | 'query',
  attempt: Pick<PaymentAttemptsTable, 'tender' | 'amount_fen' | 'kind'>,
): { event: AttemptEvent; fields: Partial<PaymentAttemptsTable>; detail: Record<string, unknown> } {
  const tender = attempt.tender as Tender;
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
async function record(
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
    const from = before.status as AttemptStatus;
    const meaning = interpretAnswer(from, event);
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
        !(await saleWaits(tx, before.sale_id, Number(before.amount_fen)))
      ) {
        to = 'needs_review';
        conflict = true;
      }
      const schedule = SCHEDULES[before.tender as Tender];
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
      const schedule = SCHEDULES[before.tender as Tender];
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

/**
 * Does the sale still take this attempt's money? While it waits for it — or while it is on account
 * (a slip was issued, perhaps while this attempt was still unknown) and the money fits what is due.
 */
async function saleWaits(tx: Tx, saleId: string, amountFen: number): Promise<boolean> {
  const sale = await tx
    .selectFrom('sales')
    .select(['status', 'total_fen', 'paid_fen'])
    .where('id', '=', saleId)
    .executeTakeFirst();
  if (sale?.status === 'awaiting_payment') return true;
  return sale?.status === 'on_account' && amountFen <= Number(sale.total_fen) - Number(sale.paid_fen);
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
  const to = attempt.status as AttemptStatus;
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
  if (MAY_STILL_SUCCEED.has(to) || !(await saleWaits(tx, attempt.sale_id, Number(attempt.amount_fen))))
    return;
  await finishCharge(
    c,
    attempt.sale_id,
    to === 'succeeded'
      ? { paid: true, tender: attempt.tender, amountFen: Number(attempt.amount_fen), attemptId: attempt.id }
      : { paid: false },
  );
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
  const status = attempt.status as AttemptStatus;
  if (FINAL_STATUSES.has(status) || status === 'needs_review') return attempt;
  const tender = attempt.tender as Tender;
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
  const provider = runtime.providerFor(attempt.till_id, attempt.tender as Tender);
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
  const tender = attempt.tender as Tender;
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
