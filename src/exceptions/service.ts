/**
 * The exception desk's use cases, each one transaction: issue a provisional slip (小单) for a sale
 * that cannot be finished now, with its follow-up case due the next business morning; settle it
 * when the sale completes (at any till, any tender — the sales module calls in through its
 * completion hook); record contacts and notes; close it when the customer never comes back
 * (cancel with restock, or write off). Stock moves through the sales module, exactly once.
 */
import { appendAudit } from '../audit';
import { type Ctx, CUSTOMER_ACTOR_PREFIX, inTx } from '../context';
import {
  type FollowUpCasesTable,
  type ManualConfirmationsTable,
  type NotificationsTable,
  type PaymentAttemptsTable,
  type SalesTable,
  type SlipsTable,
  type Tx,
  transaction,
} from '../db';
import { findPans, type Lang, localDate, localDateKey, Refusal } from '../kernel';
import {
  composeMessage,
  type DeliveryOutcome,
  enqueueNotification,
  type NotificationKind,
  type NotificationView,
  notificationsOfCase,
} from '../notify';
import {
  AT_THE_TERMINAL,
  type AttemptStatus,
  attemptView,
  MAY_STILL_SUCCEED,
  type PaymentRuntime,
  startCharge,
} from '../payments';
import { buildSlip, type ReceiptDoc } from '../receipts';
import {
  awaitStatement,
  closeOnAccount,
  decideByStatement,
  putOnAccount,
  readSale,
  type SaleView,
} from '../sales';
import { maskPhone, normalizePhone } from '../shared';
import { storeById } from '../stores';
import {
  type CaseEvent,
  type CaseStatus,
  closingFits,
  FINAL_CASE_STATUSES,
  followUpDueAt,
  type GoodsDisposition,
  maskEmail,
  orderQueue,
  transitionCase,
  type Urgency,
  urgencyOf,
} from './model';

export interface SlipView {
  id: string;
  number: string;
  storeId: string;
  status: string;
  goods: GoodsDisposition;
  reason: string;
  customerName: string;
  /** Masked: the full number is the store's to call, not the screen's to show. */
  customerPhone: string;
  /** Masked likewise, when the customer gave one (the notifier's e-mail adapter writes to it). */
  customerEmail: string | null;
  totalFen: number;
  /** Paid and due now, as the sale stands (a settled slip has nothing due). */
  paidFen: number;
  dueFen: number;
  /** What the slip said when it was issued (printed on it). */
  asIssued: { paidFen: number; dueFen: number };
  /** A payment attempt was still being checked when the slip was issued: it may settle it by itself. */
  attemptPending: boolean;
  issuedAt: string;
  issuedBy: string;
  endedAt: string | null;
  /** The pay-later link's secret, for the slip's QR code (shown to staff at the till that issued it). */
  payToken: string;
  caseId: string;
  caseStatus: CaseStatus;
  dueAt: string;
  sale: SaleView;
}

async function slipViewOf(db: Tx, slip: SlipsTable): Promise<SlipView> {
  const kase = await db
    .selectFrom('follow_up_cases')
    .selectAll()
    .where('slip_id', '=', slip.id)
    .executeTakeFirstOrThrow();
  const sale = await readSale(db, slip.sale_id);
  if (!sale) throw new Error(`invariant: slip ${slip.number} without its sale`);
  return {
    id: slip.id,
    number: slip.number,
    storeId: slip.store_id,
    status: slip.status,
    goods: slip.goods as GoodsDisposition,
    reason: slip.reason,
    customerName: slip.customer_name,
    customerPhone: maskPhone(slip.customer_phone),
    customerEmail: slip.customer_email ? maskEmail(slip.customer_email) : null,
    totalFen: Number(slip.total_fen),
    paidFen: sale.paidFen,
    dueFen: sale.status === 'voided' ? 0 : sale.dueFen,
    asIssued: { paidFen: Number(slip.paid_fen), dueFen: Number(slip.due_fen) },
    attemptPending: slip.attempt_pending === 1,
    issuedAt: slip.issued_at,
    issuedBy: slip.issued_by,
    endedAt: slip.ended_at,
    payToken: slip.pay_token,
    caseId: kase.id,
    caseStatus: kase.status as CaseStatus,
    dueAt: kase.due_at,
    sale,
  };
}

/**
 * 小单: the sale goes on account (goods taken leave stock now; goods held are reserved), a slip
 * records who owes what, and a follow-up case is due the next business morning.
 */
export async function issueSlip(
  ctx: Ctx,
  saleId: string,
  input: {
    reason: string;
    customerName: string;
    customerPhone: string;
    goods: GoodsDisposition;
    customerEmail?: string | null | undefined;
  },
): Promise<SlipView> {
  const actor = ctx.actor;
  if (!actor?.tillId) throw new Refusal('wrong_surface', 'a slip is issued at a till');
  const phone = normalizePhone(input.customerPhone);
  if (!phone) throw new Refusal('phone_invalid');
  return transaction(ctx.db, 'full', async (tx) => {
    const c = inTx(ctx, tx);
    const attempts = await tx
      .selectFrom('payment_attempts')
      .select('status')
      .where('sale_id', '=', saleId)
      .where('kind', '=', 'payment')
      .execute();
    // The card is at the terminal (insert, PIN) or the request is on its way: it will answer in a
    // moment. A slip now would send the customer off owing money a second later paid.
    if (attempts.some((a) => AT_THE_TERMINAL.includes(a.status as AttemptStatus)))
      throw new Refusal('slip_attempt_at_terminal');
    const pending = attempts.some((a) => MAY_STILL_SUCCEED.has(a.status as never));
    const sale = await putOnAccount(c, saleId, { goodsTaken: input.goods === 'taken' });
    const store = await tx
      .selectFrom('stores')
      .select(['code', 'time_zone'])
      .where('id', '=', sale.storeId)
      .executeTakeFirstOrThrow();
    const now = ctx.clock.now();
    const dateKey = localDateKey(now, store.time_zone);
    const counter = await tx
      .insertInto('counters')
      .values({ scope: sale.storeId, name: `slip:${dateKey}`, value: 1 })
      .onConflict((oc) =>
        oc.columns(['scope', 'name']).doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })),
      )
      .returning('value')
      .executeTakeFirstOrThrow();
    const at = now.toISOString();
    const slip: SlipsTable = {
      id: ctx.ids.next('slip'),
      number: `${store.code}-X${dateKey}-${String(counter.value).padStart(4, '0')}`,
      store_id: sale.storeId,
      sale_id: sale.id,
      status: 'issued',
      goods: input.goods,
      reason: input.reason,
      customer_name: input.customerName,
      customer_phone: phone,
      total_fen: sale.totalFen,
      paid_fen: sale.paidFen,
      due_fen: sale.dueFen,
      attempt_pending: pending ? 1 : 0,
      // The link's secret: 130 random bits of its own, never derived from an id or the printed number.
      pay_token: ctx.ids.secret(),
      issued_by: actor.staffId,
      issued_at: at,
      ended_at: null,
      customer_email: input.customerEmail?.trim().toLowerCase() || null,
    };
    await tx.insertInto('slips').values(slip).execute();
    const kase: FollowUpCasesTable = {
      id: ctx.ids.next('case'),
      store_id: sale.storeId,
      slip_id: slip.id,
      status: 'open',
      due_at: new Date(followUpDueAt(now.getTime())).toISOString(),
      opened_at: at,
      closed_at: null,
      version: 1,
    };
    await tx.insertInto('follow_up_cases').values(kase).execute();
    await appendCaseEvent(tx, kase.id, {
      at,
      event: 'opened',
      from: 'open',
      to: 'open',
      actorId: actor.staffId,
      note: input.reason,
      detail: { slip: slip.number, dueFen: slip.due_fen, goods: input.goods, attemptPending: pending },
    });
    await notifyCustomer(tx, ctx, slip, kase, 'slip_issued');
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.storeId,
      actorId: actor.staffId,
      action: 'slip.issued',
      entityType: 'slip',
      entityId: slip.id,
      saleId: sale.id,
      after: {
        number: slip.number,
        dueFen: slip.due_fen,
        paidFen: slip.paid_fen,
        goods: input.goods,
        reason: input.reason,
        customer: { name: input.customerName, phone: maskPhone(phone) },
        followUpDueAt: kase.due_at,
        attemptPending: pending,
      },
    });
    return slipViewOf(tx, slip);
  });
}

export async function slipByNumber(ctx: Ctx, number: string): Promise<SlipView> {
  const slip = await ctx.db.kysely
    .selectFrom('slips')
    .selectAll()
    .where('number', '=', number)
    .executeTakeFirst();
  if (!slip) throw new Refusal('slip_unknown');
  return slipViewOf(ctx.db.kysely, slip);
}

/**
 * The sale on account has completed (the sales module calls this in the completion's own
 * transaction): its slip is settled and its case closed. Registered with `onSaleCompleted`.
 */
export async function settleSlipOnCompletion(tx: Tx, ctx: Ctx, sale: SalesTable) {
  const slip = await tx
    .selectFrom('slips')
    .selectAll()
    .where('sale_id', '=', sale.id)
    .where('status', '=', 'issued')
    .executeTakeFirst();
  if (!slip) return [];
  const at = ctx.clock.now().toISOString();
  await tx.updateTable('slips').set({ status: 'settled', ended_at: at }).where('id', '=', slip.id).execute();
  // Settled by the statement that held the customer's proof, or by a payment like any other.
  const moved = await moveCase(
    tx,
    ctx,
    slip.id,
    (status) => (status === 'awaiting_statement' ? 'statement_confirms' : 'paid'),
    null,
    { saleCompleted: sale.id },
  );
  await notifyCustomer(tx, ctx, slip, moved, 'slip_settled');
  return [
    {
      action: 'slip.settled',
      entityType: 'slip',
      entityId: slip.id,
      after: { number: slip.number, case: moved.status, dueFen: Number(slip.due_fen) },
    },
  ];
}

/**
 * Moves a case by an event (or the event its current status calls for), with its timeline line;
 * refuses a move its table does not allow.
 */
async function moveCase(
  tx: Tx,
  ctx: Ctx,
  slipId: string,
  eventOf: CaseEvent | ((status: CaseStatus) => CaseEvent),
  note: string | null,
  detail: Record<string, unknown>,
): Promise<FollowUpCasesTable> {
  const kase = await tx
    .selectFrom('follow_up_cases')
    .selectAll()
    .where('slip_id', '=', slipId)
    .executeTakeFirstOrThrow();
  const from = kase.status as CaseStatus;
  const event = typeof eventOf === 'function' ? eventOf(from) : eventOf;
  const moved = transitionCase(from, event);
  if (!moved.ok) throw new Refusal('case_not_open', undefined, { caseStatus: from, event });
  const at = ctx.clock.now().toISOString();
  const closed = FINAL_CASE_STATUSES.has(moved.to);
  const written = await tx
    .updateTable('follow_up_cases')
    .set({ status: moved.to, version: kase.version + 1, ...(closed ? { closed_at: at } : {}) })
    .where('id', '=', kase.id)
    .where('version', '=', kase.version)
    .executeTakeFirst();
  if (Number(written.numUpdatedRows) !== 1) throw new Error(`invariant: case ${kase.id} changed under us`);
  await appendCaseEvent(tx, kase.id, {
    at,
    event,
    from,
    to: moved.to,
    actorId: ctx.actor?.staffId ?? 'system',
    note,
    detail,
  });
  return { ...kase, status: moved.to };
}

/** One line of a case's timeline. */
export interface CaseEventLine {
  seq: number;
  at: string;
  event: string;
  from: string;
  to: string;
  actorId: string;
  note: string | null;
}

async function appendCaseEvent(
  tx: Tx,
  caseId: string,
  e: Omit<CaseEventLine, 'seq'> & { detail: Record<string, unknown> },
): Promise<void> {
  const last = await tx
    .selectFrom('follow_up_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  await tx
    .insertInto('follow_up_events')
    .values({
      case_id: caseId,
      seq: Number(last?.seq ?? 0) + 1,
      at: e.at,
      event: e.event,
      from_status: e.from,
      to_status: e.to,
      actor_id: e.actorId,
      note: e.note,
      detail_json: JSON.stringify(e.detail),
    })
    .execute();
}

export interface QueueItem {
  caseId: string;
  status: CaseStatus;
  urgency: Urgency;
  dueAt: string;
  openedAt: string;
  slip: {
    number: string;
    dueFen: number;
    goods: GoodsDisposition;
    customerName: string;
    customerPhone: string;
    reason: string;
  };
  saleNumber: string;
  lastEvent: { at: string; event: string; note: string | null } | null;
}

/** The manager's queue for a store, first thing in the morning: overdue first, then today's. */
export async function followUpQueue(ctx: Ctx, storeId: string): Promise<QueueItem[]> {
  const db = ctx.db.kysely;
  const rows = await db
    .selectFrom('follow_up_cases as c')
    .innerJoin('slips as s', 's.id', 'c.slip_id')
    .innerJoin('sales as sa', 'sa.id', 's.sale_id')
    .select([
      'c.id',
      'c.status',
      'c.due_at',
      'c.opened_at',
      's.number',
      's.due_fen',
      's.goods',
      's.customer_name',
      's.customer_phone',
      's.reason',
      'sa.number as sale_number',
    ])
    .where('c.store_id', '=', storeId)
    .where('c.status', 'in', ['open', 'contacted', 'awaiting_statement'])
    .limit(500)
    .execute();
  const now = ctx.clock.now().getTime();
  const ordered = orderQueue(
    rows.map((r) => ({
      ...r,
      dueAt: Date.parse(r.due_at),
      openedAt: Date.parse(r.opened_at),
      status: r.status as CaseStatus,
    })),
    now,
  );
  // Each case's latest timeline line, read once for the whole queue.
  const latest = new Map<string, { at: string; event: string; note: string | null }>();
  if (ordered.length > 0)
    for (const e of await db
      .selectFrom('follow_up_events as e')
      .select(['e.case_id', 'e.at', 'e.event', 'e.note'])
      .where(
        'e.case_id',
        'in',
        ordered.map((r) => r.id),
      )
      .where((eb) =>
        eb(
          'e.seq',
          '=',
          eb
            .selectFrom('follow_up_events as x')
            .select((x) => x.fn.max('x.seq').as('m'))
            .whereRef('x.case_id', '=', 'e.case_id'),
        ),
      )
      .execute())
      latest.set(e.case_id, { at: e.at, event: e.event, note: e.note });
  const items: QueueItem[] = [];
  for (const r of ordered) {
    const last = latest.get(r.id);
    items.push({
      caseId: r.id,
      status: r.status,
      urgency: urgencyOf(r, now),
      dueAt: r.due_at,
      openedAt: r.opened_at,
      slip: {
        number: r.number,
        dueFen: Number(r.due_fen),
        goods: r.goods as GoodsDisposition,
        customerName: r.customer_name,
        customerPhone: maskPhone(r.customer_phone),
        reason: r.reason,
      },
      saleNumber: r.sale_number,
      lastEvent: last ?? null,
    });
  }
  return items;
}

export interface CaseView {
  id: string;
  status: CaseStatus;
  dueAt: string;
  /** The full phone number: the manager calls the customer from here. */
  customerPhone: string;
  slip: SlipView;
  timeline: CaseEventLine[];
  /** The customer's proofs of payment recorded on this case, the newest first. */
  confirmations: ManualConfirmationView[];
  /** What the store told the customer, through which channel, and whether it went. */
  notifications: NotificationView[];
}

/** A follow-up case by its id; an id we never issued is the caller's mistake, not a crash. */
async function caseById(db: Tx, caseId: string): Promise<FollowUpCasesTable> {
  const kase = await db.selectFrom('follow_up_cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  if (!kase) throw new Refusal('case_unknown');
  return kase;
}

/** A case and the slip it follows up (every case has one). */
async function caseWithSlip(db: Tx, caseId: string): Promise<{ kase: FollowUpCasesTable; slip: SlipsTable }> {
  const kase = await caseById(db, caseId);
  const slip = await db
    .selectFrom('slips')
    .selectAll()
    .where('id', '=', kase.slip_id)
    .executeTakeFirstOrThrow();
  return { kase, slip };
}

export async function caseDetail(ctx: Ctx, caseId: string): Promise<CaseView> {
  const db = ctx.db.kysely;
  const { kase, slip } = await caseWithSlip(db, caseId);
  const events = await db
    .selectFrom('follow_up_events')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('seq')
    .execute();
  return {
    id: kase.id,
    status: kase.status as CaseStatus,
    dueAt: kase.due_at,
    customerPhone: slip.customer_phone,
    slip: await slipViewOf(db, slip),
    notifications: await notificationsOfCase(db, caseId),
    confirmations: (
      await db
        .selectFrom('manual_confirmations')
        .selectAll()
        .where('case_id', '=', caseId)
        .orderBy('recorded_at', 'desc')
        .execute()
    ).map(confirmationViewOf),
    timeline: events.map((e) => ({
      seq: e.seq,
      at: e.at,
      event: e.event,
      from: e.from_status,
      to: e.to_status,
      actorId: e.actor_id,
      note: e.note,
    })),
  };
}

/** A contact attempt or a note on the case's timeline (audited). */
export async function recordCaseEvent(
  ctx: Ctx,
  caseId: string,
  input: { event: 'contacted' | 'noted'; note: string },
): Promise<CaseView> {
  await transaction(ctx.db, 'full', async (tx) => {
    const kase = await caseById(tx, caseId);
    const moved = await moveCase(tx, inTx(ctx, tx), kase.slip_id, input.event, input.note, {});
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: kase.store_id,
      actorId: ctx.actor?.staffId ?? 'system',
      action: `follow_up.${input.event}`,
      entityType: 'follow_up_case',
      entityId: caseId,
      after: { status: moved.status, note: input.note },
    });
  });
  return caseDetail(ctx, caseId);
}

/**
 * The customer never came back: a manager cancels the slip (goods held go back on sale) or writes
 * it off (goods taken are a loss). The way out must fit where the goods are.
 */
export async function closeSlip(
  ctx: Ctx,
  caseId: string,
  input: { event: 'cancel' | 'write_off'; reason: string },
): Promise<CaseView> {
  await transaction(ctx.db, 'full', async (tx) => {
    const c = inTx(ctx, tx);
    const { kase, slip } = await caseWithSlip(tx, caseId);
    if (slip.status !== 'issued')
      throw new Refusal('case_not_open', undefined, { caseStatus: kase.status, event: input.event });
    if (!closingFits(input.event, slip.goods as GoodsDisposition))
      throw new Refusal('slip_close_mismatch', undefined, { goods: slip.goods, event: input.event });
    const moved = await moveCase(tx, c, slip.id, input.event, input.reason, {});
    await closeOnAccount(c, slip.sale_id, input.reason);
    const status = input.event === 'cancel' ? 'cancelled' : 'written_off';
    await tx
      .updateTable('slips')
      .set({ status, ended_at: ctx.clock.now().toISOString() })
      .where('id', '=', slip.id)
      .execute();
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: slip.store_id,
      actorId: ctx.actor?.staffId ?? 'system',
      action: input.event === 'cancel' ? 'slip.cancelled' : 'slip.written_off',
      entityType: 'slip',
      entityId: slip.id,
      saleId: slip.sale_id,
      after: {
        number: slip.number,
        case: moved.status,
        reason: input.reason,
        dueFen: Number(slip.due_fen),
        goods: slip.goods,
      },
    });
  });
  return caseDetail(ctx, caseId);
}

/** The slip as the printer and the screen show it; the QR code leads to the slip's own page. */
export async function slipDocument(
  ctx: Ctx,
  where: { number: string } | { payToken: string },
  options: { lang: Lang; publicUrl: string },
): Promise<ReceiptDoc> {
  const db = ctx.db.kysely;
  const slip = await ('number' in where
    ? db.selectFrom('slips').selectAll().where('number', '=', where.number)
    : db.selectFrom('slips').selectAll().where('pay_token', '=', where.payToken)
  ).executeTakeFirst();
  if (!slip) throw new Refusal('slip_unknown');
  const view = await slipViewOf(db, slip);
  const store = await storeById(db, slip.store_id);
  if (!store) throw new Refusal('store_unknown');
  const cashier = await db
    .selectFrom('staff')
    .select('name')
    .where('id', '=', slip.issued_by)
    .executeTakeFirst();
  return buildSlip(
    {
      store,
      tillName: store.tills.find((t) => t.id === view.sale.tillId)?.name ?? view.sale.tillId,
      cashierName: cashier?.name ?? slip.issued_by,
      sale: view.sale,
      qrUrl: `${options.publicUrl.replace(/\/$/, '')}/pay/${slip.pay_token}`,
      slip: {
        number: slip.number,
        issuedAt: slip.issued_at,
        customerName: slip.customer_name,
        customerPhone: maskPhone(slip.customer_phone),
        reason: slip.reason,
        goods: slip.goods as GoodsDisposition,
        dueAt: view.dueAt,
        dueFen: view.sale.dueFen,
        attemptPending: slip.attempt_pending === 1 && view.status === 'issued',
      },
    },
    options.lang,
  );
}

/** The slip a pay-later page's secret opens; a secret we never issued is refused, never guessed at. */
async function slipByToken(db: Tx, payToken: string): Promise<SlipsTable> {
  const slip = await db.selectFrom('slips').selectAll().where('pay_token', '=', payToken).executeTakeFirst();
  if (!slip) throw new Refusal('slip_unknown');
  return slip;
}

/** What the customer's page may know of its slip: nothing personal, only what is due and how paying goes. */
export interface PayLaterState {
  status: string;
  dueFen: number;
  attempt: { status: string; tellCustomer: string | null } | null;
}

export async function payLaterState(ctx: Ctx, payToken: string, lang: Lang): Promise<PayLaterState> {
  const db = ctx.db.kysely;
  const slip = await slipByToken(db, payToken);
  const sale = await readSale(db, slip.sale_id);
  if (!sale) throw new Error(`invariant: slip ${slip.number} without its sale`);
  const last = await db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('sale_id', '=', slip.sale_id)
    .where('kind', '=', 'payment')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const view = last ? await attemptView(db, last, lang) : null;
  return {
    // The customer's proof is being checked against the statement: the page takes no payment.
    status: sale.status === 'awaiting_statement' ? 'awaiting_statement' : slip.status,
    dueFen: sale.dueFen,
    attempt: view ? { status: view.status, tellCustomer: view.guidance?.tellCustomer ?? null } : null,
  };
}

/**
 * The customer pays the slip from its page, through a wallet, for all that is still due. The page's
 * secret is the key; the customer acts as themselves (not as any staff member), recorded so. Runs
 * in the caller's idempotent transaction; the caller drives the attempt once it has committed.
 */
export async function payLater(
  ctx: Ctx,
  runtime: PaymentRuntime,
  input: { payToken: string; wallet: 'alipay' | 'wechat'; paymentCode: string },
): Promise<PaymentAttemptsTable> {
  const db = ctx.db.kysely;
  const slip = await slipByToken(db, input.payToken);
  if (slip.status !== 'issued') throw new Refusal('slip_not_open');
  const sale = await readSale(db, slip.sale_id);
  if (!sale || sale.dueFen <= 0) throw new Refusal('slip_not_open');
  const customer: Ctx = {
    ...ctx,
    actor: {
      staffId: `${CUSTOMER_ACTOR_PREFIX}${slip.id}`,
      name: slip.customer_name,
      role: 'cashier', // the lowest rights; the route itself is the customer's, not a till's
      storeId: slip.store_id,
      surface: 'till',
      tillId: sale.tillId, // the wallet charge is booked to the till that issued the slip
      sessionId: 'pay-later',
    },
  };
  return startCharge(customer, runtime, {
    saleId: sale.id,
    tender: input.wallet,
    amountFen: sale.dueFen,
    paymentCode: input.paymentCode,
  });
}

// ---------------------------------------------------------------- manual confirmation

export type ConfirmationTender = 'alipay' | 'wechat' | 'card' | 'bank_transfer';

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

const confirmationViewOf = (r: ManualConfirmationsTable): ManualConfirmationView => ({
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
 * tender meanwhile (so the money cannot be taken twice); reconciliation decides (Step 6,
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
    if (slip.status !== 'issued' || !transitionCase(kase.status as CaseStatus, 'manual_confirmation').ok)
      throw new Refusal('case_not_open', undefined, {
        caseStatus: kase.status,
        event: 'manual_confirmation',
      });
    const pending = await tx
      .selectFrom('payment_attempts')
      .select('status')
      .where('sale_id', '=', slip.sale_id)
      .execute();
    if (pending.some((a) => MAY_STILL_SUCCEED.has(a.status as never)))
      throw new Refusal('attempt_still_pending');
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

/** The customer's proofs still waiting for a statement: reconciliation's candidates (Step 6). */
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
 * The hook reconciliation (Step 6) calls once a statement has spoken on a customer's proof. The
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
    if (row.status !== 'awaiting_statement')
      throw new Refusal('confirmation_not_awaiting', undefined, { status: row.status });
    const at = ctx.clock.now().toISOString();
    const status = verdict.holds ? 'confirmed' : 'disagreed';
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

// ---------------------------------------------------------------- telling the customer

/**
 * A message to the slip's customer, into the outbox in the caller's transaction: by e-mail when
 * they gave an address and the store has e-mail set up, else onto the case timeline.
 */
async function notifyCustomer(
  tx: Tx,
  ctx: Ctx,
  slip: SlipsTable,
  kase: FollowUpCasesTable,
  kind: NotificationKind,
): Promise<void> {
  const store = await tx
    .selectFrom('stores')
    .select(['name_zh', 'name_en', 'time_zone'])
    .where('id', '=', slip.store_id)
    .executeTakeFirstOrThrow();
  const sale = await tx
    .selectFrom('sales')
    .select(['total_fen', 'paid_fen'])
    .where('id', '=', slip.sale_id)
    .executeTakeFirstOrThrow();
  const message = composeMessage(kind, {
    storeName: store.name_zh,
    customerName: slip.customer_name,
    slipNumber: slip.number,
    dueFen: Math.max(0, Number(sale.total_fen) - Number(sale.paid_fen)),
    dueDate: localDate(new Date(kase.due_at), store.time_zone),
    payToken: slip.pay_token,
  });
  await enqueueNotification(tx, ctx, {
    storeId: slip.store_id,
    caseId: kase.id,
    kind,
    recipient: slip.customer_email ?? '',
    ...message,
  });
}

/** The manager sends the customer a reminder with the pay-later link (noted on the timeline, audited). */
export async function sendReminder(ctx: Ctx, caseId: string): Promise<CaseView> {
  await transaction(ctx.db, 'full', async (tx) => {
    const { kase, slip } = await caseWithSlip(tx, caseId);
    if (slip.status !== 'issued' || kase.status === 'awaiting_statement')
      throw new Refusal('case_not_open', undefined, { caseStatus: kase.status, event: 'reminder' });
    await appendCaseEvent(tx, kase.id, {
      at: ctx.clock.now().toISOString(),
      event: 'reminder',
      from: kase.status,
      to: kase.status,
      actorId: ctx.actor?.staffId ?? 'system',
      note: null,
      detail: {},
    });
    await notifyCustomer(tx, ctx, slip, kase, 'payment_reminder');
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: kase.store_id,
      actorId: ctx.actor?.staffId ?? 'system',
      action: 'follow_up.reminder_sent',
      entityType: 'follow_up_case',
      entityId: caseId,
      after: { slip: slip.number, email: slip.customer_email ? maskEmail(slip.customer_email) : null },
    });
  });
  return caseDetail(ctx, caseId);
}

/**
 * The dispatcher has sent a message, or given it up: a line on its case's timeline, so the
 * manager sees what the customer was told (the built-in channel is exactly this line) or that
 * they could not be reached. A retry still to come leaves no line. Registered with
 * `onNotificationSettled`.
 */
export async function timelineOnDelivery(
  tx: Tx,
  ctx: Ctx,
  row: NotificationsTable,
  outcome: DeliveryOutcome,
): Promise<void> {
  if (!row.case_id || (!outcome.sent && !outcome.final)) return;
  const kase = await tx
    .selectFrom('follow_up_cases')
    .select('status')
    .where('id', '=', row.case_id)
    .executeTakeFirst();
  if (!kase) return;
  await appendCaseEvent(tx, row.case_id, {
    at: ctx.clock.now().toISOString(),
    event: outcome.sent ? 'notified' : 'notify_failed',
    from: kase.status,
    to: kase.status,
    actorId: 'system',
    note: outcome.sent ? row.subject : outcome.error,
    detail: {
      notificationId: row.id,
      kind: row.kind,
      channel: outcome.channel,
      to: row.recipient ? maskEmail(row.recipient) : null,
    },
  });
}
