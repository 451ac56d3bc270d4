/** Payment attempts and their history, in SQL. */

import { CUSTOMER_ACTOR_PREFIX } from '../context';
import {
  lockedForUpdate,
  type PaymentAttemptEventsTable,
  type PaymentAttemptsTable,
  prepared,
  type Tx,
} from '../db';
import { Refusal } from '../kernel';
import { saleHeader, type TillCharge } from '../sales';
import { AT_THE_TERMINAL, type AttemptStatus, AWAITING_AN_ANSWER, MAY_STILL_SUCCEED } from './attempt-model';

export const ATTEMPT_FOR_UPDATE = prepared((db, p: { id: string }, dialect) =>
  lockedForUpdate(db.selectFrom('payment_attempts').selectAll().where('id', '=', p.id), dialect),
);

export async function attemptById(db: Tx, id: string): Promise<PaymentAttemptsTable> {
  const row = await db.selectFrom('payment_attempts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new Refusal('attempt_unknown');
  return row;
}

export async function attemptsOfSale(db: Tx, saleId: string): Promise<PaymentAttemptsTable[]> {
  return db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('sale_id', '=', saleId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * What a payment attempt still has to give back, net of every refund of it that gave money back or
 * may still (only a failed refund gave nothing): of its amount once it succeeded, or of `heldFen`
 * when a statement shows the provider holds money our record says it never took. Read under the
 * attempt's row lock by whoever refunds, so two refunds at once cannot both spend the same rest.
 */
export async function refundableFen(
  db: Tx,
  attempt: PaymentAttemptsTable,
  heldFen: number | null = null,
): Promise<number> {
  if (attempt.kind !== 'payment') return 0;
  const base = heldFen ?? (attempt.status === 'succeeded' ? Number(attempt.amount_fen) : 0);
  const refunds = await db
    .selectFrom('payment_attempts')
    .select(['amount_fen'])
    .where('refund_of', '=', attempt.id)
    .where('kind', '=', 'refund')
    .where('status', '!=', 'failed')
    .execute();
  return base - refunds.reduce((sum, r) => sum + Number(r.amount_fen), 0);
}

/** Attempts at a till that hold its terminal: one live request per terminal. */
export async function liveAttemptsAtTill(db: Tx, tillId: string): Promise<PaymentAttemptsTable[]> {
  return db
    .selectFrom('payment_attempts')
    .selectAll()
    .where('till_id', '=', tillId)
    .where('status', 'in', AT_THE_TERMINAL)
    .execute();
}

/** The scheduler's work: attempts not final whose time has come, oldest first, a bounded batch. */
export async function dueAttempts(
  db: Tx,
  nowIso: string,
  limit: number,
): Promise<{ id: string; tender: string }[]> {
  return db
    .selectFrom('payment_attempts')
    .select(['id', 'tender'])
    .where('status', 'in', ['created', 'in_flight', 'unknown', 'reversing'])
    .where('next_check_at', '<=', nowIso)
    .orderBy('next_check_at')
    .limit(limit)
    .execute();
}

export async function appendAttemptEvent(tx: Tx, row: Omit<PaymentAttemptEventsTable, 'seq'>): Promise<void> {
  const last = await tx
    .selectFrom('payment_attempt_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('attempt_id', '=', row.attempt_id)
    .executeTakeFirst();
  await tx
    .insertInto('payment_attempt_events')
    .values({ ...row, seq: Number(last?.seq ?? 0) + 1 })
    .execute();
}

export async function attemptHistory(db: Tx, attemptId: string): Promise<PaymentAttemptEventsTable[]> {
  return db
    .selectFrom('payment_attempt_events')
    .selectAll()
    .where('attempt_id', '=', attemptId)
    .orderBy('seq')
    .execute();
}

export type AttemptChanges = Partial<Omit<PaymentAttemptsTable, 'id' | 'version'>> & {
  status: AttemptStatus;
};

/** Writes an attempt's new state; the version check turns a lost update into an error, never silence. */
export async function updateAttempt(
  tx: Tx,
  before: PaymentAttemptsTable,
  changes: AttemptChanges,
): Promise<PaymentAttemptsTable> {
  const result = await tx
    .updateTable('payment_attempts')
    .set({ ...changes, version: before.version + 1 })
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1)
    throw new Error(`invariant: attempt ${before.id} changed under a locked update`);
  return { ...before, ...changes, version: before.version + 1 };
}

const TILL_CHARGES = prepared((db, p: { tillId: string }) =>
  db
    .selectFrom('payment_attempts')
    .select(['sale_id', 'id', 'status', 'tender'])
    .where('till_id', '=', p.tillId)
    .where('kind', '=', 'payment')
    .where('status', 'in', [...MAY_STILL_SUCCEED])
    .where('cashier_id', 'not like', `${CUSTOMER_ACTOR_PREFIX}%`)
    .orderBy('created_at', 'desc'),
);

/**
 * The charges at a till that may still take the money: what holds it (sales' till hold asks
 * through its port). A customer paying a slip from its page is not at the till and holds nothing.
 */
export async function chargesHoldingTill(tx: Tx, tillId: string): Promise<TillCharge[]> {
  const rows = await TILL_CHARGES.all(tx, { tillId });
  return rows.map((r) => ({ saleId: r.sale_id, attemptId: r.id, status: r.status, tender: r.tender }));
}

/**
 * Something outside says the attempt's money moved (a statement line): ask the provider at the
 * next tick rather than on its schedule. In the caller's transaction; a final attempt is left be.
 */
export async function askAboutSoon(tx: Tx, attemptId: string, at: string): Promise<void> {
  await tx
    .updateTable('payment_attempts')
    .set({ next_check_at: at })
    .where('id', '=', attemptId)
    .where('status', 'in', [...AWAITING_AN_ANSWER])
    .execute();
}

/**
 * May the sale still take this attempt's money? It waits for a charge, or is on account (a slip
 * was issued, perhaps while the attempt was still unknown), and the money fits what is still due.
 * The one rule: a "paid" that fails it goes to review; a reviewer may confirm only what passes it.
 */
export async function saleTakesMoneyOf(
  tx: Tx,
  attempt: Pick<PaymentAttemptsTable, 'sale_id' | 'amount_fen'>,
): Promise<boolean> {
  const sale = await saleHeader(tx, attempt.sale_id);
  if (sale?.status !== 'awaiting_payment' && sale?.status !== 'on_account') return false;
  return Number(attempt.amount_fen) <= sale.dueFen;
}

const STOREOFATTEMPT_Q = prepared((db, p: { key: string }) =>
  db.selectFrom('payment_attempts').select('store_id').where('id', '=', p.key),
);

/** The store of an attempt (the access guard asks, to scope a request); undefined when there is none. */
export async function storeOfAttempt(db: Tx, key: string): Promise<string | null | undefined> {
  const row = await STOREOFATTEMPT_Q.first(db, { key });
  return row?.store_id;
}

/** The states of these attempts, by id (an id no attempt has is left out). */
export async function attemptStatuses(db: Tx, ids: readonly string[]): Promise<Map<string, AttemptStatus>> {
  return new Map((await attemptsByIds(db, ids)).map((a) => [a.id, a.status]));
}

/** The attempts at a till, made before `before`, that may still take the money (the day close asks). */
export async function attemptsStillOpenAtTill(db: Tx, tillId: string, before: string) {
  const rows = await db
    .selectFrom('payment_attempts')
    .select(['id', 'tender', 'amount_fen', 'status', 'merchant_order_no', 'kind'])
    .where('till_id', '=', tillId)
    .where('status', 'in', [...MAY_STILL_SUCCEED])
    .where('created_at', '<', before)
    .orderBy('id')
    .execute();
  return rows.map((a) => ({
    id: a.id,
    tender: a.tender,
    kind: a.kind,
    amountFen: Number(a.amount_fen),
    status: a.status,
    merchantOrderNo: a.merchant_order_no,
  }));
}

/** These attempts, by id (an id no attempt has is left out). */
export async function attemptsByIds(db: Tx, ids: readonly string[]): Promise<PaymentAttemptsTable[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return db.selectFrom('payment_attempts').selectAll().where('id', 'in', unique).execute();
}

/**
 * The sales a card ending in these four digits paid at the store in [from, to) (the journal asks:
 * the customer shows the card, the receipt is lost). Only the masked number is kept, so only its
 * last digits can be matched.
 */
export async function salesPaidByCardEnding(
  db: Tx,
  q: { storeId: string; last4: string; from: string; to: string },
): Promise<string[]> {
  const rows = await db
    .selectFrom('payment_attempts')
    .select('sale_id')
    .distinct()
    .where('tender', '=', 'card')
    .where('created_at', '>=', q.from)
    .where('created_at', '<', q.to)
    .where('store_id', '=', q.storeId)
    .where('kind', '=', 'payment')
    .where('status', '=', 'succeeded')
    .where('masked_pan', 'like', `%${q.last4}`)
    .execute();
  return rows.map((r) => r.sale_id);
}

/** The refunds asked of a payment so far (any not failed): how many, and when the latest was asked. */
export async function refundHistoryOf(
  db: Tx,
  attemptId: string,
): Promise<{ count: number; lastAt: string | null }> {
  const rows = await db
    .selectFrom('payment_attempts')
    .select(['created_at'])
    .where('refund_of', '=', attemptId)
    .where('kind', '=', 'refund')
    .where('status', '!=', 'failed')
    .orderBy('created_at', 'desc')
    .execute();
  return { count: rows.length, lastAt: rows[0]?.created_at ?? null };
}
