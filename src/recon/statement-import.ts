/**
 * Importing a statement, one transaction: the file's lines stored once by their key as
 * they are read, the statement's days matched as a whole (every line of those days, whichever file
 * brought it, against every attempt at that provider around them and the customers' proofs
 * awaiting a statement), cases stored once by what they are about. A file with any bad line stores
 * nothing. Re-importing a file, or an overlapping one, adds nothing that is already there; a case a
 * later file clears (the line turned up) is resolved by it, and says so.
 *
 * A day is a million lines, nearly all of them paired on sight with the attempt of their order
 * number as they are read (pairing.ts; on the reading thread for a large file): those are written
 * with the line and never held in memory; the full matcher decides the few that are left.
 */
import { appendAudit } from '../audit';
import type { Ctx } from '../context';
import { type Tx, transaction } from '../db';
import { proofsAwaitingStatement } from '../exceptions';
import { attemptTimes, type RecordedAttemptRow } from '../payments';
import { clearedFromOpen, RECON_CASE_LIFECYCLE } from './case-model';
import { type AwaitingProof, type CaseKind, countCases, type FoundCase, matchStatement } from './matcher';
import type { AttemptSource, PairingResult } from './pairing';
import type { PairedRead } from './read-file';
import { settleWhatIsCertain } from './settle-certain';
import {
  type LineError,
  providerDay,
  type StatementLine,
  type StatementProvider,
  type WireLines,
} from './statement';
import { LineWriter, lineOf, linesByKey, linesOfDays } from './stored-lines';
import { attemptsAround, attemptsOfDay, recordedOf } from './tills-recorded';

export interface ImportSummary {
  provider: StatementProvider;
  /** The statement's data lines (not headers, comments or summaries). */
  lines: number;
  /** Those not imported before. */
  newLines: number;
  /** Money lines of the statement's days matched to an attempt. */
  matched: number;
  /** Open cases of the statement's days, by kind. */
  cases: Record<CaseKind, number>;
  errors: LineError[];
  batchId: string | null;
}

/**
 * Reads a statement: its good lines paired on sight (with the attempts `attempts` reads) and given
 * to `take` in batches, in wire form, as they are read (each batch written before the next is taken).
 */
export type StatementReader = (
  take: (wire: WireLines) => Promise<void>,
  attempts: AttemptSource,
) => Promise<PairedRead>;

/**
 * The phases the benchmark reports: `read` is the importer's time taking the lines as they are
 * read (and, for a small file, parsing and pairing them), `read_thread` the reading thread's own
 * time for a large one (alongside the rest); the others are the importer's (`load`: reading
 * attempts and the residue).
 */
export type ImportPhase = 'read' | 'read_thread' | 'load' | 'store_lines' | 'match' | 'store_results';

// A row's own columns in the order of the wire form (statement.ts), so that a batch is bound as it comes.
export const ROWS_PER_INSERT = 100;
export const CHUNK = 400;
/** A day's attempts are read in this many pieces, so the reading thread takes in one while the next is read. */
export const ATTEMPT_PIECES = 8;

/** Thrown inside the import's transaction when the file has a bad line: nothing it wrote stays. */
class RefusedFile extends Error {
  constructor(readonly read: PairedRead) {
    super('statement refused');
  }
}

export async function importStatement(
  ctx: Ctx,
  input: {
    provider: StatementProvider;
    read: StatementReader;
    fileName: string;
    sha256: string;
    storeId: string | null;
    /** Told how long each phase took, in total (the benchmark's breakdown). */
    onPhase?: (phase: ImportPhase, ms: number) => void;
  },
): Promise<ImportSummary> {
  const { provider } = input;
  const spent: Record<ImportPhase, number> = {
    read: 0,
    read_thread: 0,
    load: 0,
    store_lines: 0,
    match: 0,
    store_results: 0,
  };
  const timed = async <T>(phase: ImportPhase, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      spent[phase] += performance.now() - started;
    }
  };
  try {
    const summary = await transaction(ctx.db, 'full', async (tx) => {
      const at = ctx.clock.now().toISOString();
      const batchId = ctx.ids.next('stb');
      await tx
        .insertInto('statement_batches')
        .values({
          id: batchId,
          provider,
          store_id: input.storeId,
          file_name: input.fileName,
          file_sha256: input.sha256,
          lines: 0,
          new_lines: 0,
          first_day: null,
          last_day: null,
          imported_by: ctx.actor?.staffId ?? 'cli',
          imported_at: at,
        })
        .execute();
      const reading = new LineWriter(tx, provider, batchId, timed);
      const started = performance.now();
      const read = await input.read(
        (wire) => reading.take(wire),
        attemptsOfDay(tx, ctx.db.dialect, provider, input.storeId, timed),
      );
      spent.read += performance.now() - started - spent.load - spent.store_lines;
      spent.read_thread += read.threadMs ?? 0;
      if (read.errors.length > 0) throw new RefusedFile(read);
      const { days } = read.pairing;
      await tx
        .updateTable('statement_batches')
        .set({
          lines: read.dataLines,
          new_lines: reading.newLines,
          first_day: days[0] ?? null,
          last_day: days.at(-1) ?? null,
        })
        .where('id', '=', batchId)
        .execute();
      const result =
        days.length === 0
          ? { matched: 0, cases: [] as FoundCase[] }
          : await rematchDays(tx, ctx, provider, read.pairing, reading, input.storeId, batchId, timed);
      await appendAudit(tx, ctx.clock, ctx.ids, {
        storeId: input.storeId,
        actorId: ctx.actor?.staffId ?? 'cli',
        action: 'recon.imported',
        entityType: 'statement_batch',
        entityId: batchId,
        after: {
          provider,
          file: input.fileName,
          sha256: input.sha256,
          lines: read.dataLines,
          newLines: reading.newLines,
          days,
          matched: result.matched,
          cases: countCases(result.cases),
        },
      });
      return {
        provider,
        lines: read.dataLines,
        newLines: reading.newLines,
        matched: result.matched,
        cases: countCases(result.cases),
        errors: [],
        batchId,
      };
    });
    for (const [phase, ms] of Object.entries(spent)) input.onPhase?.(phase as ImportPhase, ms);
    return summary;
  } catch (error: unknown) {
    if (!(error instanceof RefusedFile)) throw error;
    return {
      provider,
      lines: error.read.dataLines,
      newLines: 0,
      matched: 0,
      cases: countCases([]),
      errors: error.read.errors,
      batchId: null,
    };
  }
}

/**
 * Matches the statement's days as a whole and stores what that finds; returns it. The exact
 * pairs were written with the lines; the full matcher decides the residue — or, when other files
 * brought lines of these days too, every line of them (read back from the database).
 */
async function rematchDays(
  tx: Tx,
  ctx: Ctx,
  provider: StatementProvider,
  pairing: PairingResult,
  written: LineWriter,
  storeId: string | null,
  batchId: string,
  timed: <T>(phase: ImportPhase, work: () => Promise<T>) => Promise<T>,
): Promise<{ matched: number; cases: FoundCase[] }> {
  const { days } = pairing;
  const dayset = new Set(days);
  const { lines, attempts, storeOf, proofs, proofStore, exact, stored } = await timed('load', async () => {
    const overlapping = await tx
      .selectFrom('statement_batches')
      .select('id')
      .where('provider', '=', provider)
      .where('id', '<>', batchId)
      .where('first_day', '<=', days.at(-1)!)
      .where('last_day', '>=', days[0]!)
      .executeTakeFirst();
    let lines: StatementLine[];
    let attemptRows: RecordedAttemptRow[];
    let exact = 0;
    const stored = new Map<string, string | null>(); // line key → the attempt its row names now
    if (overlapping) {
      // Other files have lines of these days: all of them again, against every attempt around them.
      const rows = await linesOfDays(tx, provider, days);
      for (const r of rows) stored.set(r.key, r.attempt_id);
      lines = rows.map(lineOf);
      attemptRows = await attemptsAround(tx, provider, days, storeId, null);
    } else {
      const { pairs, withdrawn, unpaired } = pairing;
      exact = pairs;
      const back = await linesByKey(tx, withdrawn);
      for (const l of written.unpaired.values()) stored.set(l.key, null);
      for (const r of back) stored.set(r.key, r.attempt_id);
      lines = [...written.unpaired.values(), ...back.map(lineOf)];
      attemptRows = await attemptsAround(tx, provider, days, storeId, {
        ids: [...pairing.otherAttempts, ...unpaired],
      });
    }
    const proofRows = await proofsAwaitingStatement(tx, provider, storeId);
    return {
      lines,
      attempts: attemptRows.map((r) => recordedOf(provider, r)),
      storeOf: new Map(attemptRows.map((r) => [r.id, r.store_id])),
      proofs: proofRows.map(
        (m): AwaitingProof => ({
          confirmationId: m.id,
          saleId: m.sale_id,
          amountFen: Number(m.amount_fen),
          paidOn: m.paid_on,
          reference: m.reference,
        }),
      ),
      proofStore: new Map(proofRows.map((m) => [m.id, m.store_id])),
      exact,
      stored,
    };
  });
  const result = await timed('match', async () => matchStatement(lines, attempts, proofs, dayset));
  return timed('store_results', async () => {
    const at = ctx.clock.now().toISOString();
    // Each line of the residue now names the attempt the matcher gave it (or none): only changes are written.
    const matchedTo = new Map(result.matched.map((m) => [m.lineKey, m.attemptId]));
    for (const [key, before] of stored) {
      const now = matchedTo.get(key) ?? null;
      if (now !== before)
        await tx.updateTable('statement_lines').set({ attempt_id: now }).where('key', '=', key).execute();
    }
    const about = (c: FoundCase) => `${provider}|${c.kind}|${c.lineKey ?? ''}|${c.attemptId ?? ''}`;
    for (let i = 0; i < result.cases.length; i += CHUNK)
      await tx
        .insertInto('recon_cases')
        .values(
          result.cases.slice(i, i + CHUNK).map((c) => ({
            id: ctx.ids.next('rcase'),
            about: about(c),
            provider,
            store_id:
              (c.attemptId ? storeOf.get(c.attemptId) : null) ??
              (c.link?.type === 'proof' ? proofStore.get(c.link.confirmationId) : null) ??
              storeId,
            kind: c.kind,
            line_key: c.lineKey,
            attempt_id: c.attemptId,
            amount_fen: c.amountFen,
            candidates_json: JSON.stringify(c.candidates),
            link_json: c.link ? JSON.stringify(c.link) : null,
            detail: JSON.stringify(c.detail),
            status: RECON_CASE_LIFECYCLE.initial,
            resolution: null,
            resolved_by: null,
            resolved_at: null,
            opened_at: at,
            batch_id: batchId,
            version: 1,
          })),
        )
        .onConflict((oc) => oc.column('about').doNothing())
        .execute();
    await settleWhatIsCertain(tx, ctx, provider, result.cases, about);
    // Open cases of these days the statement no longer bears out (the line came in a later file).
    const still = new Set(result.cases.map(about));
    const open = await tx
      .selectFrom('recon_cases as c')
      .leftJoin('statement_lines as l', 'l.key', 'c.line_key')
      .select(['c.id', 'c.about', 'c.version', 'c.attempt_id', 'l.day as line_day'])
      .where('c.provider', '=', provider)
      .where('c.status', '=', 'open')
      .execute();
    // A case without a line (an attempt the statement lacks) is of its attempt's day.
    const attemptAt = await attemptTimes(
      tx,
      open.flatMap((c) => (c.line_day === null && c.attempt_id !== null ? [c.attempt_id] : [])),
    );
    for (const c of open) {
      const madeAt = c.attempt_id === null ? undefined : attemptAt.get(c.attempt_id);
      const day = c.line_day ?? (madeAt ? providerDay(madeAt) : null);
      if (!day || !dayset.has(day) || still.has(c.about)) continue;
      await tx
        .updateTable('recon_cases')
        .set({
          status: clearedFromOpen(),
          resolution: JSON.stringify({ code: 'cleared', batchId }),
          resolved_by: 'system',
          resolved_at: at,
          version: c.version + 1,
        })
        .where('id', '=', c.id)
        .where('version', '=', c.version)
        .execute();
    }
    const money = new Set(lines.filter((l) => l.kind !== 'no_money').map((l) => l.key));
    // What is still open of what the statement found (a case settled or resolved before stays so).
    const openNow = new Set(open.filter((c) => still.has(c.about)).map((c) => c.about));
    const inserted = await tx
      .selectFrom('recon_cases')
      .select('about')
      .where('provider', '=', provider)
      .where('status', '=', 'open')
      .where('batch_id', '=', batchId)
      .execute();
    for (const c of inserted) openNow.add(c.about);
    return {
      matched: exact + result.matched.filter((m) => money.has(m.lineKey)).length,
      cases: result.cases.filter((c) => openNow.has(about(c))),
    };
  });
}
