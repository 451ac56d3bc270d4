/**
 * Importing a statement (Step 6), one transaction: the file's lines stored once by their key, the
 * statement's days matched again as a whole (every line of those days, whichever file brought it,
 * against every attempt at that provider around them and the customers' proofs awaiting a
 * statement), matches and cases stored once by what they are about. A file with any bad line
 * stores nothing. Re-importing a file, or an overlapping one, adds nothing that is already there;
 * a case a later file clears (the line turned up) is resolved by it, and says so.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { appendAudit } from '../audit';
import { type Ctx, inTx } from '../context';
import { prepared, rowOf, type StatementLinesTable, type Tx, transaction } from '../db';
import { decideManualConfirmation } from '../exceptions';
import {
  type AwaitingProof,
  CASE_KINDS,
  type CaseKind,
  countCases,
  type FoundCase,
  matchStatement,
  type RecordedAttempt,
} from './matcher';
import { parseStatementBytes, parseStatementFile, StatementFileError } from './read-file';
import {
  type LineError,
  lineError,
  type ParsedStatement,
  providerDay,
  type StatementLine,
  type StatementProvider,
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

const dayStart = (day: string, offsetDays: number) =>
  new Date(Date.parse(`${day}T00:00:00+08:00`) + offsetDays * 86_400_000).toISOString();
const CHUNK = 400;
// One row at a time through a prepared statement: on SQLite (a store's own file) that is the
// driver's cached statement, far cheaper than building a million-row insert through the builder.
const INSERT_LINE = prepared((db, p: StatementLinesTable) =>
  db
    .insertInto('statement_lines')
    .values(
      rowOf(p, [
        'key',
        'provider',
        'batch_id',
        'line_no',
        'kind',
        'merchant_order_no',
        'provider_ref',
        'refund_no',
        'amount_fen',
        'fee_fen',
        'at',
        'day',
        'terminal_id',
      ]),
    )
    .onConflict((oc) => oc.column('key').doNothing()),
);
const UPSERT_MATCH = prepared((db, p: { line_key: string; attempt_id: string; matched_at: string }) =>
  db
    .insertInto('recon_matches')
    .values(rowOf(p, ['line_key', 'attempt_id', 'matched_at']))
    .onConflict((oc) =>
      oc.column('line_key').doUpdateSet((eb) => ({ attempt_id: eb.ref('excluded.attempt_id') })),
    ),
);

export type ImportPhase = 'store_lines' | 'load' | 'match' | 'store_results';

const emptyCounts = () => Object.fromEntries(CASE_KINDS.map((k) => [k, 0])) as Record<CaseKind, number>;

export async function importStatement(
  ctx: Ctx,
  input: {
    provider: StatementProvider;
    parsed: ParsedStatement;
    fileName: string;
    sha256: string;
    storeId: string | null;
    /** Told how long each phase took (the benchmark's breakdown). */
    onPhase?: (phase: ImportPhase, ms: number) => void;
  },
): Promise<ImportSummary> {
  const { provider, parsed } = input;
  let last = performance.now();
  const phase = (name: ImportPhase) => {
    const now = performance.now();
    input.onPhase?.(name, now - last);
    last = now;
  };
  if (parsed.errors.length > 0)
    return {
      provider,
      lines: parsed.dataLines,
      newLines: 0,
      matched: 0,
      cases: emptyCounts(),
      errors: parsed.errors,
      batchId: null,
    };
  return transaction(ctx.db, 'full', async (tx) => {
    const at = ctx.clock.now().toISOString();
    const batchId = ctx.ids.next('stb');
    const unique = [...new Map(parsed.lines.map((l) => [l.key, l])).values()];
    const days = [...new Set(unique.map((l) => providerDay(l.at)))].sort();
    await tx
      .insertInto('statement_batches')
      .values({
        id: batchId,
        provider,
        store_id: input.storeId,
        file_name: input.fileName,
        file_sha256: input.sha256,
        lines: parsed.dataLines,
        new_lines: 0,
        first_day: days[0] ?? null,
        last_day: days.at(-1) ?? null,
        imported_by: ctx.actor?.staffId ?? 'cli',
        imported_at: at,
      })
      .execute();
    let newLines = 0;
    for (const l of unique) newLines += await INSERT_LINE.run(tx, lineRow(l, batchId));
    await tx
      .updateTable('statement_batches')
      .set({ new_lines: newLines })
      .where('id', '=', batchId)
      .execute();
    phase('store_lines');

    const summary =
      days.length === 0
        ? { matched: 0, cases: [] as FoundCase[] }
        : await rematchDays(tx, ctx, provider, days, unique, input.storeId, batchId, phase);
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
        lines: parsed.dataLines,
        newLines,
        days,
        matched: summary.matched,
        cases: countCases(summary.cases),
      },
    });
    return {
      provider,
      lines: parsed.dataLines,
      newLines,
      matched: summary.matched,
      cases: countCases(summary.cases),
      errors: [],
      batchId,
    };
  });
}

/** Matches the statement's days as a whole and stores what that finds; returns it. */
async function rematchDays(
  tx: Tx,
  ctx: Ctx,
  provider: StatementProvider,
  days: string[],
  fileLines: readonly StatementLine[],
  storeId: string | null,
  batchId: string,
  phase: (name: ImportPhase) => void,
): Promise<{ matched: number; cases: FoundCase[] }> {
  // This file's lines are in hand; only what other files brought for these days is read back.
  const others = await tx
    .selectFrom('statement_lines')
    .selectAll()
    .where('provider', '=', provider)
    .where('day', 'in', days)
    .where('batch_id', '<>', batchId)
    .execute();
  const lines = [...fileLines, ...others.map(lineOf)];
  // Attempts a day either side: a payment sent at 23:59 is on the next day's bill.
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
    ])
    .where('a.tender', '=', provider)
    .where('a.created_at', '>=', dayStart(days[0]!, -1))
    .where('a.created_at', '<', dayStart(days.at(-1)!, 2));
  if (storeId) q = q.where('a.store_id', '=', storeId);
  const rows = await q.execute();
  const storeOf = new Map(rows.map((r) => [r.id, r.store_id]));
  const recorded = [...new Map(rows.map((r) => [r.id, r])).values()].map(
    (r): RecordedAttempt => ({
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
    }),
  );
  let proofsQuery = tx
    .selectFrom('manual_confirmations')
    .selectAll()
    .where('status', '=', 'awaiting_statement')
    .where('tender', '=', provider);
  if (storeId) proofsQuery = proofsQuery.where('store_id', '=', storeId);
  const proofRows = await proofsQuery.execute();
  const proofStore = new Map(proofRows.map((m) => [m.id, m.store_id]));
  const proofs = proofRows.map(
    (m): AwaitingProof => ({
      confirmationId: m.id,
      saleId: m.sale_id,
      amountFen: Number(m.amount_fen),
      paidOn: m.paid_on,
      reference: m.reference,
    }),
  );
  phase('load');
  const result = matchStatement(lines, recorded, proofs);
  phase('match');
  const at = ctx.clock.now().toISOString();
  for (const m of result.matched)
    await UPSERT_MATCH.run(tx, { line_key: m.lineKey, attempt_id: m.attemptId, matched_at: at });
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
  // What each open case is about, and on which day (its line's, or its attempt's).
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
    if (!day || !days.includes(day) || still.has(c.about)) continue;
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
  phase('store_results');
  return {
    matched: result.matched.filter((m) => money.has(m.lineKey)).length,
    cases: result.cases.filter((c) => openNow.has(about(c))),
  };
}

function lineRow(l: StatementLine, batchId: string): StatementLinesTable {
  return {
    key: l.key,
    provider: l.provider,
    batch_id: batchId,
    line_no: l.line,
    kind: l.kind,
    merchant_order_no: l.merchantOrderNo,
    provider_ref: l.providerRef,
    refund_no: l.refundNo,
    amount_fen: l.amountFen,
    fee_fen: l.feeFen,
    at: l.at,
    day: providerDay(l.at),
    terminal_id: l.terminalId,
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
    feeFen: Number(r.fee_fen),
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
  const bytes = await readFile(input.file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let parsed: ParsedStatement;
  try {
    parsed =
      input.provider === 'alipay'
        ? await parseStatementBytes('alipay', bytes)
        : await parseStatementFile(input.provider, input.file);
  } catch (error: unknown) {
    if (!(error instanceof StatementFileError)) throw error;
    parsed = {
      provider: input.provider,
      lines: [],
      errors: [lineError(0, { code: 'not_a_file', message: error.message })],
      dataLines: 0,
    };
  }
  return importStatement(ctx, {
    provider: input.provider,
    parsed,
    fileName: basename(input.file),
    sha256,
    storeId: input.storeId,
  });
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
