/**
 * Saving an attempt before anything is sent: a charge (the sale waits, frozen) or a refund (through
 * one door that locks the payment and refuses more than it still has).
 */
import { appendAudit } from '../audit';
import { type Ctx, inTx } from '../context';
import type { PaymentAttemptsTable, Tx } from '../db';
import { transaction } from '../db';
import { Refusal } from '../kernel';
import { type AuditDraft, beginCharge, type RefundOwer } from '../sales';
import { record } from './answers';
import type { PaymentRuntime } from './drive';
import { holdPaymentCode } from './payment-codes';
import type { Tender } from './provider';
import {
  ATTEMPT_FOR_UPDATE,
  appendAttemptEvent,
  attemptById,
  liveAttemptsAtTill,
  refundableFen,
} from './store';

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
export async function saveNewAttempt(
  ctx: Ctx,
  tx: Tx,
  seed: AttemptSeed,
  detail: Record<string, unknown>,
  /** Not to be sent before this (ISO): a provider's spacing between refunds of one order. */
  dueAt: string | null = null,
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
    next_check_at: dueAt ?? at,
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
 * The orchestrator's first step, inside the caller's transaction (the route's idempotent mutation): the sale waits, the
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
    /** Not to be sent before this (ISO): WeChat Pay takes one refund of an order a minute. */
    notBefore?: string | null;
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
    input.notBefore ?? null,
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

/**
 * A refund of part of a paid attempt through the terminal (or wallet account) that took it: a
 * complaint's, a return's. Bounded like every refund by what the payment still holds.
 */
export async function refundThroughOrigin(
  ctx: Ctx,
  tx: Tx,
  originalId: string,
  input: { amountFen: number; staffId: string; why: string; notBefore?: string | null },
): Promise<{ row: PaymentAttemptsTable; audit: AuditDraft }> {
  const original = await attemptById(tx, originalId);
  return saveRefundAttempt(ctx, tx, original, { ...input, tillId: original.till_id });
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

/**
 * A refund its provider refused, waiting on the review desk, that the store paid another way (cash
 * from the drawer, with a manager's approval): closed as not given, and never sent again — the
 * money is no longer owed. The sale's side is the caller's (the drawer's refund row).
 */
export function closeRefundPaidElsewhere(
  ctx: Ctx,
  attemptId: string,
  detail: Record<string, unknown>,
): Promise<PaymentAttemptsTable> {
  return recordReview(
    ctx,
    attemptId,
    'reviewed_not_paid',
    { ...detail, paidElsewhere: true },
    { settle: false },
  );
}
