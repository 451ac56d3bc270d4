/**
 * The matcher, pure: a statement's lines against what the tills recorded at that provider
 * — every attempt (payments and refunds, whatever their state) and the customers' proofs of
 * payment awaiting a statement. Each money line is matched to the attempt that took or gave it,
 * or becomes a case; every attempt the tills say moved money in the statement's days and no line
 * holds becomes one too. Deterministic whatever the order of its inputs (everything is sorted by
 * key first), and idempotent (a line seen twice — a re-import, overlapping files — counts once).
 */

import { RECON_CASE_KINDS, type ReconCaseKind } from '../shared';
import { StringIndex, TextColumn } from './order-index';
import { type LineKind, providerDay, type StatementLine } from './statement';

export const CASE_KINDS = RECON_CASE_KINDS;
export type CaseKind = ReconCaseKind;

/** One attempt of ours at the provider, as the matcher needs it. */
export interface RecordedAttempt {
  attemptId: string;
  kind: 'payment' | 'refund';
  merchantOrderNo: string;
  providerRef: string | null;
  amountFen: number;
  /** Its state here: succeeded, failed, unknown, reversed, needs_review, … */
  status: string;
  /** When it was sent (ISO). */
  at: string;
  /** The terminal (card) or device (wallet) it went through, as the provider names it. */
  terminalId: string | null;
  saleId: string;
  /** For a refund: the merchant order number of the payment it gives back. */
  refundOfOrderNo: string | null;
  /** How the sale holds a succeeded payment: as its own, as a duplicate to give back, or not at all. */
  booked: 'sale' | 'duplicate' | 'none';
  /** The sale is on account (a provisional slip waits for its money). */
  onAccount: boolean;
}

/** A customer's proof of payment waiting for this statement (exceptions' manual confirmation). */
export interface AwaitingProof {
  confirmationId: string;
  saleId: string;
  amountFen: number;
  /** The day the customer says it left them, yyyy-mm-dd (store's calendar, China here). */
  paidOn: string;
  reference: string;
}

export type CaseDetail =
  | { code: 'charged_again' | 'sale_already_paid' | 'no_candidate' | 'refund_not_recorded' }
  | { code: 'not_on_statement' | 'refund_not_on_statement' }
  | { code: 'amount_differs'; recordedFen: number }
  | { code: 'recorded_as'; status: string }
  | { code: 'candidates'; count: number };

export type Candidate =
  | { type: 'attempt'; attemptId: string; saleId: string; why: string }
  | { type: 'proof'; confirmationId: string; saleId: string; why: string };

export interface MatchedLine {
  lineKey: string;
  attemptId: string;
}

export interface FoundCase {
  kind: CaseKind;
  /** The statement line it is about, if any (recorded-not-settled has none). */
  lineKey: string | null;
  /** The attempt it is about, if one is known. */
  attemptId: string | null;
  amountFen: number;
  /** Who the money may belong to: for a charge we did not record, the sales it could be. */
  candidates: Candidate[];
  /** Set when exactly one candidate fits and fits for certain: reconciliation may link it by itself. */
  link: Candidate | null;
  /** What it is, for the accountant: a code the screens put in words (both languages), with its facts. */
  detail: CaseDetail;
}

export interface MatchResult {
  matched: MatchedLine[];
  cases: FoundCase[];
}

/** How near in time (either side) a charge and an attempt must be to be proposed as one. */
export const CANDIDATE_WINDOW_MS = 30 * 60_000;

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
const MAY_HOLD_MONEY = new Set([
  'failed',
  'unknown',
  'reversed',
  'needs_review',
  'in_flight',
  'created',
  'reversing',
]);

export function matchStatement(
  statement: readonly StatementLine[],
  recorded: readonly RecordedAttempt[],
  proofs: readonly AwaitingProof[] = [],
  /** The statement's days (provider calendar); by default those of its lines. */
  statementDays?: ReadonlySet<string>,
): MatchResult {
  // Each line once, by its key; then a fixed order, so the answer never depends on the input's.
  const unique = [...new Map(statement.map((l) => [l.key, l])).values()].sort(byKey((l) => l.key));
  const attempts = [...new Map(recorded.map((a) => [a.attemptId, a])).values()].sort(
    byKey((a) => a.attemptId),
  );
  const waiting = [...proofs].sort(byKey((p) => p.confirmationId));
  const payments = new Map<string, RecordedAttempt>();
  const refunds = new Map<string, RecordedAttempt>();
  for (const a of attempts) (a.kind === 'payment' ? payments : refunds).set(a.merchantOrderNo, a);
  // Indexes, so a day of a million lines is not a million scans: refunds by the payment they give
  // back, and attempts that may hold money we never booked, by amount (both in attempt-id order).
  const refundsOf = new Map<string, RecordedAttempt[]>();
  const openByAmount = new Map<number, RecordedAttempt[]>();
  for (const a of attempts) {
    if (a.kind === 'refund' && a.refundOfOrderNo) pushTo(refundsOf, a.refundOfOrderNo, a);
    if (a.kind === 'payment' && MAY_HOLD_MONEY.has(a.status)) pushTo(openByAmount, a.amountFen, a);
  }

  const byRef = new Map(attempts.filter((a) => a.providerRef).map((a) => [`${a.kind}:${a.providerRef}`, a]));

  const matched: MatchedLine[] = [];
  const cases: FoundCase[] = [];
  const held = new Set<string>(); // attempts some money line stands for
  const days = statementDays ?? new Set(unique.map((l) => providerDay(l.at)));

  for (const line of unique) {
    if (line.kind === 'no_money') {
      // Moved nothing: stands for its attempt (so that one is not "not settled" if it says reversed).
      const a = payments.get(line.merchantOrderNo) ?? byRef.get(`payment:${line.providerRef}`);
      if (a) {
        if (a.status !== 'succeeded') held.add(a.attemptId);
        matched.push({ lineKey: line.key, attemptId: a.attemptId });
      }
      continue;
    }
    if (line.kind === 'payment') {
      const a =
        (line.merchantOrderNo && payments.get(line.merchantOrderNo)) ||
        byRef.get(`payment:${line.providerRef}`);
      if (a && held.has(a.attemptId)) {
        cases.push(caseOf('duplicate_charge', line, a, [], { code: 'charged_again' }));
        continue;
      }
      if (a) held.add(a.attemptId);
      if (a && a.amountFen !== line.amountFen) {
        cases.push(
          caseOf('amount_mismatch', line, a, [], { code: 'amount_differs', recordedFen: a.amountFen }),
        );
        continue;
      }
      if (a?.status === 'succeeded' && a.booked === 'sale') {
        matched.push({ lineKey: line.key, attemptId: a.attemptId });
        continue;
      }
      if (a?.status === 'succeeded' && a.booked === 'duplicate') {
        const givenBack = (refundsOf.get(a.merchantOrderNo) ?? []).some((r) => r.status !== 'failed');
        if (givenBack) matched.push({ lineKey: line.key, attemptId: a.attemptId });
        else cases.push(caseOf('duplicate_charge', line, a, [], { code: 'sale_already_paid' }));
        continue;
      }
      if (a) {
        // Our order number, money at the provider, not paid here: this attempt, for certain.
        const c: Candidate = {
          type: 'attempt',
          attemptId: a.attemptId,
          saleId: a.saleId,
          why: 'same order number',
        };
        cases.push({
          ...caseOf('charged_not_recorded', line, a, [c], { code: 'recorded_as', status: a.status }),
          link: c,
        });
        continue;
      }
      // No order number we know: whose could it be? Same amount, same terminal, near in time.
      const near = (openByAmount.get(line.amountFen) ?? []).filter(
        (x) =>
          !held.has(x.attemptId) &&
          (line.terminalId === null || x.terminalId === null || x.terminalId === line.terminalId) &&
          Math.abs(Date.parse(x.at) - Date.parse(line.at)) <= CANDIDATE_WINDOW_MS,
      );
      const candidates: Candidate[] = [
        ...near.map(
          (x): Candidate => ({
            type: 'attempt',
            attemptId: x.attemptId,
            saleId: x.saleId,
            why: 'same amount and terminal, near in time',
          }),
        ),
        ...waiting
          .filter(
            (p) =>
              p.amountFen === line.amountFen &&
              Math.abs(Date.parse(p.paidOn) - Date.parse(providerDay(line.at))) <= 86_400_000,
          )
          .map(
            (p): Candidate => ({
              type: 'proof',
              confirmationId: p.confirmationId,
              saleId: p.saleId,
              why: 'the customer’s proof: same amount and day',
            }),
          ),
      ];
      cases.push({
        ...caseOf(
          'charged_not_recorded',
          line,
          null,
          candidates,
          candidates.length === 0
            ? { code: 'no_candidate' }
            : { code: 'candidates', count: candidates.length },
        ),
        link: candidates.length === 1 ? candidates[0]! : null,
      });
      continue;
    }
    // A refund line: our refund number, or the payment it refunds and the amount.
    const r =
      (line.refundNo && refunds.get(line.refundNo)) ||
      (refundsOf.get(line.merchantOrderNo) ?? []).find(
        (x) => !held.has(x.attemptId) && x.amountFen === line.amountFen,
      );
    if (!r) {
      cases.push(caseOf('refund_mismatch', line, null, [], { code: 'refund_not_recorded' }));
      continue;
    }
    held.add(r.attemptId);
    if (r.amountFen !== line.amountFen)
      cases.push(
        caseOf('refund_mismatch', line, r, [], { code: 'amount_differs', recordedFen: r.amountFen }),
      );
    else if (r.status !== 'succeeded')
      cases.push(caseOf('refund_mismatch', line, r, [], { code: 'recorded_as', status: r.status }));
    else matched.push({ lineKey: line.key, attemptId: r.attemptId });
  }

  // What the tills say moved money on the statement's days and no line holds.
  for (const a of attempts) {
    if (a.status !== 'succeeded' || held.has(a.attemptId) || !days.has(providerDay(a.at))) continue;
    cases.push({
      kind: a.kind === 'payment' ? 'recorded_not_settled' : 'refund_mismatch',
      lineKey: null,
      attemptId: a.attemptId,
      amountFen: a.amountFen,
      candidates: [],
      link: null,
      detail: a.kind === 'payment' ? { code: 'not_on_statement' } : { code: 'refund_not_on_statement' },
    });
  }
  cases.sort(byKey((c) => `${c.kind}|${c.lineKey ?? ''}|${c.attemptId ?? ''}`));
  matched.sort(byKey((m) => m.lineKey));
  return { matched, cases };
}

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const xs = m.get(k);
  if (xs) xs.push(v);
  else m.set(k, [v]);
}

function caseOf(
  kind: CaseKind,
  line: StatementLine,
  attempt: RecordedAttempt | null,
  candidates: Candidate[],
  detail: CaseDetail,
): FoundCase {
  return {
    kind,
    lineKey: line.key,
    attemptId: attempt?.attemptId ?? null,
    amountFen: line.amountFen,
    candidates,
    link: null,
    detail,
  };
}

/** How many cases of each kind: the import's summary. */
export function countCases(cases: readonly Pick<FoundCase, 'kind'>[]): Record<CaseKind, number> {
  const counts = Object.fromEntries(CASE_KINDS.map((k) => [k, 0])) as Record<CaseKind, number>;
  for (const c of cases) counts[c.kind]++;
  return counts;
}

/**
 * What an attempt must be for a line to pair with it on sight: a payment that succeeded and is
 * booked to its sale — the answer for nearly every line of a day. The exact split uses it.
 */
export function pairsOnSight(a: Pick<RecordedAttempt, 'kind' | 'status' | 'booked'>): boolean {
  return a.kind === 'payment' && a.status === 'succeeded' && a.booked === 'sale';
}

/**
 * The exact split, line by line (a day of a million lines never sits whole in memory): a payment
 * line pairs with the attempt of its order number when that attempt pairs on sight, the amounts
 * agree and the references do not contradict — unless another line names the same attempt (by
 * order number; or by reference, as the matcher falls back to for a line whose order number it
 * does not know), which makes the attempt and every line that named it the full matcher's (a
 * duplicate charge, a reversal). Everything not paired is the residue, and
 * `matchStatement(residue lines, residue attempts, proofs, days)` plus the pairs is exactly
 * `matchStatement(all lines, all attempts, proofs, days)` — the property tests hold them to it:
 * a pair is a line and an attempt nothing else in the statement touches.
 */
export class ExactSplit {
  // The attempts that pair on sight, a column each (a day's million as objects cost more to build
  // than to read; their strings are places in the text they were read from): by their index, and
  // the index of each by order number. An empty reference is none.
  private readonly byOrder = new StringIndex();
  private readonly ids = new TextColumn();
  private readonly refs = new TextColumn();
  private readonly amounts: number[] = [];
  /** NAMED: a line named it by its order number; CONTESTED: a second one did (the matcher decides). */
  private state = new Uint8Array(1 << 16);
  /** The key of the line each is paired with, while that stands (the line's row names it). */
  private readonly pairedWith: (string | null)[] = [];
  /** References of the non-refund lines that did not pair: the only ones the matcher looks up by reference. */
  private readonly unpairedRefs = new Set<string>();
  /** Lines paired for a while, then contested: the residue's now (their rows name an attempt). */
  private readonly withdrawn: string[] = [];
  private pairs = 0;

  /**
   * An attempt that pairs on sight, as it is read. Two under one order number (the database
   * forbids it) pair with nothing: the matcher decides.
   */
  add(attemptId: string, orderNo: string, amountFen: number, providerRef: string | null): void {
    const text = attemptId + orderNo + (providerRef ?? '');
    const order = attemptId.length;
    const ref = order + orderNo.length;
    this.addFrom(text, 0, order, order, ref, amountFen, ref, text.length);
  }

  /**
   * The same, its id, order number and reference read where they are in a longer text (a packed
   * query result: pairing.ts), without making strings of them.
   */
  addFrom(
    text: string,
    idStart: number,
    idEnd: number,
    orderStart: number,
    orderEnd: number,
    amountFen: number,
    refStart: number,
    refEnd: number,
  ): void {
    const at = this.ids.push(text, idStart, idEnd);
    this.refs.push(text, refStart, refEnd);
    this.amounts.push(amountFen);
    this.pairedWith.push(null);
    if (at === this.state.length) {
      const grown = new Uint8Array(at * 2);
      grown.set(this.state);
      this.state = grown;
    }
    const first = this.byOrder.add(text, orderStart, orderEnd);
    if (first !== at) {
      this.state[first]! |= CONTESTED;
      this.state[at]! |= CONTESTED;
    }
  }

  /**
   * A line as it is read (its key, kind, order number, reference and amount: no object per line);
   * answers the attempt it pairs with for now (null: the residue's).
   */
  offer(key: string, kind: LineKind, orderNo: string, ref: string, amountFen: number): string | null {
    if (kind === 'refund') return null; // refunds name refund attempts, never these
    const a = orderNo === '' ? -1 : this.byOrder.get(orderNo);
    if (a >= 0) this.name(a);
    if (kind === 'payment' && a >= 0 && !(this.state[a]! & CONTESTED) && this.amounts[a] === amountFen) {
      if (this.refs.isEmpty(a) || this.refs.is(a, ref)) {
        this.pairedWith[a] = key;
        this.pairs++;
        return this.ids.get(a);
      }
    }
    this.unpairedRefs.add(ref);
    return null;
  }

  /** The same, for a line in hand. */
  offerLine(
    l: Pick<StatementLine, 'key' | 'kind' | 'merchantOrderNo' | 'providerRef' | 'amountFen'>,
  ): string | null {
    return this.offer(l.key, l.kind, l.merchantOrderNo, l.providerRef, l.amountFen);
  }

  /** A line names the attempt: the first may pair with it; a second (or the same line twice) contests it. */
  private name(a: number): void {
    if (!(this.state[a]! & NAMED)) {
      this.state[a]! |= NAMED;
      return;
    }
    this.state[a]! |= CONTESTED;
    this.withdraw(a);
  }

  private withdraw(a: number): void {
    const key = this.pairedWith[a];
    if (key === null || key === undefined) return;
    this.withdrawn.push(key);
    this.pairedWith[a] = null;
    this.pairs--;
  }

  /**
   * Once every line is in: a pair whose attempt's reference a line that did not pair names is
   * withdrawn too. Answers how many pairs stand, the keys of the lines paired for a while and then
   * withdrawn (the residue's now), and the ids of the attempts that pair on sight and are in no
   * pair that stands (withdrawn ones among them).
   */
  finish(): { pairs: number; withdrawn: string[]; unpaired: string[] } {
    const unpaired: string[] = [];
    for (let a = 0; a < this.ids.length; a++) {
      if (
        this.pairedWith[a] !== null &&
        this.unpairedRefs.size > 0 &&
        !this.refs.isEmpty(a) &&
        this.unpairedRefs.has(this.refs.get(a))
      )
        this.withdraw(a);
      if (this.pairedWith[a] === null) unpaired.push(this.ids.get(a));
    }
    return { pairs: this.pairs, withdrawn: [...this.withdrawn].sort(), unpaired };
  }

  /** The pairs that stand, after finish (the tests'; a day's million are never listed). */
  pairList(): MatchedLine[] {
    const out: MatchedLine[] = [];
    for (let a = 0; a < this.ids.length; a++) {
      const key = this.pairedWith[a];
      if (key) out.push({ lineKey: key, attemptId: this.ids.get(a) });
    }
    return out.sort(byKey((m) => m.lineKey));
  }
}

const NAMED = 1;
const CONTESTED = 2;

/**
 * The split over lines and attempts in hand (the tests'): exact pairs, and the residue the full
 * matcher decides.
 */
export function splitExact(
  lines: readonly StatementLine[],
  recorded: readonly RecordedAttempt[],
): { pairs: MatchedLine[]; lines: StatementLine[]; attempts: RecordedAttempt[] } {
  const unique = [...new Map(lines.map((l) => [l.key, l])).values()];
  const attempts = byAttemptId(recorded);
  const split = new ExactSplit();
  for (const a of onSightOf(attempts)) split.add(a.attemptId, a.merchantOrderNo, a.amountFen, a.providerRef);
  for (const l of unique) split.offerLine(l);
  split.finish();
  const pairs = split.pairList();
  const pairedLines = new Set(pairs.map((p) => p.lineKey));
  const pairedAttempts = new Set(pairs.map((p) => p.attemptId));
  return {
    pairs,
    lines: unique.filter((l) => !pairedLines.has(l.key)),
    attempts: attempts.filter((a) => !pairedAttempts.has(a.attemptId)),
  };
}

/** Attempts once each, in the full matcher's order (by id). */
function byAttemptId(recorded: readonly RecordedAttempt[]): RecordedAttempt[] {
  return [...new Map(recorded.map((a) => [a.attemptId, a])).values()].sort(byKey((a) => a.attemptId));
}

/**
 * The attempts the exact split is given: those that pair on sight, and of two under one order
 * number only the one the matcher finds by it, the later id (the database has only one).
 */
export function onSightOf(recorded: readonly RecordedAttempt[]): RecordedAttempt[] {
  const attempts = byAttemptId(recorded);
  const byOrder = new Map(attempts.filter((a) => a.kind === 'payment').map((a) => [a.merchantOrderNo, a]));
  return attempts.filter((a) => pairsOnSight(a) && byOrder.get(a.merchantOrderNo) === a);
}
