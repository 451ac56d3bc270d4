/**
 * The exception desk's rules, pure (decision 17, docs/decisions/0017-parked-sales-and-slips.md): a checkout that cannot finish now gets a
 * provisional slip (小单) with a follow-up case for the next business day (a parked sale, 挂单, is
 * the sale's own state: src/sales/model.ts). The case as a declared table (validated at start-up,
 * every pair tested), when it is due, how the queue is ordered, what a customer's phone number may
 * look like. No I/O.
 */
import {
  DEFAULT_HOURS,
  type Lifecycle,
  localMidnight,
  nextMorning,
  type StoreHours,
  type TransitionResult,
  transitionIn,
} from '../kernel';
import {
  CASE_STATUSES,
  type CaseStatus,
  CONFIRMATION_STATUSES,
  type ConfirmationStatus,
  SLIP_STATUSES,
  type SlipStatus,
} from '../shared';

export { CASE_STATUSES, type CaseStatus };

// ---------------------------------------------------------------- follow-up case

/**
 *   open ──contacted──▶ contacted ──contacted──▶ contacted
 *     │ └──────────────────┬───────────────────────┐
 *     ├─paid──▶ settled ◀──┤                       │
 *     ├─cancel (goods held, restocked; manager)──▶ cancelled
 *     ├─write_off (goods taken; manager)─────────▶ written_off
 *     └─manual_confirmation (proof; manager)─────▶ awaiting_statement ──statement_confirms──▶ settled
 *                                                         └──statement_disagrees──▶ open
 * `noted` keeps a line in the timeline without moving the case.
 */

export const CASE_EVENTS = [
  'contacted',
  'noted',
  'paid',
  'cancel',
  'write_off',
  'manual_confirmation',
  'statement_confirms',
  'statement_disagrees',
] as const;
export type CaseEvent = (typeof CASE_EVENTS)[number];

export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, Partial<Record<CaseEvent, CaseStatus>>>> = {
  open: {
    contacted: 'contacted',
    noted: 'open',
    paid: 'settled',
    cancel: 'cancelled',
    write_off: 'written_off',
    manual_confirmation: 'awaiting_statement',
  },
  contacted: {
    contacted: 'contacted',
    noted: 'contacted',
    paid: 'settled',
    cancel: 'cancelled',
    write_off: 'written_off',
    manual_confirmation: 'awaiting_statement',
  },
  // Proof was shown; the statement decides. Meanwhile nothing else settles it (no double money).
  awaiting_statement: {
    noted: 'awaiting_statement',
    statement_confirms: 'settled',
    statement_disagrees: 'open',
  },
  settled: {},
  cancelled: {},
  written_off: {},
};

export const FINAL_CASE_STATUSES: ReadonlySet<CaseStatus> = new Set(['settled', 'cancelled', 'written_off']);

export function transitionCase(from: CaseStatus, event: CaseEvent): TransitionResult<CaseStatus> {
  return transitionIn(CASE_TRANSITIONS, from, event);
}

import type { GoodsDisposition } from '../shared';

export type { GoodsDisposition };

/**
 * Which way out fits the goods: a cancel puts held goods back on sale; a write-off accepts the
 * loss of goods the customer took. Either needs a manager (the approval guard names the action).
 */
export function closingFits(event: 'cancel' | 'write_off', goods: GoodsDisposition): boolean {
  return event === 'cancel' ? goods === 'held' : goods === 'taken';
}

// ---------------------------------------------------------------- business days

/**
 * When a follow-up case is due: the next business morning at opening, so the manager finds it
 * first thing. Always strictly after `issuedAt`.
 */
export function followUpDueAt(issuedAt: number, hours: StoreHours = DEFAULT_HOURS): number {
  return nextMorning(issuedAt, hours);
}

// ---------------------------------------------------------------- the queue

export interface QueueEntry {
  id: string;
  status: CaseStatus;
  dueAt: number;
  openedAt: number;
}

export type Urgency = 'overdue' | 'due_today' | 'later';

export function urgencyOf(
  entry: Pick<QueueEntry, 'dueAt'>,
  now: number,
  hours: StoreHours = DEFAULT_HOURS,
): Urgency {
  if (entry.dueAt < now) return 'overdue';
  return localMidnight(entry.dueAt, hours) === localMidnight(now, hours) ? 'due_today' : 'later';
}

const URGENCY_RANK: Record<Urgency, number> = { overdue: 0, due_today: 1, later: 2 };

/**
 * The manager's queue: cases still open, overdue first, then due today, then later; within each,
 * the earliest due first, then the oldest.
 */
export function orderQueue<T extends QueueEntry>(
  entries: readonly T[],
  now: number,
  hours: StoreHours = DEFAULT_HOURS,
): T[] {
  return entries
    .filter((e) => !FINAL_CASE_STATUSES.has(e.status))
    .sort(
      (a, b) =>
        URGENCY_RANK[urgencyOf(a, now, hours)] - URGENCY_RANK[urgencyOf(b, now, hours)] ||
        a.dueAt - b.dueAt ||
        a.openedAt - b.openedAt ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

// ---------------------------------------------------------------- the customer

/** An e-mail address as staff see it: the first letter of the mailbox and the domain. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

export const CASE_LIFECYCLE: Lifecycle<CaseStatus, CaseEvent> = {
  name: 'follow-up case',
  states: CASE_STATUSES,
  events: CASE_EVENTS,
  initial: 'open',
  ends: ['settled', 'cancelled', 'written_off'],
  transitions: CASE_TRANSITIONS,
};

/**
 * A provisional slip's life: issued with the sale put on account; settled when the sale completes;
 * or closed by a manager — cancelled (held goods back on sale) or written off (goods taken, lost).
 */
export const SLIP_EVENTS = ['settle', 'cancel', 'write_off'] as const;
export type SlipEvent = (typeof SLIP_EVENTS)[number];
export const SLIP_LIFECYCLE: Lifecycle<SlipStatus, SlipEvent> = {
  name: 'slip',
  states: SLIP_STATUSES,
  events: SLIP_EVENTS,
  initial: 'issued',
  ends: ['settled', 'cancelled', 'written_off'],
  transitions: {
    issued: { settle: 'settled', cancel: 'cancelled', write_off: 'written_off' },
    settled: {},
    cancelled: {},
    written_off: {},
  },
};

/** A customer's proof of payment waits for the statement, which confirms it or disagrees. */
export const CONFIRMATION_EVENTS = ['statement_confirms', 'statement_disagrees'] as const;
export type ConfirmationEvent = (typeof CONFIRMATION_EVENTS)[number];
export const CONFIRMATION_LIFECYCLE: Lifecycle<ConfirmationStatus, ConfirmationEvent> = {
  name: 'manual confirmation',
  states: CONFIRMATION_STATUSES,
  events: CONFIRMATION_EVENTS,
  initial: 'awaiting_statement',
  ends: ['confirmed', 'disagreed'],
  transitions: {
    awaiting_statement: { statement_confirms: 'confirmed', statement_disagrees: 'disagreed' },
    confirmed: {},
    disagreed: {},
  },
};
