/** What the customer is told (the slip, a reminder, "settled"), through the notifier's outbox. */
import { appendAudit } from '../audit';
import type { Ctx } from '../context';
import {
  type FollowUpCasesTable,
  type NotificationsTable,
  type SlipsTable,
  type Tx,
  transaction,
} from '../db';
import { localDate, Refusal } from '../kernel';
import { composeMessage, type DeliveryOutcome, enqueueNotification, type NotificationKind } from '../notify';
import { saleHeader } from '../sales';
import { requireStore } from '../stores';
import { appendCaseEvent, type CaseView, caseDetail, caseWithSlip } from './cases';
import { maskEmail } from './model';

// ---------------------------------------------------------------- telling the customer

/**
 * A message to the slip's customer, into the outbox in the caller's transaction: by e-mail when
 * they gave an address and the store has e-mail set up, else onto the case timeline.
 */
export async function notifyCustomer(
  tx: Tx,
  ctx: Ctx,
  slip: SlipsTable,
  kase: FollowUpCasesTable,
  kind: NotificationKind,
): Promise<void> {
  const store = await requireStore(tx, slip.store_id);
  const sale = await saleHeader(tx, slip.sale_id);
  if (!sale) throw new Error(`invariant: slip ${slip.number} without its sale`);
  const message = composeMessage(kind, {
    storeName: store.nameZh,
    customerName: slip.customer_name,
    slipNumber: slip.number,
    dueFen: Math.max(0, sale.dueFen),
    dueDate: localDate(new Date(kase.due_at), store.timeZone),
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
