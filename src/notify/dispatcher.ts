/**
 * Sends what the outbox holds: claims due messages (a lease, so two senders never send one
 * message at once and a sender that dies leaves it to be tried again), sends each through its
 * channel outside any transaction, then records the outcome — sent, tried again later, or given
 * up — and tells the hooks (the exception desk writes it on the case timeline) in that same
 * transaction. At least once: a message carries its own id, so a receiver can spot a repeat.
 */
import type { Ctx } from '../context';
import { type NotificationsTable, type Tx, transaction } from '../db';
import { moveIn } from '../kernel';
import {
  afterFailure,
  type ChannelName,
  CLAIM_LEASE_MS,
  channelFor,
  NOTIFICATION_LIFECYCLE,
  PUBLIC_URL,
} from './model';

export interface OutgoingMessage {
  id: string;
  to: string;
  subject: string;
  body: string;
}

/** A channel's refusal; `permanent` when trying again cannot help (no such mailbox). */
export class ChannelFailure extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface NotificationChannel {
  readonly name: ChannelName;
  send(message: OutgoingMessage): Promise<void>;
  close?(): Promise<void>;
}

/** The built-in channel: nothing leaves the store; the case timeline shows the message to the manager. */
export const timelineChannel: NotificationChannel = { name: 'timeline', send: async () => undefined };

export type DeliveryOutcome =
  | { sent: true; channel: ChannelName }
  | { sent: false; channel: ChannelName; error: string; final: boolean };

export type DeliveryHook = (
  tx: Tx,
  ctx: Ctx,
  row: NotificationsTable,
  outcome: DeliveryOutcome,
) => Promise<void>;

const deliveryHooks = new Set<DeliveryHook>();
export function onNotificationSettled(hook: DeliveryHook): void {
  deliveryHooks.add(hook);
}

export interface DrainResult {
  sent: number;
  retried: number;
  failed: number;
}

export class NotificationDispatcher {
  private readonly channels = new Map<ChannelName, NotificationChannel>();
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<DrainResult> | null = null;

  constructor(
    private readonly ctx: Ctx,
    channels: readonly NotificationChannel[],
    private readonly publicUrl: () => string,
  ) {
    this.channels.set('timeline', timelineChannel);
    for (const c of channels) this.channels.set(c.name, c);
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      void this.drain().catch((error: unknown) => console.error(`notifications: ${String(error)}`));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.draining?.catch(() => undefined);
    for (const c of this.channels.values()) await c.close?.();
  }

  /** One pass: everything due now, at most `limit` messages. One pass at a time per dispatcher. */
  drain(limit = 20): Promise<DrainResult> {
    if (!this.draining)
      this.draining = this.pass(limit).finally(() => {
        this.draining = null;
      });
    return this.draining;
  }

  private async pass(limit: number): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, retried: 0, failed: 0 };
    for (const row of await this.claim(limit)) {
      const channel = channelFor(row.recipient, new Set(this.channels.keys()));
      const base = this.publicUrl().replace(/\/$/, '');
      try {
        await this.channels.get(channel)!.send({
          id: row.id,
          to: row.recipient,
          subject: row.subject,
          body: row.body.replaceAll(PUBLIC_URL, base),
        });
        await this.settle(row, { sent: true, channel });
        result.sent++;
      } catch (error: unknown) {
        const permanent = error instanceof ChannelFailure && error.permanent;
        const message = error instanceof Error ? error.message : String(error);
        const next = afterFailure(row.tries + 1, this.ctx.clock.now().getTime(), permanent);
        await this.settle(
          row,
          { sent: false, channel, error: message.slice(0, 300), final: next.next === 'give_up' },
          next,
        );
        if (next.next === 'give_up') result.failed++;
        else result.retried++;
      }
    }
    return result;
  }

  /** Takes the due messages for this pass: a lease each, won only by the sender that moved its version. */
  private async claim(limit: number): Promise<NotificationsTable[]> {
    const db = this.ctx.db.kysely;
    const now = this.ctx.clock.now();
    const due = await db
      .selectFrom('notifications')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_try_at', '<=', now.toISOString())
      .orderBy('next_try_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    const claimed: NotificationsTable[] = [];
    for (const row of due) {
      const lease = new Date(now.getTime() + CLAIM_LEASE_MS).toISOString();
      const won = await db
        .updateTable('notifications')
        .set({ version: row.version + 1, next_try_at: lease })
        .where('id', '=', row.id)
        .where('version', '=', row.version)
        .executeTakeFirst();
      if (Number(won.numUpdatedRows) === 1)
        claimed.push({ ...row, version: row.version + 1, next_try_at: lease });
    }
    return claimed;
  }

  private async settle(
    row: NotificationsTable,
    outcome: DeliveryOutcome,
    next?: { next: 'retry'; at: number } | { next: 'give_up' },
  ): Promise<void> {
    const at = this.ctx.clock.now().toISOString();
    await transaction(this.ctx.db, 'full', async (tx) => {
      const event = outcome.sent ? 'delivered' : next?.next === 'retry' ? 'retry' : 'give_up';
      const moved = moveIn(NOTIFICATION_LIFECYCLE, row.status, event);
      if (!moved.ok) throw new Error(`invariant: notification ${row.id} is ${row.status}, cannot ${event}`);
      const status = moved.to;
      const fields = outcome.sent
        ? { status, sent_at: at, last_error: null }
        : next?.next === 'retry'
          ? { status, next_try_at: new Date(next.at).toISOString(), last_error: outcome.error }
          : { status, last_error: outcome.error };
      const written = await tx
        .updateTable('notifications')
        .set({ ...fields, channel: outcome.channel, tries: row.tries + 1, version: row.version + 1 })
        .where('id', '=', row.id)
        .where('version', '=', row.version)
        .executeTakeFirst();
      // Our lease ran out and another sender took it over: its outcome is the one that counts.
      if (Number(written.numUpdatedRows) !== 1) return;
      for (const hook of deliveryHooks)
        await hook(tx, this.ctx, { ...row, ...fields, tries: row.tries + 1 }, outcome);
    });
  }
}
