/**
 * Importing a statement (Step 6), one transaction: the file's lines stored once by their key as
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
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { sql } from 'kysely';
import { appendAudit } from '../audit';
import { type Ctx, inTx } from '../context';
import { BulkInsert, type Dialect, packedRows, type StatementLinesTable, type Tx, transaction } from '../db';
import { decideManualConfirmation } from '../exceptions';
import {
  type AwaitingProof,
  type CaseKind,
  countCases,
  type FoundCase,
  matchStatement,
  type RecordedAttempt,
} from './matcher';
import { type AttemptSource, dayBounds, daysAround, type PairingResult } from './pairing';
import {
  notAFile,
  type PairedRead,
  readPaired,
  readStatementBytes,
  readStatementFile,
  readStatementInThread,
  StatementFileError,
  THREAD_FROM_BYTES,
} from './read-file';
import {
  dayKeyRange,
  fromWire,
  type LineError,
  providerDay,
  type StatementLine,
  type StatementProvider,
  WIRE_AT,
  WIRE_COLUMNS,
  WIRE_WIDTH,
  type WireLines,
} from './statement';

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
const LINE_COLUMNS = [
  ...WIRE_COLUMNS,
  'provider',
  'batch_id',
] as const satisfies readonly (keyof StatementLinesTable)[];
// Provider and batch are the same for every line of a file: bound once a statement.
const INSERT_LINES = new BulkInsert<StatementLinesTable>('statement_lines', LINE_COLUMNS, 'key', [
  'provider',
  'batch_id',
]);
const ROWS_PER_INSERT = 100;
const CHUNK = 400;
/** A day's attempts are read in this many pieces, so the reading thread takes in one while the next is read. */
const ATTEMPT_PIECES = 8;

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
 * The lines as the reader hands them, paired already: written with the attempt each pairs with,
 * a hundred rows a statement. The first line of each key that did not pair is kept for the full
 * matcher.
 */
class LineWriter {
  readonly unpaired = new Map<string, StatementLine>();
  newLines = 0;

  constructor(
    private readonly tx: Tx,
    readonly provider: StatementProvider,
    private readonly batchId: string,
    private readonly timed: <T>(phase: ImportPhase, work: () => Promise<T>) => Promise<T>,
  ) {}

  async take(wire: WireLines): Promise<void> {
    for (let w = 0; w < wire.length; w += WIRE_WIDTH) {
      if (wire[w + WIRE_AT.attempt_id] !== null) continue;
      const key = wire[w + WIRE_AT.key] as string;
      if (!this.unpaired.has(key)) this.unpaired.set(key, fromWire(this.provider, wire, w));
    }
    const step = ROWS_PER_INSERT * WIRE_WIDTH;
    await this.timed('store_lines', async () => {
      for (let at = 0; at < wire.length; at += step)
        this.newLines += await INSERT_LINES.run(this.tx, wire.slice(at, at + step), {
          provider: this.provider,
          batch_id: this.batchId,
        });
    });
  }
}

/**
 * The attempts at this provider created on a day, for the pairing: in ATTEMPT_PIECES pieces of
 * the day, each one read (packedRows) as it is asked for.
 */
function attemptsOfDay(
  tx: Tx,
  dialect: Dialect,
  provider: StatementProvider,
  storeId: string | null,
  timed: <T>(phase: ImportPhase, work: () => Promise<T>) => Promise<T>,
): AttemptSource {
  return async function* (attemptDay) {
    const { from, to } = dayBounds(attemptDay);
    const start = Date.parse(from);
    const span = (Date.parse(to) - start) / ATTEMPT_PIECES;
    const edges = Array.from({ length: ATTEMPT_PIECES + 1 }, (_, k) =>
      k === 0 ? from : k === ATTEMPT_PIECES ? to : new Date(start + k * span).toISOString(),
    );
    for (let k = 0; k < ATTEMPT_PIECES; k++) {
      let q = tx
        .selectFrom('payment_attempts as a')
        .select(
          packedRows(dialect, [
            // matcher.ts's pairsOnSight, asked of the database: a payment that succeeded and is
            // booked to its sale (recordedOf reads "booked" from the same payment row).
            sql`case when a.kind = 'payment' and a.status = 'succeeded' and exists (select 1 from payments p where p.attempt_id = a.id and p.status = 'succeeded') then 's' else 'o' end`,
            sql`a.id`,
            sql`a.merchant_order_no`,
            sql`a.amount_fen`,
            sql`a.provider_ref`,
          ]).as('packed'),
        )
        .where('a.tender', '=', provider)
        .where('a.created_at', '>=', edges[k]!)
        .where('a.created_at', '<', edges[k + 1]!);
      if (storeId) q = q.where('a.store_id', '=', storeId);
      const query = q;
      yield (await timed('load', () => query.executeTakeFirst()))?.packed ?? null;
    }
  };
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
    let attemptRows: AttemptRow[];
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
    let proofsQuery = tx
      .selectFrom('manual_confirmations')
      .selectAll()
      .where('status', '=', 'awaiting_statement')
      .where('tender', '=', provider);
    if (storeId) proofsQuery = proofsQuery.where('store_id', '=', storeId);
    const proofRows = await proofsQuery.execute();
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
            status: 'open',
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
      .leftJoin('payment_attempts as a', 'a.id', 'c.attempt_id')
      .select(['c.id', 'c.about', 'c.version', 'l.day as line_day', 'a.created_at as attempt_at'])
      .where('c.provider', '=', provider)
      .where('c.status', '=', 'open')
      .execute();
    for (const c of open) {
      const day = c.line_day ?? (c.attempt_at ? providerDay(c.attempt_at) : null);
      if (!day || !dayset.has(day) || still.has(c.about)) continue;
      await tx
        .updateTable('recon_cases')
        .set({
          status: 'resolved',
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

/** Every stored line of the provider's days, by their key ranges. */
async function linesOfDays(tx: Tx, provider: StatementProvider, days: readonly string[]) {
  const rows: StatementLinesTable[] = [];
  for (const day of days) {
    const { from, to } = dayKeyRange(provider, day);
    rows.push(
      ...(await tx
        .selectFrom('statement_lines')
        .selectAll()
        .where('key', '>=', from)
        .where('key', '<', to)
        .execute()),
    );
  }
  return rows;
}

async function linesByKey(tx: Tx, keys: readonly string[]) {
  const rows: StatementLinesTable[] = [];
  for (let i = 0; i < keys.length; i += CHUNK)
    rows.push(
      ...(await tx
        .selectFrom('statement_lines')
        .selectAll()
        .where('key', 'in', keys.slice(i, i + CHUNK))
        .execute()),
    );
  return rows;
}

/** Attempts as the matcher needs them (narrowed by the caller: a provider's window, or ids). */
function attemptsQuery(tx: Tx, storeId: string | null) {
  let q = tx
    .selectFrom('payment_attempts as a')
    .leftJoin('payments as p', 'p.attempt_id', 'a.id')
    .innerJoin('sales as s', 's.id', 'a.sale_id')
    .leftJoin('payment_attempts as o', 'o.id', 'a.refund_of')
    .select([
      'a.id',
      'a.kind',
      'a.merchant_order_no',
      'a.provider_ref',
      'a.amount_fen',
      'a.status',
      'a.created_at',
      'a.till_id',
      'a.sale_id',
      'a.store_id',
      'p.status as booked',
      's.status as sale_status',
      'o.merchant_order_no as refund_of_order_no',
    ]);
  if (storeId) q = q.where('a.store_id', '=', storeId);
  return q;
}

type AttemptRow = Awaited<ReturnType<ReturnType<typeof attemptsQuery>['execute']>>[number];

/**
 * The attempts at the provider around the statement's days (daysAround) — all of them, or only
 * those named (the residue's).
 */
async function attemptsAround(
  tx: Tx,
  provider: StatementProvider,
  days: readonly string[],
  storeId: string | null,
  only: { ids: string[] } | null,
): Promise<AttemptRow[]> {
  const rows: AttemptRow[] = [];
  const base = () => attemptsQuery(tx, storeId);
  if (!only) {
    for (const day of daysAround(days))
      rows.push(
        ...(await base()
          .where('a.tender', '=', provider)
          .where('a.created_at', '>=', dayBounds(day).from)
          .where('a.created_at', '<', dayBounds(day).to)
          .execute()),
      );
  } else {
    // Ids the pairing read around these days. By id alone: with the provider too, SQLite would
    // walk that provider's attempts instead.
    for (let i = 0; i < only.ids.length; i += CHUNK)
      rows.push(
        ...(await base()
          .where('a.id', 'in', only.ids.slice(i, i + CHUNK))
          .execute()),
      );
  }
  // One row per attempt (an attempt may have more than one payment row).
  return [...new Map(rows.map((r) => [r.id, r])).values()];
}

function recordedOf(provider: StatementProvider, r: AttemptRow): RecordedAttempt {
  return {
    attemptId: r.id,
    kind: r.kind === 'refund' ? 'refund' : 'payment',
    merchantOrderNo: r.merchant_order_no,
    providerRef: r.provider_ref,
    amountFen: Number(r.amount_fen),
    status: r.status,
    at: r.created_at,
    // A wallet knows the till we named (terminal_id, device_info); an acquirer names its own terminal.
    terminalId: provider === 'card' ? null : r.till_id,
    saleId: r.sale_id,
    refundOfOrderNo: r.refund_of_order_no ?? null,
    booked:
      r.booked === 'succeeded'
        ? 'sale'
        : r.booked === 'duplicate' || r.booked === 'duplicate_refunded'
          ? 'duplicate'
          : 'none',
    onAccount: r.sale_status === 'on_account',
  };
}

function lineOf(r: StatementLinesTable): StatementLine {
  return {
    provider: r.provider as StatementProvider,
    line: r.line_no,
    key: r.key,
    kind: r.kind as StatementLine['kind'],
    merchantOrderNo: r.merchant_order_no,
    providerRef: r.provider_ref,
    refundNo: r.refund_no,
    amountFen: Number(r.amount_fen),
    feeMilliFen: Number(r.fee_millifen),
    at: r.at,
    terminalId: r.terminal_id,
  };
}

/**
 * A statement file from disk: read and parsed line by line, then imported. A file that is not a
 * statement at all (a damaged zip, no detail inside) is one error on line 0 — nothing stored.
 */
export async function importStatementFile(
  ctx: Ctx,
  input: { provider: StatementProvider; file: string; storeId: string | null },
): Promise<ImportSummary> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(input.file)) hash.update(chunk as Buffer);
  return importStatement(ctx, {
    provider: input.provider,
    read: await fileReader(input.provider, input.file),
    fileName: basename(input.file),
    sha256: hash.digest('hex'),
    storeId: input.storeId,
  });
}

/** How a file is read: a large one on its own thread, a small one here. */
export async function fileReader(provider: StatementProvider, file: string): Promise<StatementReader> {
  const { size } = await stat(file);
  return statementReader((take, attempts) =>
    size >= THREAD_FROM_BYTES
      ? readStatementInThread({ provider, file }, take, attempts)
      : readPaired((emit, drain) => readStatementFile(provider, file, emit, drain), attempts, take),
  );
}

/** How an upload is read: a large one on its own thread, a small one here. */
export function bytesReader(provider: StatementProvider, bytes: Buffer): StatementReader {
  return statementReader((take, attempts) =>
    bytes.length >= THREAD_FROM_BYTES
      ? readStatementInThread({ provider, bytes }, take, attempts)
      : readPaired((emit, drain) => readStatementBytes(provider, bytes, emit, drain), attempts, take),
  );
}

/** A reader for which a file that is no statement at all is its one error, on line 0. */
function statementReader(read: StatementReader): StatementReader {
  return async (take, attempts) => {
    try {
      return await read(take, attempts);
    } catch (error: unknown) {
      if (!(error instanceof StatementFileError)) throw error;
      return notAFile(error);
    }
  };
}

/**
 * What the statement settles by itself, where one candidate fits for certain: a customer's proof
 * of payment the money turned up for is confirmed (the sale completes, its slip settles — the
 * exception desk's hook); an attempt still being checked is asked about again now (its answer
 * settles it, as any answer does). A charge on an attempt we closed without money (failed,
 * reversed) is never made a payment here: the accountant decides, through the review desk.
 */
async function settleWhatIsCertain(
  tx: Tx,
  ctx: Ctx,
  provider: StatementProvider,
  cases: readonly FoundCase[],
  about: (c: FoundCase) => string,
): Promise<void> {
  const c = inTx(ctx, tx);
  const at = ctx.clock.now().toISOString();
  for (const found of cases) {
    if (found.kind !== 'charged_not_recorded' || !found.link) continue;
    const row = await tx
      .selectFrom('recon_cases')
      .select(['id', 'status', 'version'])
      .where('about', '=', about(found))
      .executeTakeFirst();
    if (row?.status !== 'open') continue;
    if (found.link.type === 'proof') {
      const line = await tx
        .selectFrom('statement_lines')
        .select(['provider_ref'])
        .where('key', '=', found.lineKey ?? '')
        .executeTakeFirst();
      await decideManualConfirmation(c, found.link.confirmationId, {
        holds: true,
        statementRef: `${provider}:${line?.provider_ref ?? found.lineKey}`,
      });
      await tx
        .updateTable('recon_cases')
        .set({
          status: 'resolved',
          resolution: JSON.stringify({ code: 'proof_confirmed', confirmationId: found.link.confirmationId }),
          resolved_by: 'system',
          resolved_at: at,
          version: row.version + 1,
        })
        .where('id', '=', row.id)
        .execute();
      const sale = await tx
        .selectFrom('sales')
        .select('store_id')
        .where('id', '=', found.link.saleId)
        .executeTakeFirst();
      await appendAudit(tx, ctx.clock, ctx.ids, {
        storeId: sale?.store_id ?? null,
        actorId: 'system',
        action: 'recon.case_settled',
        entityType: 'recon_case',
        entityId: row.id,
        saleId: found.link.saleId,
        after: {
          kind: found.kind,
          confirmationId: found.link.confirmationId,
          amountFen: found.amountFen,
          line: found.lineKey,
        },
      });
    } else {
      // Still being checked: ask the provider now rather than at the next scheduled query.
      await tx
        .updateTable('payment_attempts')
        .set({ next_check_at: at })
        .where('id', '=', found.link.attemptId)
        .where('status', 'in', ['created', 'in_flight', 'unknown'])
        .execute();
    }
  }
}
