/**
 * The outbox: a message is written in the same transaction that decided to send it (so a slip
 * that rolls back tells no one, and one that commits always does), and sent after, by the
 * dispatcher. Storage only.
 */
import type { Ctx } from '../context';
import type { NotificationsTable, Tx } from '../db';
import type { Message, NotificationKind } from './model';

export interface NotificationDraft extends Message {
  storeId: string;
  caseId: string | null;
  kind: NotificationKind;
  /** An e-mail address, or '' when there is none (the timeline carries it). */
  recipient: string;
}

export async function enqueueNotification(tx: Tx, ctx: Ctx, draft: NotificationDraft): Promise<string> {
  const at = ctx.clock.now().toISOString();
  const id = ctx.ids.next('ntf');
  await tx
    .insertInto('notifications')
    .values({
      id,
      store_id: draft.storeId,
      case_id: draft.caseId,
      kind: draft.kind,
      channel: 'pending', // decided when it is sent, by what is set up then
      recipient: draft.recipient,
      subject: draft.subject,
      body: draft.body,
      status: 'pending',
      tries: 0,
      next_try_at: at,
      last_error: null,
      created_at: at,
      sent_at: null,
      version: 1,
    })
    .execute();
  return id;
}

export interface NotificationView {
  id: string;
  kind: string;
  channel: string;
  status: string;
  tries: number;
  subject: string;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
}

export const notificationViewOf = (r: NotificationsTable): NotificationView => ({
  id: r.id,
  kind: r.kind,
  channel: r.channel,
  status: r.status,
  tries: r.tries,
  subject: r.subject,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  lastError: r.last_error,
});

export async function notificationsOfCase(db: Tx, caseId: string): Promise<NotificationView[]> {
  const rows = await db
    .selectFrom('notifications')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(notificationViewOf);
}
