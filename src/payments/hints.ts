/**
 * Answers nobody asked for: a provider's asynchronous notification, a late or repeated copy of an
 * answer, a stale "in progress" after the final word. They are hints, never commands (decision 15;
 * docs/scenarios.md, 12): the adapter reads what the message claims, `hintMeaning` decides what that
 * means for the attempt in its present state, and the only thing a hint can cause is that we ask
 * the provider — sooner than the schedule would, or once more to be sure. The provider's answer
 * to that question is recorded like any other. So a forged, duplicated or out-of-order notice can
 * never mark a sale paid, move an attempt backwards, or start a second charge; each is kept in the
 * attempt's history (bounded, so a flood cannot fill the database).
 */
import type { Ctx } from '../context';
import { transaction } from '../db';
import { Refusal } from '../kernel';
import { type AttemptStatus, type HintClaim, type HintMeaning, hintMeaning } from './attempt-model';
import type { PaymentRuntime } from './drive';
import type { Tender } from './provider';
import { ATTEMPT_FOR_UPDATE, appendAttemptEvent } from './store';

/** History lines kept from hints per attempt; later ones are only counted in the server log. */
export const MAX_HINT_LINES = 20;
/** Queries a contradicting hint may cause on a final attempt; after that it is only logged. */
export const MAX_VERIFY_QUERIES = 3;

export interface HeardNotice {
  attemptId: string;
  status: AttemptStatus;
  meaning: HintMeaning;
  claim: HintClaim;
  /** Whether the hint found room in the attempt's history. */
  kept: boolean;
  /** Hint lines the attempt had before this one. */
  lines: number;
}

/** The scheduler's two ways of working an attempt, each joining whatever is under way for it. */
export interface AttemptWorker {
  /** Drive it now (one live request per terminal); with `orAgain`, once more after a drive under way. */
  kick(attemptId: string, options?: { orAgain?: boolean }): Promise<void>;
  /** Ask the provider once more, whatever its state. */
  recheck(attemptId: string, why: string): Promise<void>;
}

export async function hearNotice(
  ctx: Ctx,
  runtime: PaymentRuntime,
  input: { tillId: string; tender: Tender; body: unknown },
): Promise<HeardNotice> {
  const provider = runtime.providerFor(input.tillId, input.tender);
  if (!provider?.readNotice) throw new Refusal('tender_unavailable');
  const notice = provider.readNotice(input.body);
  if (!notice.ok) throw new Refusal('notice_malformed', notice.problem);
  const found = await ctx.db.kysely
    .selectFrom('payment_attempts')
    .select(['id', 'till_id', 'tender'])
    .where('merchant_order_no', '=', notice.merchantOrderNo)
    .executeTakeFirst();
  // Another till's attempt is as unknown here as one that does not exist.
  if (!found || found.till_id !== input.tillId || found.tender !== input.tender)
    throw new Refusal('attempt_unknown');

  const heard = await transaction(ctx.db, 'relaxed', async (tx) => {
    const attempt = await ATTEMPT_FOR_UPDATE.first(tx, { id: found.id });
    if (!attempt) throw new Refusal('attempt_unknown');
    const status = attempt.status;
    // "Paid" for another amount than we asked is no payment we can place: read as unclear.
    const mismatch = notice.claim === 'paid' && notice.amountFen !== Number(attempt.amount_fen);
    const claim: HintClaim = mismatch ? 'pending' : notice.claim;
    let meaning = hintMeaning(status, claim);
    const lines = await tx
      .selectFrom('payment_attempt_events')
      .select(['meaning'])
      .where('attempt_id', '=', attempt.id)
      .where('event', '=', 'hint')
      .execute();
    const limited =
      meaning === 'verify' && lines.filter((l) => l.meaning === 'verify').length >= MAX_VERIFY_QUERIES;
    if (limited) meaning = 'ignore';
    const kept = lines.length < MAX_HINT_LINES;
    if (kept)
      await appendAttemptEvent(tx, {
        attempt_id: attempt.id,
        at: ctx.clock.now().toISOString(),
        event: 'hint',
        meaning,
        from_status: status,
        to_status: status,
        detail_json: JSON.stringify({
          claim: notice.claim,
          code: notice.code,
          amountFen: notice.amountFen,
          ...(mismatch ? { mismatch: 'another amount than asked' } : {}),
          ...(limited ? { limit: `already asked ${MAX_VERIFY_QUERIES} times` } : {}),
        }),
      });
    // Asking sooner: the attempt is due now (never later than it already was).
    if (meaning === 'ask')
      await tx
        .updateTable('payment_attempts')
        .set({ next_check_at: ctx.clock.now().toISOString() })
        .where('id', '=', attempt.id)
        .where('status', 'in', ['in_flight', 'unknown', 'reversing'])
        .execute();
    return { attemptId: attempt.id, status, meaning, claim, kept, lines: lines.length };
  });
  return heard;
}

/** The server log's line for a hint, if it deserves one: while kept, and once past the bound (a flood fills no log). */
export function hintLogLine(heard: HeardNotice): string | null {
  if (heard.kept && heard.meaning === 'ignore')
    return `payment attempt ${heard.attemptId}: ${heard.claim} hint ignored while ${heard.status}`;
  if (heard.lines === MAX_HINT_LINES)
    return `payment attempt ${heard.attemptId}: more than ${MAX_HINT_LINES} hints; later ones not kept`;
  return null;
}

/** What a heard notice makes us do, after it is on record. The caller need not wait for it. */
export function actOnNotice(worker: AttemptWorker, heard: HeardNotice): Promise<void> {
  // A request may be live right now: if it ends unclear, the news in this hint is asked about then.
  if (heard.meaning === 'ask') return worker.kick(heard.attemptId, { orAgain: true });
  if (heard.meaning === 'verify') return worker.recheck(heard.attemptId, 'hint');
  return Promise.resolve();
}
