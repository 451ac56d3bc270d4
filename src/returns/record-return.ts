/**
 * A return recorded at a till, in one transaction with the sale's side of it (sales' returnOnSale):
 * the lines and their money checked (model.ts) and allowed by the store's policy (policy.ts), the
 * refund split across the sale's own tenders by each provider's rules (refund-plan.ts) — a refund
 * attempt per card or wallet part, saved before anything is sent and sent after the commit; cash
 * from the drawer; what no provider will take back in cash only with a manager's approval — and
 * the goods back in stock, on sale or set aside as damaged. Every part is audited.
 */

import { spendApproval } from '../approvals';
import type { Ctx } from '../context';
import type {
  PaymentsTable,
  ReturnLinesTable,
  ReturnRefundsTable,
  SaleLinesTable,
  SalesTable,
  Tx,
} from '../db';
import { nextNumber } from '../db';
import { businessDayOf, localDateKey, Refusal } from '../kernel';
import { attemptById, refundableFen, refundHistoryOf, refundThroughOrigin } from '../payments';
import { type AuditDraft, approvalUsed, type ReturnBooking, returnOnSale } from '../sales';
import type { ReturnDisposition, ReturnReason } from '../shared';
import { type MovementWrite, writeMovements } from '../stock';
import { DEFAULT_TERMS, storeFacts, storeReturnTerms } from '../stores';
import { planReturn, type SoldLine } from './model';
import { policyAllows } from './policy';
import { DEFAULT_REFUND_RULES, type PaidTender, planRefund, type RefundPart } from './refund-plan';
import { cashInPlaceOf, cashInPlaceOfSale, returnedOfSale } from './store';

export interface ReturnInput {
  lines: { lineId: string; qty: number; disposition: ReturnDisposition }[];
  reason: ReturnReason;
  note: string;
  withReceipt: boolean;
  /** A manager's approval: for the cash fallback, or for a return without the receipt. */
  approvalId?: string | null | undefined;
}

/** The sale's payments as the refund plan needs them: each attempt's own, cash as one pool. */
async function paidTenders(
  tx: Tx,
  saleId: string,
  payments: readonly PaymentsTable[],
): Promise<PaidTender[]> {
  const tenders: PaidTender[] = [];
  const cashPaid = payments.filter((p) => p.tender === 'cash' && p.status === 'succeeded');
  const cashBack = payments.filter((p) => p.tender === 'cash' && p.status === 'refunded');
  // Cash the drawer paid in place of a card or wallet is that payment's, not the cash paid's.
  const inPlace = await cashInPlaceOfSale(tx, saleId);
  if (cashPaid.length > 0)
    tenders.push({
      paymentId: cashPaid[0]!.id,
      attemptId: null,
      tender: 'cash',
      paidFen: cashPaid.reduce((s, p) => s + Number(p.amount_fen), 0),
      refundedFen: Math.max(0, cashBack.reduce((s, p) => s - Number(p.amount_fen), 0) - inPlace),
      paidAt: Date.parse(cashPaid[0]!.created_at),
      paidDay: businessDayOf(Date.parse(cashPaid[0]!.created_at)),
      batchOpen: false,
      refundsSoFar: 0,
      lastRefundAt: null,
    });
  for (const p of payments) {
    if (p.tender === 'cash' || p.status !== 'succeeded') continue;
    const paidAt = Date.parse(p.created_at);
    if (!p.attempt_id) {
      // Money no attempt of ours took (a bank transfer a statement proved): no provider gives it back.
      tenders.push({
        paymentId: p.id,
        attemptId: null,
        tender: p.tender,
        paidFen: Number(p.amount_fen),
        refundedFen: 0,
        paidAt,
        paidDay: businessDayOf(paidAt),
        batchOpen: false,
        refundsSoFar: 0,
        lastRefundAt: null,
      });
      continue;
    }
    const attempt = await attemptById(tx, p.attempt_id);
    const history = await refundHistoryOf(tx, attempt.id);
    // What the drawer paid in its place (no provider would, or its refund failed) is given back too.
    const inCash = await cashInPlaceOf(tx, attempt.id);
    tenders.push({
      paymentId: p.id,
      attemptId: attempt.id,
      tender: p.tender,
      paidFen: Number(p.amount_fen),
      refundedFen: Number(p.amount_fen) - (await refundableFen(tx, attempt)) + inCash,
      paidAt,
      paidDay: businessDayOf(paidAt),
      // The terminal's batch is not known to the till yet: a card is refunded (退货), never voided.
      batchOpen: false,
      refundsSoFar: history.count,
      lastRefundAt: history.lastAt === null ? null : Date.parse(history.lastAt),
    });
  }
  return tenders;
}

export interface RecordedReturn {
  returnId: string;
  /** Of the return's value, what went as credit to an exchange's sale (the rest back to tenders). */
  creditFen: number;
}

/** An exchange: the sale of the goods taken instead, and what it costs (its credit's ceiling). */
export interface ExchangeFor {
  saleId: string;
  totalFen: number;
}

export async function recordReturn(
  ctx: Ctx,
  saleId: string,
  input: ReturnInput,
  created: string[],
  exchange: ExchangeFor | null = null,
): Promise<RecordedReturn> {
  const actor = ctx.actor;
  if (!actor?.tillId) throw new Refusal('wrong_surface', 'a return is taken at a till');
  const tillId = actor.tillId;
  let recorded: RecordedReturn = { returnId: '', creditFen: 0 };
  await returnOnSale(ctx, saleId, async (tx, sale, lines, payments) => {
    const returnId = ctx.ids.next('ret');
    const booking = await bookReturn(ctx, tx, {
      sale,
      lines,
      payments,
      input,
      tillId,
      returnId,
      created,
      exchange,
    });
    recorded = { returnId, creditFen: booking.creditFen };
    return booking;
  });
  return recorded;
}

async function bookReturn(
  ctx: Ctx,
  tx: Tx,
  r: {
    sale: SalesTable;
    lines: SaleLinesTable[];
    payments: PaymentsTable[];
    input: ReturnInput;
    tillId: string;
    returnId: string;
    created: string[];
    exchange: ExchangeFor | null;
  },
): Promise<ReturnBooking & { creditFen: number }> {
  const { sale, input } = r;
  const actor = ctx.actor!;
  const now = ctx.clock.now();
  if (!sale.completed_at) throw new Refusal('sale_not_returnable');
  const terms = (await storeReturnTerms(tx, sale.store_id)) ?? DEFAULT_TERMS;
  const rules = { ...DEFAULT_REFUND_RULES, ...terms.refunds };
  const verdict = policyAllows(terms.policy, {
    soldDay: businessDayOf(Date.parse(sale.completed_at)),
    today: businessDayOf(now.getTime()),
    withReceipt: input.withReceipt,
    reason: input.reason,
  });
  if (!verdict.ok)
    throw new Refusal(
      verdict.code,
      undefined,
      verdict.code === 'return_window_passed' ? { lastDay: verdict.lastDay } : {},
    );
  const sold: SoldLine[] = r.lines.map((l) => ({
    lineId: l.id,
    variantId: l.variant_id,
    qty: l.qty,
    totalFen: Number(l.total_fen),
  }));
  const plan = planReturn(sold, await returnedOfSale(tx, sale.id), input.lines);
  if (!plan.ok) {
    const { code, ...extra } = plan.problem;
    throw new Refusal(code, undefined, extra);
  }
  const audit: AuditDraft[] = [];
  // An exchange keeps the value as credit for the goods taken instead; only what is left goes back.
  const creditFen = r.exchange ? Math.min(plan.refundFen, r.exchange.totalFen) : 0;
  const backFen = plan.refundFen - creditFen;
  let parts: RefundPart[];
  let approvalSpent = false;
  const spend = async (action: 'return_cash_fallback' | 'return_without_receipt') => {
    const spent = await spendApproval(ctx, tx, input.approvalId, {
      action,
      storeId: sale.store_id,
      saleId: sale.id,
    });
    audit.push(approvalUsed(spent, action));
    approvalSpent = true;
  };
  if (backFen === 0) parts = [];
  else if (verdict.mode === 'cash_with_approval') {
    if (backFen > verdict.cashLimitFen)
      throw new Refusal('return_cash_over_limit', undefined, { cashLimitFen: verdict.cashLimitFen });
    await spend('return_without_receipt');
    parts = [cashPart(backFen)];
  } else {
    const refund = planRefund(
      await paidTenders(tx, sale.id, r.payments),
      backFen,
      { at: now.getTime(), day: businessDayOf(now.getTime()) },
      rules,
    );
    // A return of lines worth nothing (fully discounted) gives nothing back; more than the sale
    // still holds (a complaint's refund gave some back) is refused with what it holds.
    if (!refund.ok && refund.code === 'refund_exceeds_refundable')
      throw new Refusal('refund_exceeds_refundable', undefined, { refundableFen: refund.refundableFen });
    parts = refund.ok ? refund.parts : [];
    const blocked = parts.filter((p) => p.blocked !== null);
    if (blocked.length > 0) {
      // What no provider takes back goes back in cash, only with a manager's approval.
      if (!input.approvalId)
        throw new Refusal('approval_required', undefined, {
          action: 'return_cash_fallback',
          minRole: 'manager',
          blocked: blocked.map((p) => ({ tender: p.tender, amountFen: p.amountFen, ...p.blocked })),
        });
      await spend('return_cash_fallback');
    }
  }

  const at = now.toISOString();
  const store = await storeFacts(tx, sale.store_id);
  const dateKey = localDateKey(now, store?.timeZone ?? 'Asia/Shanghai');
  const n = await nextNumber(tx, sale.store_id, `return:${dateKey}`);
  const number = `${store?.code ?? 'S'}-R${dateKey}-${String(n).padStart(4, '0')}`;
  await tx
    .insertInto('returns')
    .values({
      id: r.returnId,
      number,
      store_id: sale.store_id,
      sale_id: sale.id,
      till_id: r.tillId,
      reason: input.reason,
      note: input.note,
      with_receipt: input.withReceipt ? 1 : 0,
      refund_fen: plan.refundFen,
      approval_id: approvalSpent ? (input.approvalId ?? null) : null,
      created_by: actor.staffId,
      created_at: at,
      exchange_sale_id: r.exchange?.saleId ?? null,
      credit_fen: creditFen,
    })
    .execute();
  const disposition = new Map(input.lines.map((l) => [l.lineId, l.disposition]));
  const lineRows: ReturnLinesTable[] = plan.lines.map((l) => ({
    id: ctx.ids.next('rtl'),
    return_id: r.returnId,
    sale_line_id: l.lineId,
    variant_id: l.variantId,
    qty: l.qty,
    refund_fen: l.refundFen,
    disposition: disposition.get(l.lineId) ?? 'restock',
  }));
  await tx.insertInto('return_lines').values(lineRows).execute();

  let cashFen = 0;
  const refundRows: ReturnRefundsTable[] = [];
  for (const part of parts) {
    const row: ReturnRefundsTable = {
      id: ctx.ids.next('rtr'),
      return_id: r.returnId,
      tender: part.tender,
      amount_fen: part.amountFen,
      operation: part.operation ?? 'cash_fallback',
      original_attempt_id: part.attemptId,
      attempt_id: null,
      blocked: part.blocked ? part.blocked.code : null,
      replaces: null,
    };
    if (part.operation && part.operation !== 'cash_refund' && part.attemptId) {
      // WeChat Pay's minute between refunds of an order: saved now, sent when the minute is up.
      const notBefore = part.notBefore === null ? null : new Date(part.notBefore).toISOString();
      const refund = await refundThroughOrigin(ctx, tx, part.attemptId, {
        amountFen: part.amountFen,
        staffId: actor.staffId,
        why: 'return',
        notBefore,
      });
      row.attempt_id = refund.row.id;
      if (notBefore === null) r.created.push(refund.row.id);
      audit.push(refund.audit);
    } else cashFen += part.amountFen;
    refundRows.push(row);
  }
  if (refundRows.length > 0) await tx.insertInto('return_refunds').values(refundRows).execute();

  const moves: MovementWrite[] = plan.lines.flatMap((l) => {
    const back: MovementWrite = {
      storeId: sale.store_id,
      variantId: l.variantId,
      kind: 'return',
      delta: l.qty,
      refType: 'return',
      refId: r.returnId,
      actorId: actor.staffId,
    };
    // Damaged goods come back into the ledger and straight out of what may be sold.
    return disposition.get(l.lineId) === 'damaged'
      ? [back, { ...back, kind: 'adjust' as const, delta: -l.qty, note: 'damaged: set aside' }]
      : [back];
  });
  const stock = await writeMovements(tx, ctx, moves, null);
  audit.unshift({
    action: r.exchange ? 'return.exchanged' : 'return.recorded',
    entityType: 'return',
    entityId: r.returnId,
    after: {
      number,
      reason: input.reason,
      withReceipt: input.withReceipt,
      refundFen: plan.refundFen,
      ...(r.exchange ? { exchangeSaleId: r.exchange.saleId, creditFen } : {}),
      lines: lineRows.map((l) => ({
        lineId: l.sale_line_id,
        qty: l.qty,
        refundFen: l.refund_fen,
        disposition: l.disposition,
      })),
      refunds: refundRows.map((p) => ({
        tender: p.tender,
        amountFen: p.amount_fen,
        operation: p.operation,
        blocked: p.blocked,
      })),
      stock,
    },
  });
  return { cashFen, returnedFen: plan.refundFen, audit, creditFen };
}

const cashPart = (amountFen: number): RefundPart => ({
  paymentId: 'cash',
  attemptId: null,
  tender: 'cash',
  amountFen,
  operation: 'cash_refund',
  blocked: null,
  notBefore: null,
});
