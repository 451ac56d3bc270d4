/**
 * What the store tells a customer, and how hard it tries, pure: the messages in both
 * languages (a customer's language is not known, so Chinese first, then English), the retry
 * schedule of the outbox, and which channel carries a message. No I/O.
 */
import { displayYuan, type Lifecycle } from '../kernel';
import { NOTIFICATION_STATUSES, type NotificationStatus } from '../shared';

export const NOTIFICATION_KINDS = ['slip_issued', 'payment_reminder', 'slip_settled'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The built-in channel writes to the case timeline (the manager reads it and calls); others plug in. */
export type ChannelName = 'timeline' | 'smtp';

/**
 * Where the public address goes in a stored message: filled in when it is sent, so a message
 * written before the store's address changed still links to the right place.
 */
export const PUBLIC_URL = '{{publicUrl}}';

export interface MessageFacts {
  storeName: string;
  customerName: string;
  slipNumber: string;
  dueFen: number;
  /** The store's own date the follow-up is due, yyyy-mm-dd. */
  dueDate: string;
  /** The slip's pay-later secret: the link is `{publicUrl}/pay/{token}`. */
  payToken: string;
}

export interface Message {
  subject: string;
  body: string;
}

/** One message per kind, both languages in each (zh-CN, then en). */
export function composeMessage(kind: NotificationKind, f: MessageFacts): Message {
  const amount = displayYuan(f.dueFen);
  const link = `${PUBLIC_URL}/pay/${f.payToken}`;
  switch (kind) {
    case 'slip_issued':
      return {
        subject: `${f.storeName} 小单 ${f.slipNumber}：待付 ${amount} / Provisional slip ${f.slipNumber}: ${amount} due`,
        body: [
          `${f.customerName}，您好：`,
          `您在${f.storeName}的消费尚有 ${amount} 未付（小单 ${f.slipNumber}）。可到任一收银台出示小单付款，或在线支付：`,
          link,
          `门店将于 ${f.dueDate} 与您联系。`,
          '',
          `Dear ${f.customerName},`,
          `${amount} is still due on your purchase at ${f.storeName} (provisional slip ${f.slipNumber}). Pay at any till with the slip, or online:`,
          link,
          `The store will be in touch on ${f.dueDate}.`,
        ].join('\n'),
      };
    case 'payment_reminder':
      return {
        subject: `提醒：小单 ${f.slipNumber} 待付 ${amount} / Reminder: ${amount} due on slip ${f.slipNumber}`,
        body: [
          `${f.customerName}，您好：`,
          `温馨提醒，小单 ${f.slipNumber} 尚有 ${amount} 未付。在线支付：`,
          link,
          '如您已经付款，请回复此邮件或致电门店，我们会与银行对账确认。',
          '',
          `Dear ${f.customerName},`,
          `A reminder that ${amount} is still due on slip ${f.slipNumber}. Pay online:`,
          link,
          'If you have already paid, reply or call the store: we will check it against the bank statement.',
        ].join('\n'),
      };
    case 'slip_settled':
      return {
        subject: `小单 ${f.slipNumber} 已付清 / Slip ${f.slipNumber} settled`,
        body: [
          `${f.customerName}，您好：小单 ${f.slipNumber} 已付清，谢谢！`,
          '',
          `Dear ${f.customerName}, slip ${f.slipNumber} is settled. Thank you!`,
        ].join('\n'),
      };
  }
}

/** Tries before a message is given up (then the case timeline says it could not be sent). */
export const MAX_TRIES = 6;
/** Waits after the 1st, 2nd, … failed try. */
export const RETRY_DELAYS_MS = [30_000, 2 * 60_000, 10 * 60_000, 60 * 60_000, 6 * 60 * 60_000] as const;
/** A claimed message not answered within this is taken to have died with its sender: tried again. */
export const CLAIM_LEASE_MS = 2 * 60_000;

export type AfterFailure = { next: 'retry'; at: number } | { next: 'give_up' };

/**
 * After a failed try (`tries` counts it): try again after the scheduled wait, or give up — at once
 * when the channel says the failure is permanent (the address does not exist).
 */
export function afterFailure(tries: number, now: number, permanent: boolean): AfterFailure {
  if (permanent || tries >= MAX_TRIES) return { next: 'give_up' };
  const wait = RETRY_DELAYS_MS[Math.min(tries, RETRY_DELAYS_MS.length) - 1] ?? RETRY_DELAYS_MS[0];
  return { next: 'retry', at: now + wait };
}

/** An e-mail goes by e-mail when that channel is set up; everything else lands on the timeline. */
export function channelFor(recipient: string, available: ReadonlySet<ChannelName>): ChannelName {
  return recipient.includes('@') && available.has('smtp') ? 'smtp' : 'timeline';
}

/** A message in the outbox: sent, tried again later, or given up on after its last try. */
export const NOTIFICATION_EVENTS = ['delivered', 'retry', 'give_up'] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
export const NOTIFICATION_LIFECYCLE: Lifecycle<NotificationStatus, NotificationEvent> = {
  name: 'notification',
  states: NOTIFICATION_STATUSES,
  events: NOTIFICATION_EVENTS,
  initial: 'pending',
  ends: ['sent', 'failed'],
  transitions: { pending: { delivered: 'sent', retry: 'pending', give_up: 'failed' }, sent: {}, failed: {} },
};
