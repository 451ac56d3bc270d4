/**
 * Asking for, deciding and using approvals. Both names and the reason go into the approval row and
 * its audit events; using a grant happens inside the guarded change's own transaction, so the
 * grant is spent if and only if the change commits.
 */
import { checkCredential } from '../access';
import { appendAudit } from '../audit';
import type { Actor, Ctx } from '../context';
import { type ApprovalsTable, lockedForUpdate, prepared, type Tx, transaction } from '../db';
import { moveIn, Port, Refusal } from '../kernel';
import {
  approversAt,
  checkApproval,
  GUARDED_ACTIONS,
  type GuardedAction,
  memberOf,
  namesOf,
  STAFF_BY_ID,
  type StaffMember,
} from '../staff';
import {
  APPROVAL_LIFECYCLE,
  type ApprovalStatus,
  displayStatus,
  GRANT_VALID_MS,
  grantProblem,
  PENDING_FOR_MS,
} from './model';

// What approvals asks of sales, which stands above it: plugged in at start-up.
/** The store of the sale an approval is asked for (undefined: no such sale). */
export const STORE_OF_SALE = new Port<(db: Tx, saleId: string) => Promise<string | null | undefined>>(
  'approvals.storeOfSale',
);
/** The numbers of the sales approvals are for, by id. */
export const SALE_NUMBERS = new Port<(db: Tx, saleIds: readonly string[]) => Promise<Map<string, string>>>(
  'approvals.saleNumbers',
);

export interface ApprovalView {
  id: string;
  storeId: string;
  action: GuardedAction;
  minRole: string;
  saleId: string | null;
  saleNumber: string | null;
  reason: string;
  status: ApprovalStatus | 'expired';
  requestedBy: { id: string; name: string };
  decidedBy: { id: string; name: string } | null;
  decidedVia: 'pin' | 'backoffice' | null;
  createdAt: string;
  decidedAt: string | null;
  expiresAt: string;
  usedAt: string | null;
  /** While pending, when the till should ask again (ms); null once decided or expired. */
  checkAgainInMs: number | null;
}

/** A back-office decision comes from a person at a screen: every two seconds is quick enough. */
const FOLLOW_PENDING_MS = 2_000;

const APPROVAL_FOR_UPDATE = prepared((db, p: { id: string }, dialect) =>
  lockedForUpdate(db.selectFrom('approvals').selectAll().where('id', '=', p.id), dialect),
);

function requireActor(ctx: Ctx): Actor {
  if (!ctx.actor) throw new Refusal('unauthenticated');
  return ctx.actor;
}

async function viewsOf(db: Tx, rows: ApprovalsTable[], now: number): Promise<ApprovalView[]> {
  if (rows.length === 0) return [];
  const staffIds = [...new Set(rows.flatMap((r) => [r.requested_by, r.decided_by ?? r.requested_by]))];
  const saleIds = [...new Set(rows.flatMap((r) => (r.sale_id ? [r.sale_id] : [])))];
  const names = await namesOf(db, staffIds);
  const numbers = saleIds.length === 0 ? new Map<string, string>() : await SALE_NUMBERS.call(db, saleIds);
  return rows.map((r) => ({
    id: r.id,
    storeId: r.store_id,
    action: r.action,
    minRole: GUARDED_ACTIONS[r.action],
    saleId: r.sale_id,
    saleNumber: r.sale_id ? (numbers.get(r.sale_id) ?? null) : null,
    reason: r.reason,
    status: displayStatus(r.status, Date.parse(r.expires_at), now),
    requestedBy: { id: r.requested_by, name: names.get(r.requested_by) ?? r.requested_by },
    decidedBy: r.decided_by ? { id: r.decided_by, name: names.get(r.decided_by) ?? r.decided_by } : null,
    decidedVia: r.decided_via,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
    checkAgainInMs:
      displayStatus(r.status, Date.parse(r.expires_at), now) === 'pending' ? FOLLOW_PENDING_MS : null,
  }));
}

async function viewOf(db: Tx, row: ApprovalsTable, now: number): Promise<ApprovalView> {
  return (await viewsOf(db, [row], now))[0]!;
}

async function auditDecision(
  ctx: Ctx,
  tx: Tx,
  row: ApprovalsTable,
  approver: { id: string; name: string },
  requesterName: string,
): Promise<void> {
  await appendAudit(tx, ctx.clock, ctx.ids, {
    storeId: row.store_id,
    actorId: approver.id,
    action: row.status === 'denied' ? 'approval.denied' : 'approval.granted',
    entityType: 'approval',
    entityId: row.id,
    saleId: row.sale_id,
    after: {
      action: row.action,
      reason: row.reason,
      requestedBy: { id: row.requested_by, name: requesterName },
      decidedBy: approver,
      via: row.decided_via,
    },
  });
}

/** A request granted as it is made: the lifecycle's start, granted. */
function grantedAtOnce(): ApprovalStatus {
  const granted = moveIn(APPROVAL_LIFECYCLE, APPROVAL_LIFECYCLE.initial, 'grant');
  if (!granted.ok) throw new Error('invariant: a new approval cannot be granted');
  return granted.to;
}

/**
 * A cashier asks for an approval. With an approver's code and PIN it is decided at once (the
 * approver stands at the till); without, it waits for the back office.
 */
export async function requestApproval(
  ctx: Ctx,
  input: {
    action: GuardedAction;
    saleId: string | null;
    reason: string;
    approver?: { staffCode: string; pin: string } | undefined;
  },
  /** Where the approver's PIN is typed (the caller's address): its wrong PINs lock it there only. */
  client = 'unknown',
): Promise<ApprovalView> {
  const actor = requireActor(ctx);
  const db = ctx.db.kysely;
  let storeId = actor.storeId;
  if (input.saleId) {
    const saleStore = await STORE_OF_SALE.call(db, input.saleId);
    if (!saleStore) throw new Refusal('sale_unknown');
    if (actor.storeId !== null && saleStore !== actor.storeId) throw new Refusal('other_store');
    storeId = saleStore;
  }
  if (storeId === null) throw new Refusal('store_unknown', 'an approval belongs to a store');
  const store = storeId;
  const now = ctx.clock.now();
  const base = (): ApprovalsTable => ({
    id: ctx.ids.next('apr'),
    store_id: store,
    action: input.action,
    sale_id: input.saleId,
    reason: input.reason,
    status: APPROVAL_LIFECYCLE.initial,
    requested_by: actor.staffId,
    decided_by: null,
    decided_via: null,
    created_at: now.toISOString(),
    decided_at: null,
    expires_at: new Date(now.getTime() + PENDING_FOR_MS).toISOString(),
    used_at: null,
  });

  if (!input.approver) {
    return transaction(ctx.db, 'full', async (tx) => {
      const row = base();
      await tx.insertInto('approvals').values(row).execute();
      await appendAudit(tx, ctx.clock, ctx.ids, {
        storeId: store,
        actorId: actor.staffId,
        action: 'approval.requested',
        entityType: 'approval',
        entityId: row.id,
        saleId: row.sale_id,
        after: {
          action: row.action,
          reason: row.reason,
          requestedBy: { id: actor.staffId, name: actor.name },
        },
      });
      return viewOf(tx, row, now.getTime());
    });
  }

  const outcome = await checkCredential(
    ctx,
    {
      surface: 'till',
      purpose: 'approval',
      staffCode: input.approver.staffCode,
      secret: input.approver.pin,
      storeId: store,
      tillId: actor.tillId,
      presentedSessionId: null,
      client,
    },
    async (tx, approverRow) => {
      const approver = memberOf(approverRow);
      const verdict = checkApproval(input.action, { id: actor.staffId }, approver, store);
      if (!verdict.ok) {
        // The refusal is recorded: who tried to approve what, and why it was not allowed.
        await appendAudit(tx, ctx.clock, ctx.ids, {
          storeId: store,
          actorId: approver.id,
          action: 'approval.refused',
          entityType: 'staff',
          entityId: approver.id,
          saleId: input.saleId,
          after: { action: input.action, reason: verdict.code, requestedBy: actor.staffId },
        });
        return { ok: false as const, code: verdict.code };
      }
      // Asked for and granted in one go, by the approver's PIN at the till.
      const row: ApprovalsTable = {
        ...base(),
        status: grantedAtOnce(),
        decided_by: approver.id,
        decided_via: 'pin',
        decided_at: now.toISOString(),
        expires_at: new Date(now.getTime() + GRANT_VALID_MS).toISOString(),
      };
      await tx.insertInto('approvals').values(row).execute();
      await auditDecision(ctx, tx, row, { id: approver.id, name: approverRow.name }, actor.name);
      return { ok: true as const, view: await viewOf(tx, row, now.getTime()) };
    },
  );
  if (!outcome.ok) throw new Refusal(outcome.code);
  return outcome.view;
}

/** Who may approve `action` at the store for the caller, by PIN at the till (the rule's own list). */
export async function approversFor(ctx: Ctx, storeId: string, action: GuardedAction) {
  return approversAt(ctx.db.kysely, storeId, action, { id: requireActor(ctx).staffId });
}

/** The back office decides a pending request, as the signed-in supervisor or manager. */
export async function decideApproval(ctx: Ctx, approvalId: string, grant: boolean): Promise<ApprovalView> {
  const actor = requireActor(ctx);
  return transaction(ctx.db, 'full', async (tx) => {
    const row = await APPROVAL_FOR_UPDATE.first(tx, { id: approvalId });
    if (!row) throw new Refusal('approval_unknown');
    const now = ctx.clock.now();
    if (displayStatus(row.status, Date.parse(row.expires_at), now.getTime()) !== 'pending')
      throw new Refusal('approval_not_pending');
    const approverRow = await STAFF_BY_ID.first(tx, { id: actor.staffId });
    const approver: StaffMember = approverRow
      ? memberOf(approverRow)
      : { id: actor.staffId, role: actor.role, storeId: actor.storeId, active: false };
    if (grant) {
      const verdict = checkApproval(row.action, { id: row.requested_by }, approver, row.store_id);
      if (!verdict.ok) throw new Refusal(verdict.code);
    }
    const moved = moveIn(APPROVAL_LIFECYCLE, row.status, grant ? 'grant' : 'deny');
    if (!moved.ok) throw new Refusal('approval_not_pending');
    const decided: ApprovalsTable = {
      ...row,
      status: moved.to,
      decided_by: actor.staffId,
      decided_via: 'backoffice',
      decided_at: now.toISOString(),
      expires_at: grant ? new Date(now.getTime() + GRANT_VALID_MS).toISOString() : row.expires_at,
    };
    await tx
      .updateTable('approvals')
      .set({
        status: decided.status,
        decided_by: decided.decided_by,
        decided_via: decided.decided_via,
        decided_at: decided.decided_at,
        expires_at: decided.expires_at,
      })
      .where('id', '=', approvalId)
      .execute();
    const requester = await STAFF_BY_ID.first(tx, { id: row.requested_by });
    await auditDecision(
      ctx,
      tx,
      decided,
      { id: actor.staffId, name: actor.name },
      requester?.name ?? row.requested_by,
    );
    return viewOf(tx, decided, now.getTime());
  });
}

export async function getApproval(ctx: Ctx, approvalId: string): Promise<ApprovalView> {
  const row = await ctx.db.kysely
    .selectFrom('approvals')
    .selectAll()
    .where('id', '=', approvalId)
    .executeTakeFirst();
  if (!row) throw new Refusal('approval_unknown');
  return viewOf(ctx.db.kysely, row, ctx.clock.now().getTime());
}

export async function listApprovals(
  ctx: Ctx,
  storeId: string,
  status: ApprovalStatus | null,
  limit: number,
): Promise<ApprovalView[]> {
  let query = ctx.db.kysely.selectFrom('approvals').selectAll().where('store_id', '=', storeId);
  if (status) query = query.where('status', '=', status);
  const rows = await query.orderBy('created_at', 'desc').limit(limit).execute();
  return viewsOf(ctx.db.kysely, rows, ctx.clock.now().getTime());
}

export interface SpentApproval {
  approvalId: string;
  reason: string;
  requestedBy: { id: string; name: string };
  approvedBy: { id: string; name: string };
}

/**
 * Spends a grant inside the guarded change's transaction. Without one, the change is refused with
 * `approval_required`, naming the action and the role that may approve it, so the till can ask.
 */
export async function spendApproval(
  ctx: Ctx,
  tx: Tx,
  approvalId: string | null | undefined,
  use: { action: GuardedAction; storeId: string; saleId: string | null },
): Promise<SpentApproval> {
  const actor = requireActor(ctx);
  const required = () =>
    new Refusal('approval_required', undefined, { action: use.action, minRole: GUARDED_ACTIONS[use.action] });
  if (!approvalId) throw required();
  const row = await APPROVAL_FOR_UPDATE.first(tx, { id: approvalId });
  if (!row) throw new Refusal('approval_invalid', 'no such approval');
  const now = ctx.clock.now();
  const problem = grantProblem(
    {
      status: row.status,
      action: row.action,
      storeId: row.store_id,
      saleId: row.sale_id,
      requestedBy: row.requested_by,
      expiresAt: Date.parse(row.expires_at),
    },
    { ...use, requesterId: actor.staffId },
    now.getTime(),
  );
  if (problem) throw new Refusal('approval_invalid', problem);
  const used = moveIn(APPROVAL_LIFECYCLE, row.status, 'use');
  if (!used.ok) throw new Refusal('approval_invalid', 'not granted');
  await tx
    .updateTable('approvals')
    .set({ status: used.to, used_at: now.toISOString() })
    .where('id', '=', approvalId)
    .execute();
  const approver = await STAFF_BY_ID.first(tx, { id: row.decided_by ?? '' });
  return {
    approvalId,
    reason: row.reason,
    requestedBy: { id: row.requested_by, name: actor.name },
    approvedBy: { id: row.decided_by ?? 'unknown', name: approver?.name ?? 'unknown' },
  };
}

const STOREOFAPPROVAL_Q = prepared((db, p: { key: string }) =>
  db.selectFrom('approvals').select('store_id').where('id', '=', p.key),
);

/** The store of an approval (the access guard asks, to scope a request); undefined when there is none. */
export async function storeOfApproval(db: Tx, key: string): Promise<string | null | undefined> {
  const row = await STOREOFAPPROVAL_Q.first(db, { key });
  return row?.store_id;
}
