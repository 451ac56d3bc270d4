/**
 * When to ask again, and when to give up and undo, per tender. Pure. The card terminal answers a
 * status request at once, so it is asked soon and often; its host reverses a sale it did not
 * confirm by itself, so our deadline only has to outlast the customer at the PIN pad.
 */
import type { AttemptStatus } from './attempt-model';
import type { Tender } from './provider';

export interface Schedule {
  /** From the first unknown answer to the first query. */
  firstQueryMs: number;
  /** Between queries, and between reversal tries. */
  queryEveryMs: number;
  /** From sending to the reversal of an attempt still not final. */
  deadlineMs: number;
  /** A payment's answer is awaited this long before it counts as lost. */
  answerTimeoutMs: number;
  /** Reversal tries before a person must look (the reversal keeps its state; nothing is dropped). */
  maxReversalTries: number;
  /** Never reverse sooner than this after sending (WeChat Pay: 15 s), even when the cashier cancels. */
  minReverseMs: number;
}

export const SCHEDULES: Readonly<Record<Tender, Schedule>> = {
  card: {
    firstQueryMs: 1_000,
    queryEveryMs: 3_000,
    deadlineMs: 90_000,
    answerTimeoutMs: 60_000,
    maxReversalTries: 20,
    minReverseMs: 0,
  },
  // Cash has no network; the values are never used but keep the table total.
  cash: {
    firstQueryMs: 0,
    queryEveryMs: 1_000,
    deadlineMs: 1_000,
    answerTimeoutMs: 1_000,
    maxReversalTries: 1,
    minReverseMs: 0,
  },
  // docs/providers.md, "Schedules": query every 3–6 s for about 60 s in all, then cancel at once.
  alipay: {
    firstQueryMs: 3_000,
    queryEveryMs: 4_000,
    deadlineMs: 60_000,
    answerTimeoutMs: 15_000,
    maxReversalTries: 20,
    minReverseMs: 0,
  },
  // docs/providers.md, "Schedules": USERPAYING — wait 5 s, query; every 5 s; reverse after 30 s in all, never before 15 s.
  wechat: {
    firstQueryMs: 5_000,
    queryEveryMs: 5_000,
    deadlineMs: 30_000,
    answerTimeoutMs: 15_000,
    maxReversalTries: 20,
    minReverseMs: 15_000,
  },
};

/** When the scheduler should look at an attempt next, after it entered `status` at `now`. */
export function nextCheckAt(
  schedule: Schedule,
  status: AttemptStatus,
  now: number,
  sentAt: number | null,
  firstTime: boolean,
): number | null {
  switch (status) {
    case 'created':
      return now; // drive it now (after a restart: nothing was sent; it is closed as not sent)
    case 'in_flight':
      // If this process dies while waiting, a restarted one treats it as lost after the timeout.
      return (sentAt ?? now) + schedule.answerTimeoutMs + 1_000;
    case 'unknown':
      return now + (firstTime ? schedule.firstQueryMs : schedule.queryEveryMs);
    case 'reversing':
      return firstTime ? now : now + schedule.queryEveryMs;
    default:
      return null;
  }
}
