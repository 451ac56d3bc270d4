/**
 * A payment attempt's life, as data (decision 14; Vendure's declared tables). One attempt is one
 * request to one provider under its own merchant order number. Pure: the orchestrator turns what
 * the provider said (or did not say) into an event, and this decides what it means.
 *
 *   created ──sent──▶ in_flight ──paid──▶ succeeded
 *      │                 │ ├──declined──▶ failed
 *   not_sent             │ └──lost──▶ unknown ──paid / declined / not_found──▶ succeeded | failed
 *      ▼                 │               │ └──pending──▶ unknown (ask again later)
 *    failed              └──deadline─────┴──deadline──▶ reversing ──reversal_acked──▶ reversed
 *                                                          └──review──▶ needs_review
 *   needs_review ──reviewed_paid / reviewed_not_paid──▶ succeeded | failed (a manager, with approval)
 *   in_flight | unknown ──review──▶ needs_review (a refund the provider refused: the money is still owed)
 */
import { type Lifecycle, type TransitionResult, transitionIn } from '../kernel';
import { ATTEMPT_STATUSES, type AttemptKind, type AttemptStatus } from '../shared';

export { ATTEMPT_STATUSES, type AttemptStatus };

export const ATTEMPT_EVENTS = [
  /** Recorded right before the request leaves: from here on, money may move. */
  'sent',
  /** Nothing was sent (the terminal was offline at the health check): nothing can have moved. */
  'not_sent',
  /** The provider says the money moved (an answer, a query, or an "already paid" to a re-send). */
  'paid',
  /** A definitive refusal (a decline code); no money moved. */
  'declined',
  /** A query says the provider never processed it: a new attempt is safe. */
  'not_found',
  /** No usable answer: timeout, dropped connection, 5xx, unparseable, or a code meaning "unknown". */
  'lost',
  /** A query says it is still in progress (the customer is still confirming, the issuer is slow). */
  'pending',
  /** The schedule ran out without a final answer: undo it. */
  'deadline',
  /** The provider acknowledged the reversal / cancel: nothing stays charged. */
  'reversal_acked',
  /**
   * A person must settle it: the reversal cannot (refused, or the trade turned out paid and cannot
   * be undone), a refund stayed unknown after all its queries, or the provider refused a refund.
   */
  'review',
  /** A manager, with evidence and approval, settles an attempt under review. */
  'reviewed_paid',
  'reviewed_not_paid',
] as const;
export type AttemptEvent = (typeof ATTEMPT_EVENTS)[number];

export const ATTEMPT_TRANSITIONS: Readonly<
  Record<AttemptStatus, Partial<Record<AttemptEvent, AttemptStatus>>>
> = {
  // `pending` at `created`: a refund waits for its terminal to come back (money is owed; it is not dropped).
  created: { sent: 'in_flight', not_sent: 'failed', pending: 'created' },
  in_flight: {
    paid: 'succeeded',
    declined: 'failed',
    not_found: 'failed',
    lost: 'unknown',
    deadline: 'reversing',
    // A refund the provider refused outright.
    review: 'needs_review',
  },
  // `review`: a refund still unknown after all its queries (a refund is never reversed).
  unknown: {
    paid: 'succeeded',
    declined: 'failed',
    not_found: 'failed',
    pending: 'unknown',
    deadline: 'reversing',
    review: 'needs_review',
  },
  reversing: { reversal_acked: 'reversed', pending: 'reversing', review: 'needs_review' },
  needs_review: { reviewed_paid: 'succeeded', reviewed_not_paid: 'failed' },
  succeeded: {},
  failed: {},
  reversed: {},
};

export const ATTEMPT_LIFECYCLE: Lifecycle<AttemptStatus, AttemptEvent> = {
  name: 'payment attempt',
  states: ATTEMPT_STATUSES,
  events: ATTEMPT_EVENTS,
  initial: 'created',
  ends: ['succeeded', 'failed', 'reversed'],
  transitions: ATTEMPT_TRANSITIONS,
};

/** A refund's states: never reversed, so never reversing; what it cannot settle goes to review. */
export const REFUND_STATUSES = [
  'created',
  'in_flight',
  'succeeded',
  'failed',
  'unknown',
  'needs_review',
] as const satisfies readonly AttemptStatus[];
export type RefundStatus = (typeof REFUND_STATUSES)[number];
export const REFUND_EVENTS = [
  'sent',
  'not_sent',
  'paid',
  'declined',
  'not_found',
  'lost',
  'pending',
  'review',
  'reviewed_paid',
  'reviewed_not_paid',
] as const satisfies readonly AttemptEvent[];
export type RefundEvent = (typeof REFUND_EVENTS)[number];

/**
 * A refund attempt's life: the attempt's, without the deadline and the reversal (money given back
 * is asked about until it is final; a refund the provider refused, or one still unknown after all
 * its queries, waits on the review desk — the money is still owed).
 */
export const REFUND_LIFECYCLE: Lifecycle<RefundStatus, RefundEvent> = {
  name: 'refund',
  states: REFUND_STATUSES,
  events: REFUND_EVENTS,
  initial: 'created',
  ends: ['succeeded', 'failed'],
  transitions: {
    created: { sent: 'in_flight', not_sent: 'failed', pending: 'created' },
    in_flight: {
      paid: 'succeeded',
      declined: 'failed',
      not_found: 'failed',
      lost: 'unknown',
      review: 'needs_review',
    },
    unknown: {
      paid: 'succeeded',
      declined: 'failed',
      not_found: 'failed',
      pending: 'unknown',
      review: 'needs_review',
    },
    needs_review: { reviewed_paid: 'succeeded', reviewed_not_paid: 'failed' },
    succeeded: {},
    failed: {},
  },
};

/** The next state of an attempt of `kind` (a payment by default) for `event`, by its own lifecycle. */
export function transitionAttempt(
  from: AttemptStatus,
  event: AttemptEvent,
  kind: AttemptKind = 'payment',
): TransitionResult<AttemptStatus> {
  if (kind === 'payment') return transitionIn(ATTEMPT_TRANSITIONS, from, event);
  const table: Partial<Record<AttemptStatus, Partial<Record<AttemptEvent, AttemptStatus>>>> =
    REFUND_LIFECYCLE.transitions;
  const to = table[from]?.[event];
  return to ? { ok: true, to } : { ok: false, from, event };
}

/**
 * States in which the money may still move (or may have moved without our knowing it). The
 * sale-level rule: while an attempt is in one of these, its sale waits — no new charge, no other
 * tender (src/payments/service.ts); only a manager's approval (`second_charge_override`) lifts it.
 */
export const MAY_STILL_SUCCEED: ReadonlySet<AttemptStatus> = new Set([
  'created',
  'in_flight',
  'unknown',
  'reversing',
  'needs_review',
]);

/**
 * Saved or sent, no answer yet: the request holds its terminal (one at a time), and the card may be
 * at the reader this moment — its answer is seconds away.
 */
export const AT_THE_TERMINAL: readonly AttemptStatus[] = ['created', 'in_flight'];

/** The provider is still being asked about it (not yet a person's to settle, not final). */
export const AT_THE_PROVIDER: ReadonlySet<AttemptStatus> = new Set([
  'created',
  'in_flight',
  'unknown',
  'reversing',
]);

/** No final answer yet and not being reversed: its next question can be brought forward. */
export const AWAITING_AN_ANSWER: readonly AttemptStatus[] = ['created', 'in_flight', 'unknown'];

export const FINAL_STATUSES: ReadonlySet<AttemptStatus> = new Set(['succeeded', 'failed', 'reversed']);

/**
 * What an answer means for an attempt in a given state. Answers arrive late, twice and out of
 * order; they are hints, never commands:
 * - `move`: the table allows it — record the new state.
 * - `repeat`: the same news again (a duplicate answer) — nothing to do.
 * - `conflict`: money is said to have moved on an attempt we had closed without it (declined or
 *   reversed, then "paid"), or never sent — a person must look: the customer may be charged
 *   twice, and an answer we cannot place never becomes a paid sale by itself.
 * A "paid" while reversing is ignored here because the reversal in progress undoes it (a cancel of
 * a paid trade refunds it); under review, the reviewer sees it in the attempt's history.
 * - `ignore`: it would move the attempt backwards (paid → in progress) — log it, change nothing.
 */
export type AnswerMeaning =
  | { kind: 'move'; to: AttemptStatus }
  | { kind: 'repeat' }
  | { kind: 'conflict'; to: 'needs_review' }
  | { kind: 'ignore' };

const PAID_CONTRADICTS: ReadonlySet<AttemptStatus> = new Set(['created', 'failed', 'reversed']);

/** The events that lead into each state: hearing one of them again in that state is a repeat. */
const ARRIVED_BY: Readonly<Record<AttemptStatus, readonly AttemptEvent[]>> = {
  created: [],
  in_flight: ['sent'],
  succeeded: ['paid', 'reviewed_paid'],
  failed: ['declined', 'not_found', 'not_sent', 'reviewed_not_paid'],
  unknown: ['lost', 'pending'],
  reversing: ['deadline', 'pending'],
  reversed: ['reversal_acked', 'not_found', 'declined'],
  needs_review: ['review'],
};

export function interpretAnswer(
  status: AttemptStatus,
  event: AttemptEvent,
  kind: AttemptKind = 'payment',
): AnswerMeaning {
  const moved = transitionAttempt(status, event, kind);
  if (moved.ok && moved.to !== status) return { kind: 'move', to: moved.to };
  if (moved.ok || ARRIVED_BY[status].includes(event)) return { kind: 'repeat' };
  if (event === 'paid' && PAID_CONTRADICTS.has(status)) return { kind: 'conflict', to: 'needs_review' };
  return { kind: 'ignore' };
}

/**
 * What a provider's unasked word claims about an attempt: an asynchronous notification, a late or
 * repeated copy of an answer. `pending`: still in progress, or nothing we can read as final.
 */
export type HintClaim = 'paid' | 'failed' | 'pending';

/**
 * What a hint makes us do. A hint is a doorbell, not a letter: it never moves an attempt by itself
 * (anyone on the LAN could send one, and a copy may be stale), it only makes us ask the provider,
 * whose answer then goes through `interpretAnswer` like any other.
 * - `ask`: not final yet — ask now instead of at the next scheduled check (or join the live request).
 * - `verify`: it says money moved on an attempt we closed without it — ask, to be sure; a "paid"
 *   from the provider itself then sends the attempt to review.
 * - `repeat`: the same news again — logged, nothing to do.
 * - `ignore`: it would move the attempt backwards (paid → in progress or failed) — logged, nothing done.
 * - `note`: a person is looking (review) — kept in the history for them.
 */
export type HintMeaning = 'ask' | 'verify' | 'repeat' | 'ignore' | 'note';

export const HINT_MEANINGS: Readonly<Record<AttemptStatus, Readonly<Record<HintClaim, HintMeaning>>>> = {
  created: { paid: 'verify', failed: 'ignore', pending: 'ignore' },
  in_flight: { paid: 'ask', failed: 'ask', pending: 'ask' },
  unknown: { paid: 'ask', failed: 'ask', pending: 'ask' },
  reversing: { paid: 'ask', failed: 'ask', pending: 'ask' },
  succeeded: { paid: 'repeat', failed: 'ignore', pending: 'ignore' },
  failed: { paid: 'verify', failed: 'repeat', pending: 'ignore' },
  reversed: { paid: 'verify', failed: 'repeat', pending: 'ignore' },
  needs_review: { paid: 'note', failed: 'note', pending: 'note' },
};

export function hintMeaning(status: AttemptStatus, claim: HintClaim): HintMeaning {
  return HINT_MEANINGS[status][claim];
}
