/**
 * Customers' feedback and complaints, each use case one transaction and audited: a rating and a
 * comment from the receipt's or the slip's own page (public, one per visit); a complaint the store
 * opens (from a feedback or a call), what it gives to make it good — money back through the
 * provider that took it, a coupon, a gift — and its resolution.
 */
import { appendAudit, historyOf } from '../audit';
import { type Ctx, CUSTOMER_ACTOR_PREFIX } from '../context';
import {
  type CompensationsTable,
  type ComplaintsTable,
  isUniqueViolation,
  nextNumber,
  prepared,
  type Tx,
  transaction,
} from '../db';
import { localDateKey, Port, Refusal } from '../kernel';
import {
  attemptStatuses,
  attemptsOfSale,
  auditRefundStarted,
  refundableFen,
  refundThroughOrigin,
} from '../payments';
import { saleByNumber, saleHeader, saleNumbers } from '../sales';
import { maskPhone, normalizePhone } from '../shared';
import { storeFacts } from '../stores';
import {
  type CompensationKind,
  type ComplaintEvent,
  type ComplaintStatus,
  compensationProblem,
  refundSource,
  transitionComplaint,
  wantsAttention,
} from './model';

/** The sale of a slip's pay-later secret, or null: the exception desk answers (feedback stands below it). */
export const SALE_OF_PAY_TOKEN = new Port<(db: Tx, payToken: string) => Promise<string | null>>(
  'feedback.saleOfPayToken',
);

// ---------------------------------------------------------------- feedback

export interface FeedbackView {
  id: string;
  saleId: string;
  saleNumber: string;
  via: 'receipt' | 'slip';
  rating: number;
  comment: string;
  createdAt: string;
  /** 1–2 stars: someone should look. */
  wantsAttention: boolean;
  complaintId: string | null;
  complaintNumber: string | null;
}

/**
 * The customer rates the visit from the page the receipt's (or the slip's) QR code opens: once per
 * sale, a retry with the same key answered as before, a second rating refused politely. A receipt's
 * page rates a completed sale; a slip's page, the sale it is for.
 */
export async function leaveFeedback(
  ctx: Ctx,
  where: { saleId: string } | { payToken: string },
  input: { rating: number; comment: string },
): Promise<{ id: string; rating: number }> {
  const db = ctx.db.kysely;
  const via = 'saleId' in where ? 'receipt' : 'slip';
  const saleId = 'saleId' in where ? where.saleId : await SALE_OF_PAY_TOKEN.call(db, where.payToken);
  const header = saleId ? await saleHeader(db, saleId) : null;
  const sale = header ? { id: header.id, store_id: header.storeId, status: header.status } : undefined;
  if (!sale) throw new Refusal(via === 'receipt' ? 'sale_unknown' : 'slip_unknown');
  if (via === 'receipt' && sale.status !== 'completed') throw new Refusal('feedback_not_yet');
  const id = ctx.ids.next('fb');
  try {
    await transaction(ctx.db, 'full', async (tx) => {
      await tx
        .insertInto('feedback')
        .values({
          id,
          store_id: sale.store_id,
          sale_id: sale.id,
          via,
          rating: input.rating,
          comment: input.comment,
          created_at: ctx.clock.now().toISOString(),
        })
        .execute();
      await appendAudit(tx, ctx.clock, ctx.ids, {
        storeId: sale.store_id,
        actorId: `${CUSTOMER_ACTOR_PREFIX}${sale.id}`,
        action: 'feedback.received',
        entityType: 'feedback',
        entityId: id,
        saleId: sale.id,
        after: { via, rating: input.rating, comment: input.comment },
      });
    });
  } catch (error: unknown) {
    if (isUniqueViolation(error)) throw new Refusal('feedback_already_given');
    throw error;
  }
  return { id, rating: input.rating };
}

export async function feedbackOfStore(
  ctx: Ctx,
  storeId: string,
  filter: { attention?: boolean; limit?: number } = {},
): Promise<FeedbackView[]> {
  let q = ctx.db.kysely
    .selectFrom('feedback as f')
    .leftJoin('complaints as c', 'c.feedback_id', 'f.id')
    .select([
      'f.id',
      'f.sale_id',
      'f.via',
      'f.rating',
      'f.comment',
      'f.created_at',
      'c.id as complaint_id',
      'c.number as complaint_number',
    ])
    .where('f.store_id', '=', storeId);
  if (filter.attention) q = q.where('f.rating', '<=', 2);
  const rows = await q
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id', 'desc')
    .limit(filter.limit ?? 200)
    .execute();
  const numbers = await saleNumbers(
    ctx.db.kysely,
    rows.map((r) => r.sale_id),
  );
  return rows.map((r) => ({
    id: r.id,
    saleId: r.sale_id,
    saleNumber: numbers.get(r.sale_id) ?? '',
    via: r.via as 'receipt' | 'slip',
    rating: r.rating,
    comment: r.comment,
    createdAt: r.created_at,
    wantsAttention: wantsAttention(r.rating),
    complaintId: r.complaint_id ?? null,
    complaintNumber: r.complaint_number ?? null,
  }));
}

// ---------------------------------------------------------------- complaints

export interface CompensationView {
  id: string;
  kind: CompensationKind;
  valueFen: number;
  detail: string;
  refundAttemptId: string | null;
  /** For a refund: how its attempt stands (the money goes back through the provider). */
  refundStatus: string | null;
  givenBy: string;
  givenAt: string;
}

export interface ComplaintView {
  id: string;
  number: string;
  storeId: string;
  status: ComplaintStatus;
  saleId: string | null;
  saleNumber: string | null;
  feedbackId: string | null;
  customerName: string;
  /** Masked; the store keeps the full number. */
  customerPhone: string | null;
  description: string;
  resolution: string | null;
  openedBy: string;
  openedAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  compensations: CompensationView[];
  totalCompensationFen: number;
  /** Every change to it, from the audit log. */
  history: { at: string; action: string; actorId: string }[];
}

async function complaintById(db: Tx, id: string): Promise<ComplaintsTable> {
  const row = await db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new Refusal('complaint_unknown');
  return row;
}

export async function complaintDetail(ctx: Ctx, id: string): Promise<ComplaintView> {
  const db = ctx.db.kysely;
  const row = await complaintById(db, id);
  const sale = row.sale_id ? ((await saleHeader(db, row.sale_id)) ?? undefined) : undefined;
  const given = await db
    .selectFrom('compensations')
    .selectAll()
    .where('complaint_id', '=', id)
    .orderBy('given_at')
    .orderBy('id')
    .execute();
  const refundStates = await attemptStatuses(
    db,
    given.flatMap((k) => (k.refund_attempt_id ? [k.refund_attempt_id] : [])),
  );
  const history = await historyOf(db, 'complaint', id);
  const compensations = given.map((k) => ({
    id: k.id,
    kind: k.kind,
    valueFen: Number(k.value_fen),
    detail: k.detail,
    refundAttemptId: k.refund_attempt_id,
    refundStatus: (k.refund_attempt_id ? refundStates.get(k.refund_attempt_id) : undefined) ?? null,
    givenBy: k.given_by,
    givenAt: k.given_at,
  }));
  return {
    id: row.id,
    number: row.number,
    storeId: row.store_id,
    status: row.status,
    saleId: row.sale_id,
    saleNumber: sale?.number ?? null,
    feedbackId: row.feedback_id,
    customerName: row.customer_name,
    customerPhone: row.customer_phone ? maskPhone(row.customer_phone) : null,
    description: row.description,
    resolution: row.resolution,
    openedBy: row.opened_by,
    openedAt: row.opened_at,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at,
    compensations,
    totalCompensationFen: compensations.reduce((sum, k) => sum + k.valueFen, 0),
    history,
  };
}

export interface ComplaintListItem {
  id: string;
  number: string;
  status: ComplaintStatus;
  customerName: string;
  saleNumber: string | null;
  description: string;
  openedAt: string;
  totalCompensationFen: number;
}

export async function complaintsOfStore(ctx: Ctx, storeId: string, status: ComplaintStatus | null) {
  let q = ctx.db.kysely
    .selectFrom('complaints as c')
    .select(['c.id', 'c.number', 'c.status', 'c.customer_name', 'c.sale_id', 'c.description', 'c.opened_at'])
    .select((eb) =>
      eb
        .selectFrom('compensations as k')
        .select((e) => e.fn.coalesce(e.fn.sum<number>('k.value_fen'), e.lit(0)).as('v'))
        .whereRef('k.complaint_id', '=', 'c.id')
        .as('total'),
    )
    .where('c.store_id', '=', storeId);
  if (status) q = q.where('c.status', '=', status);
  const rows = await q.orderBy('c.opened_at', 'desc').orderBy('c.id', 'desc').limit(200).execute();
  const numbers = await saleNumbers(
    ctx.db.kysely,
    rows.flatMap((r) => (r.sale_id ? [r.sale_id] : [])),
  );
  return rows.map(
    (r): ComplaintListItem => ({
      id: r.id,
      number: r.number,
      status: r.status,
      customerName: r.customer_name,
      saleNumber: (r.sale_id ? numbers.get(r.sale_id) : undefined) ?? null,
      description: r.description,
      openedAt: r.opened_at,
      totalCompensationFen: Number(r.total ?? 0),
    }),
  );
}

/**
 * The store opens a complaint: from a customer's feedback (which names the sale), or from a call or
 * a visit (the sale by its number, if they have the receipt). A malformed phone is refused.
 */
export async function openComplaint(
  ctx: Ctx,
  storeId: string,
  input: {
    customerName: string;
    customerPhone?: string | null | undefined;
    saleNumber?: string | null | undefined;
    feedbackId?: string | null | undefined;
    description: string;
  },
): Promise<ComplaintView> {
  const phone = input.customerPhone ? normalizePhone(input.customerPhone) : null;
  if (input.customerPhone && !phone) throw new Refusal('phone_invalid');
  const id = await transaction(ctx.db, 'full', async (tx) => {
    const store = await storeFacts(tx, storeId);
    if (!store) throw new Refusal('store_unknown');
    let saleId: string | null = null;
    let feedbackId: string | null = null;
    if (input.feedbackId) {
      const fb = await tx
        .selectFrom('feedback')
        .selectAll()
        .where('id', '=', input.feedbackId)
        .executeTakeFirst();
      if (!fb || fb.store_id !== storeId) throw new Refusal('not_found', 'no such feedback in this store');
      feedbackId = fb.id;
      saleId = fb.sale_id;
    }
    if (input.saleNumber) {
      const sale = await saleByNumber(tx, input.saleNumber);
      if (!sale || sale.storeId !== storeId) throw new Refusal('sale_unknown');
      if (saleId && saleId !== sale.id)
        throw new Refusal('validation_failed', 'the feedback is for another sale');
      saleId = sale.id;
    }
    const now = ctx.clock.now();
    const dateKey = localDateKey(now, store.timeZone);
    const counter = { value: await nextNumber(tx, storeId, `complaint:${dateKey}`) };
    const row: ComplaintsTable = {
      id: ctx.ids.next('cmp'),
      number: `${store.code}-K${dateKey}-${String(counter.value).padStart(4, '0')}`,
      store_id: storeId,
      sale_id: saleId,
      feedback_id: feedbackId,
      customer_name: input.customerName,
      customer_phone: phone,
      description: input.description,
      status: 'open',
      resolution: null,
      opened_by: ctx.actor?.staffId ?? 'system',
      opened_at: now.toISOString(),
      resolved_by: null,
      resolved_at: null,
      version: 1,
    };
    try {
      await tx.insertInto('complaints').values(row).execute();
    } catch (error: unknown) {
      // One complaint per feedback: the second is the same complaint, opened twice.
      if (feedbackId && isUniqueViolation(error))
        throw new Refusal('validation_failed', 'this feedback already has a complaint');
      throw error;
    }
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId,
      actorId: row.opened_by,
      action: 'complaint.opened',
      entityType: 'complaint',
      entityId: row.id,
      saleId,
      after: {
        number: row.number,
        customer: { name: row.customer_name, phone: phone ? maskPhone(phone) : null },
        description: row.description,
        feedbackId,
      },
    });
    return row.id;
  });
  return complaintDetail(ctx, id);
}

/** Moves a complaint by its table (with the optimistic version), or refuses. */
async function moveComplaint(
  tx: Tx,
  row: ComplaintsTable,
  event: ComplaintEvent,
  fields: Partial<ComplaintsTable> = {},
): Promise<ComplaintStatus> {
  const moved = transitionComplaint(row.status, event);
  if (!moved.ok)
    throw new Refusal(row.status === 'resolved' ? 'complaint_not_open' : 'complaint_not_resolved');
  const written = await tx
    .updateTable('complaints')
    .set({ ...fields, status: moved.to, version: row.version + 1 })
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(written.numUpdatedRows) !== 1)
    throw new Refusal('complaint_not_open', 'changed meanwhile: reload');
  return moved.to;
}

/**
 * A manager gives something to make the complaint good. A refund goes back through the provider
 * that took the money (a refund attempt, saved before anything is sent; its id is pushed to
 * `created` for the caller to drive once this commits): never more than that payment has left.
 * A coupon (its code) or a gift (what it is) is recorded at its value. Runs in the caller's
 * idempotent transaction.
 */
export async function giveCompensation(
  ctx: Ctx,
  complaintId: string,
  input: { kind: CompensationKind; valueFen: number; detail: string },
  created: string[],
): Promise<ComplaintView> {
  const actor = ctx.actor;
  if (!actor) throw new Refusal('unauthenticated');
  const tx = ctx.db.kysely;
  const row = await complaintById(tx, complaintId);
  const problem = compensationProblem(input, row.sale_id !== null);
  if (problem === 'refund_needs_sale')
    throw new Refusal('validation_failed', 'a refund belongs to a sale: open the complaint with its sale');
  if (problem === 'detail_missing')
    throw new Refusal('validation_failed', 'a coupon needs its code, a gift what it is');
  if (problem) throw new Refusal(problem);
  await moveComplaint(tx, row, 'compensate');
  let refundAttemptId: string | null = null;
  if (input.kind === 'refund' && row.sale_id) {
    const paid = (await attemptsOfSale(tx, row.sale_id)).filter(
      (a) => a.kind === 'payment' && a.status === 'succeeded',
    );
    // What each payment has left to give back, by the payments' own rule (saveRefundAttempt
    // checks it again under the payment's lock).
    const left = await Promise.all(paid.map((p) => refundableFen(tx, p)));
    const source = refundSource(
      paid.map((p, i) => ({
        id: p.id,
        amountFen: Number(p.amount_fen),
        refundedFen: Number(p.amount_fen) - left[i]!,
      })),
      input.valueFen,
    );
    if (!source) throw new Refusal('compensation_refund_unavailable');
    const refund = await refundThroughOrigin(ctx, tx, source.id, {
      amountFen: input.valueFen,
      staffId: actor.staffId,
      why: 'complaint',
    });
    refundAttemptId = refund.row.id;
    created.push(refund.row.id);
    await auditRefundStarted(ctx, tx, refund, actor.staffId);
  }
  const k: CompensationsTable = {
    id: ctx.ids.next('cps'),
    complaint_id: row.id,
    kind: input.kind,
    value_fen: input.valueFen,
    detail: input.detail,
    refund_attempt_id: refundAttemptId,
    given_by: actor.staffId,
    given_at: ctx.clock.now().toISOString(),
  };
  await tx.insertInto('compensations').values(k).execute();
  await appendAudit(tx, ctx.clock, ctx.ids, {
    storeId: row.store_id,
    actorId: actor.staffId,
    action: 'complaint.compensated',
    entityType: 'complaint',
    entityId: row.id,
    saleId: row.sale_id,
    after: { number: row.number, kind: k.kind, valueFen: k.value_fen, detail: k.detail, refundAttemptId },
  });
  return complaintDetail(ctx, complaintId);
}

/** A manager closes the complaint with what was agreed, or opens it again (both audited). */
export async function decideComplaint(
  ctx: Ctx,
  complaintId: string,
  input: { event: 'resolve' | 'reopen'; text: string },
): Promise<ComplaintView> {
  await transaction(ctx.db, 'full', async (tx) => {
    const row = await complaintById(tx, complaintId);
    const at = ctx.clock.now().toISOString();
    const by = ctx.actor?.staffId ?? 'system';
    const to = await moveComplaint(
      tx,
      row,
      input.event,
      input.event === 'resolve'
        ? { resolution: input.text, resolved_by: by, resolved_at: at }
        : { resolved_by: null, resolved_at: null },
    );
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: row.store_id,
      actorId: by,
      action: input.event === 'resolve' ? 'complaint.resolved' : 'complaint.reopened',
      entityType: 'complaint',
      entityId: row.id,
      saleId: row.sale_id,
      before: { status: row.status, resolution: row.resolution },
      after: {
        status: to,
        ...(input.event === 'resolve' ? { resolution: input.text } : { reason: input.text }),
      },
    });
  });
  return complaintDetail(ctx, complaintId);
}

const STOREOFCOMPLAINT_Q = prepared((db, p: { key: string }) =>
  db.selectFrom('complaints').select('store_id').where('id', '=', p.key),
);

/** The store of a complaint (the access guard asks, to scope a request); undefined when there is none. */
export async function storeOfComplaint(db: Tx, key: string): Promise<string | null | undefined> {
  const row = await STOREOFCOMPLAINT_Q.first(db, { key });
  return row?.store_id;
}

/** The sales this customer's complaints name (phone normalised), at the store: the journal asks. */
export async function salesOfComplaintPhone(db: Tx, storeId: string, phone: string): Promise<string[]> {
  const rows = await db
    .selectFrom('complaints')
    .select('sale_id')
    .where('customer_phone', '=', phone)
    .where('store_id', '=', storeId)
    .execute();
  return rows.flatMap((r) => (r.sale_id ? [r.sale_id] : []));
}
