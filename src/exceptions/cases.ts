/** Follow-up cases: their declared moves, their timeline, and what a manager records on it. */
import { appendAudit } from '../audit';
import { type Ctx, inTx } from '../context';
import { type FollowUpCasesTable, prepared, type SlipsTable, type Tx, transaction } from '../db';
import { Refusal } from '../kernel';
import { type NotificationView, notificationsOfCase } from '../notify';
import { confirmationViewOf, type ManualConfirmationView } from './manual-confirmation';
import { type CaseEvent, type CaseStatus, FINAL_CASE_STATUSES, transitionCase } from './model';
import { type SlipView, slipViewOf } from './slips';

/**
 * Moves a case by an event (or the event its current status calls for), with its timeline line;
 * refuses a move its table does not allow.
 */
export async function moveCase(
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
  const from = kase.status;
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
  from: CaseStatus;
  to: CaseStatus;
  actorId: string;
  note: string | null;
}

export async function appendCaseEvent(
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
export async function caseById(db: Tx, caseId: string): Promise<FollowUpCasesTable> {
  const kase = await db.selectFrom('follow_up_cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  if (!kase) throw new Refusal('case_unknown');
  return kase;
}

/** A case and the slip it follows up (every case has one). */
export async function caseWithSlip(
  db: Tx,
  caseId: string,
): Promise<{ kase: FollowUpCasesTable; slip: SlipsTable }> {
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
    status: kase.status,
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

const STOREOFCASE_Q = prepared((db, p: { key: string }) =>
  db.selectFrom('follow_up_cases').select('store_id').where('id', '=', p.key),
);

/** The store of a follow-up case (the access guard asks, to scope a request); undefined when there is none. */
export async function storeOfCase(db: Tx, key: string): Promise<string | null | undefined> {
  const row = await STOREOFCASE_Q.first(db, { key });
  return row?.store_id;
}
