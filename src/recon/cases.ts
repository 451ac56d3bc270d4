/**
 * The accountant's side of reconciliation: the cases a statement left open, each with its line,
 * the attempt it is about and the sales its money could belong to; and their resolutions, each
 * audited — link the money to the customer's proof of payment (the sale completes), refund it
 * through the provider that took it, or write the difference off (a manager's) — and reopening.
 */
import { appendAudit } from '../audit';
import { type Ctx, inTx } from '../context';
import { prepared, type ReconCasesTable, type Tx } from '../db';
import { decideManualConfirmation } from '../exceptions';
import { moveIn, Refusal } from '../kernel';
import { attemptById, attemptsByIds, auditRefundStarted, saveRefundAttempt } from '../payments';
import { saleNumbers } from '../sales';
import { RECON_CASE_LIFECYCLE } from './case-model';
import type { Candidate, CaseDetail, CaseKind } from './matcher';

/** How a case ended, for the screens to put in words (both languages). */
export type CaseResolution =
  | { code: 'proof_confirmed'; confirmationId: string }
  | { code: 'cleared'; batchId: string }
  | { code: 'linked'; confirmationId: string; reason: string }
  | { code: 'refunded'; refundOrderNo: string; reason: string }
  | { code: 'written_off'; reason: string };

export interface ReconCaseView {
  id: string;
  provider: string;
  storeId: string | null;
  kind: CaseKind;
  status: 'open' | 'resolved';
  amountFen: number;
  detail: CaseDetail;
  openedAt: string;
  resolution: CaseResolution | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  line: {
    key: string;
    kind: string;
    merchantOrderNo: string;
    providerRef: string;
    amountFen: number;
    at: string;
    terminalId: string | null;
  } | null;
  attempt: {
    id: string;
    status: string;
    merchantOrderNo: string;
    amountFen: number;
    saleNumber: string;
  } | null;
  candidates: (Candidate & { saleNumber: string | null })[];
  link: Candidate | null;
}

async function caseRow(db: Tx, id: string): Promise<ReconCasesTable> {
  const row = await db.selectFrom('recon_cases').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new Refusal('recon_case_unknown');
  return row;
}

export async function reconCaseDetail(ctx: Ctx, id: string): Promise<ReconCaseView> {
  const [view] = await viewsOf(ctx.db.kysely, [await caseRow(ctx.db.kysely, id)]);
  return view!;
}

export async function reconCasesOf(
  ctx: Ctx,
  storeId: string,
  filter: { status: 'open' | 'resolved' | null; limit: number },
): Promise<ReconCaseView[]> {
  let q = ctx.db.kysely.selectFrom('recon_cases').selectAll().where('store_id', '=', storeId);
  if (filter.status) q = q.where('status', '=', filter.status);
  return viewsOf(
    ctx.db.kysely,
    await q.orderBy('opened_at', 'desc').orderBy('id').limit(filter.limit).execute(),
  );
}

/** Cases as the screens show them: their lines, attempts and candidates' sales read once for all. */
async function viewsOf(db: Tx, rows: readonly ReconCasesTable[]): Promise<ReconCaseView[]> {
  const candidatesOf = new Map(rows.map((r) => [r.id, JSON.parse(r.candidates_json) as Candidate[]]));
  const lineKeys = rows.flatMap((r) => (r.line_key ? [r.line_key] : []));
  const attemptIds = rows.flatMap((r) => (r.attempt_id ? [r.attempt_id] : []));
  const saleIds = [...new Set([...candidatesOf.values()].flat().map((c) => c.saleId))];
  const lines = new Map(
    (lineKeys.length > 0
      ? await db.selectFrom('statement_lines').selectAll().where('key', 'in', lineKeys).execute()
      : []
    ).map((l) => [l.key, l]),
  );
  const attemptRows = await attemptsByIds(db, attemptIds);
  const attemptSales = await saleNumbers(
    db,
    attemptRows.map((a) => a.sale_id),
  );
  const attempts = new Map(
    attemptRows.map((a) => [a.id, { ...a, number: attemptSales.get(a.sale_id) ?? '' }] as const),
  );
  const numbers = await saleNumbers(db, saleIds);
  return rows.map((row) => {
    const line = row.line_key ? lines.get(row.line_key) : undefined;
    const attempt = row.attempt_id ? attempts.get(row.attempt_id) : undefined;
    return {
      id: row.id,
      provider: row.provider,
      storeId: row.store_id,
      kind: row.kind,
      status: row.status,
      amountFen: Number(row.amount_fen),
      detail: JSON.parse(row.detail) as CaseDetail,
      openedAt: row.opened_at,
      resolution: row.resolution ? (JSON.parse(row.resolution) as CaseResolution) : null,
      resolvedBy: row.resolved_by,
      resolvedAt: row.resolved_at,
      line: line
        ? {
            key: line.key,
            kind: line.kind,
            merchantOrderNo: line.merchant_order_no,
            providerRef: line.provider_ref,
            amountFen: Number(line.amount_fen),
            at: line.at,
            terminalId: line.terminal_id,
          }
        : null,
      attempt: attempt
        ? {
            id: attempt.id,
            status: attempt.status,
            merchantOrderNo: attempt.merchant_order_no,
            amountFen: Number(attempt.amount_fen),
            saleNumber: attempt.number,
          }
        : null,
      candidates: (candidatesOf.get(row.id) ?? []).map((c) => ({
        ...c,
        saleNumber: numbers.get(c.saleId) ?? null,
      })),
      link: row.link_json ? (JSON.parse(row.link_json) as Candidate) : null,
    };
  });
}

export type ReconResolution =
  | { action: 'link'; candidate: number; reason: string }
  | { action: 'refund'; reason: string }
  | { action: 'write_off'; reason: string };

/**
 * A person resolves a case. `link` gives the money to the customer's proof it belongs to (the sale
 * completes, its slip settles); an attempt candidate is settled on the review desk, not here.
 * `refund` gives a charge the store must not keep back through the provider, against the attempt
 * that took it (its id pushed to `created`, driven once this commits). `write_off` accepts the
 * difference, with the reason. Runs in the caller's idempotent transaction.
 */
export async function resolveReconCase(
  ctx: Ctx,
  id: string,
  input: ReconResolution,
  created: string[],
): Promise<ReconCaseView> {
  const actor = ctx.actor;
  if (!actor) throw new Refusal('unauthenticated');
  const tx = ctx.db.kysely;
  const row = await caseRow(tx, id);
  if (!moveIn(RECON_CASE_LIFECYCLE, row.status, 'resolve').ok) throw new Refusal('recon_case_not_open');
  let resolution: CaseResolution;
  let after: Record<string, unknown> = { action: input.action, reason: input.reason };
  if (input.action === 'link') {
    const candidate = (JSON.parse(row.candidates_json) as Candidate[])[input.candidate];
    if (row.kind !== 'charged_not_recorded' || !candidate) throw new Refusal('recon_no_such_candidate');
    if (candidate.type !== 'proof') throw new Refusal('recon_link_on_review_desk');
    const line = await tx
      .selectFrom('statement_lines')
      .select('provider_ref')
      .where('key', '=', row.line_key ?? '')
      .executeTakeFirst();
    await decideManualConfirmation(inTx(ctx, tx), candidate.confirmationId, {
      holds: true,
      statementRef: `${row.provider}:${line?.provider_ref ?? row.line_key}`,
    });
    resolution = { code: 'linked', confirmationId: candidate.confirmationId, reason: input.reason };
    after = { ...after, confirmationId: candidate.confirmationId, saleId: candidate.saleId };
  } else if (input.action === 'refund') {
    if (!['charged_not_recorded', 'duplicate_charge'].includes(row.kind) || !row.attempt_id)
      throw new Refusal('recon_refund_needs_attempt');
    const original = await attemptById(tx, row.attempt_id);
    const refund = await saveRefundAttempt(ctx, tx, original, {
      amountFen: Number(row.amount_fen),
      tillId: original.till_id,
      staffId: actor.staffId,
      why: 'reconciliation',
      // The statement line is the provider's word that it holds this money, whatever our record says.
      heldFen: Number(row.amount_fen),
    });
    created.push(refund.row.id);
    await auditRefundStarted(ctx, tx, refund, actor.staffId);
    resolution = { code: 'refunded', refundOrderNo: refund.row.merchant_order_no, reason: input.reason };
    after = { ...after, refundAttemptId: refund.row.id };
  } else {
    if (actor.role !== 'manager' && actor.role !== 'admin') throw new Refusal('forbidden');
    resolution = { code: 'written_off', reason: input.reason };
  }
  await closeCase(tx, ctx, row, 'resolve', resolution, actor.staffId, after);
  return reconCaseDetail(ctx, id);
}

export async function reopenReconCase(ctx: Ctx, id: string, reason: string): Promise<ReconCaseView> {
  const tx = ctx.db.kysely;
  const row = await caseRow(tx, id);
  if (!moveIn(RECON_CASE_LIFECYCLE, row.status, 'reopen').ok) throw new Refusal('recon_case_not_resolved');
  await closeCase(tx, ctx, row, 'reopen', null, ctx.actor?.staffId ?? 'system', { reason });
  return reconCaseDetail(ctx, id);
}

async function closeCase(
  tx: Tx,
  ctx: Ctx,
  row: ReconCasesTable,
  event: 'resolve' | 'reopen',
  resolution: CaseResolution | null,
  by: string,
  after: Record<string, unknown>,
): Promise<void> {
  const moved = moveIn(RECON_CASE_LIFECYCLE, row.status, event);
  if (!moved.ok) throw new Refusal(event === 'resolve' ? 'recon_case_not_open' : 'recon_case_not_resolved');
  const status = moved.to;
  const at = ctx.clock.now().toISOString();
  const written = await tx
    .updateTable('recon_cases')
    .set({
      status,
      resolution: resolution ? JSON.stringify(resolution) : null,
      resolved_by: status === 'resolved' ? by : null,
      resolved_at: status === 'resolved' ? at : null,
      version: row.version + 1,
    })
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(written.numUpdatedRows) !== 1)
    throw new Refusal('recon_case_not_open', 'changed meanwhile: reload');
  await appendAudit(tx, ctx.clock, ctx.ids, {
    storeId: row.store_id,
    actorId: by,
    action: status === 'resolved' ? 'recon.case_resolved' : 'recon.case_reopened',
    entityType: 'recon_case',
    entityId: row.id,
    before: { status: row.status, resolution: row.resolution ? JSON.parse(row.resolution) : null },
    after: { status, kind: row.kind, amountFen: Number(row.amount_fen), resolution, ...after },
  });
}

const STOREOFRECONCASE_Q = prepared((db, p: { key: string }) =>
  db.selectFrom('recon_cases').select('store_id').where('id', '=', p.key),
);

/** The store of a reconciliation case (null: a case of the chain) (the access guard asks, to scope a request); undefined when there is none. */
export async function storeOfReconCase(db: Tx, key: string): Promise<string | null | undefined> {
  const row = await STOREOFRECONCASE_Q.first(db, { key });
  return row ? row.store_id : undefined;
}
