/**
 * Money recorded on a sale, in the caller's transaction: a payment row, the completion it may bring
 * (stock moved exactly once, the completion hooks), refunds and duplicate charges.
 */
import { appendAudit } from '../audit';
import { actorIdOf, type Ctx } from '../context';
import {
  type PaymentsTable,
  prepared,
  rowOf,
  type SaleLinesTable,
  type SalesTable,
  type Tx,
  transaction,
} from '../db';
import { Refusal } from '../kernel';
import type { BookedTender, PaymentStatus } from '../shared';
import { writeMovements } from '../stock';
import { runCompletionHooks } from './ports';
import { type AuditDraft, saleStockMoves } from './sale-change';

export const INSERT_PAYMENT = prepared((db, p: PaymentsTable) =>
  db
    .insertInto('payments')
    .values(
      rowOf(p, [
        'id',
        'sale_id',
        'store_id',
        'tender',
        'status',
        'amount_fen',
        'tendered_fen',
        'change_fen',
        'created_at',
        'attempt_id',
        'till_id',
      ]),
    ),
);

/** One payment row on a sale, in the caller's transaction; returns its id. */
export async function insertPayment(
  tx: Tx,
  ctx: Ctx,
  sale: { id: string; store_id: string },
  p: {
    tender: BookedTender;
    status: PaymentStatus;
    amountFen: number;
    tenderedFen: number;
    changeFen: number;
    attemptId: string | null;
    /** Where the money moved, when not at the sale's till (a return's cash at another till). */
    tillId?: string | null;
  },
): Promise<string> {
  const id = ctx.ids.next('pay');
  await INSERT_PAYMENT.run(tx, {
    id,
    sale_id: sale.id,
    store_id: sale.store_id,
    tender: p.tender,
    status: p.status,
    amount_fen: p.amountFen,
    tendered_fen: p.tenderedFen,
    change_fen: p.changeFen,
    created_at: ctx.clock.now().toISOString(),
    attempt_id: p.attemptId,
    till_id: p.tillId ?? null,
  });
  return id;
}

/** The sale is paid: its goods leave stock (as its slip left them) and the completion hooks run, in the caller's transaction. */
async function completeSale(tx: Tx, ctx: Ctx, sale: SalesTable, lines: SaleLinesTable[]) {
  const movements = await writeMovements(tx, ctx, completionMoves(ctx, sale, lines), null);
  const hooked = await runCompletionHooks(tx, ctx, sale);
  return { movements, hooked };
}

/**
 * A payment for the sale (cash, or an attempt's money), in the mutation's transaction: the row,
 * and — when nothing is left due — the completion (stock, hooks); otherwise the sale stays as
 * `notDone` says. Returns the sale's new fields and the audit events of both.
 */
export async function takePayment(
  tx: Tx,
  ctx: Ctx,
  sale: SalesTable,
  lines: SaleLinesTable[],
  p: {
    tender: BookedTender;
    amountFen: number;
    tenderedFen: number;
    changeFen: number;
    attemptId: string | null;
    /** Money the till never saw, proven by a statement line (an on-account sale settled by it). */
    statementRef?: string;
    /** An exchange's credit: the return whose goods pay for these. */
    returnId?: string;
  },
  notDone: Partial<SalesTable>,
): Promise<{ saleFields: Partial<SalesTable>; audit: AuditDraft[] }> {
  const { statementRef, returnId, ...row } = p;
  const paymentId = await insertPayment(tx, ctx, sale, { ...row, status: 'succeeded' });
  const paidFen = sale.paid_fen + p.amountFen;
  const complete = paidFen >= sale.total_fen;
  const { movements, hooked } = complete
    ? await completeSale(tx, ctx, sale, lines)
    : { movements: [], hooked: [] };
  const recorded = p.attemptId
    ? { tender: p.tender, amountFen: p.amountFen, attemptId: p.attemptId }
    : statementRef !== undefined
      ? { tender: p.tender, amountFen: p.amountFen, statementRef }
      : returnId !== undefined
        ? { tender: p.tender, amountFen: p.amountFen, returnId }
        : { tender: p.tender, amountFen: p.amountFen, tenderedFen: p.tenderedFen, changeFen: p.changeFen };
  return {
    saleFields: complete
      ? {
          status: 'completed',
          paid_fen: paidFen,
          change_fen: p.changeFen,
          completed_at: ctx.clock.now().toISOString(),
        }
      : { ...notDone, paid_fen: paidFen },
    audit: [
      ...hooked,
      { action: 'payment.recorded', entityType: 'payment', entityId: paymentId, after: recorded },
      ...(complete
        ? [
            {
              action: 'sale.completed',
              before: { status: sale.status, paidFen: sale.paid_fen },
              after: { status: 'completed', paidFen, totalFen: sale.total_fen, stock: movements },
            },
          ]
        : []),
    ],
  };
}

/** Creates the refund attempts for card and wallet payments of a sale being voided; returns their audit events. */
export type RefundOwer = (tx: Tx, sale: SalesTable, payments: PaymentsTable[]) => Promise<AuditDraft[]>;

/**
 * A payment row beside the sale's own takings (a refund, a duplicate charge), with its audit event,
 * in one transaction; `status` is decided once the sale's existing rows can be read.
 */
async function addPaymentRow(
  ctx: Ctx,
  saleId: string,
  entry: { tender: BookedTender; amountFen: number; tenderedFen: number; attemptId: string },
  decide: (tx: Tx) => Promise<{ status: PaymentStatus; action: string }>,
): Promise<void> {
  await transaction(ctx.db, 'full', async (tx) => {
    const sale = await tx
      .selectFrom('sales')
      .select(['store_id', 'cashier_id'])
      .where('id', '=', saleId)
      .executeTakeFirst();
    if (!sale) throw new Refusal('sale_unknown');
    const { status, action } = await decide(tx);
    const id = await insertPayment(
      tx,
      ctx,
      { id: saleId, store_id: sale.store_id },
      {
        tender: entry.tender,
        status,
        amountFen: entry.amountFen,
        tenderedFen: entry.tenderedFen,
        changeFen: 0,
        attemptId: entry.attemptId,
      },
    );
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.store_id,
      actorId: actorIdOf(ctx, sale.cashier_id),
      action,
      entityType: 'payment',
      entityId: id,
      saleId,
      after: { tender: entry.tender, amountFen: entry.amountFen, attemptId: entry.attemptId },
    });
  });
}

/**
 * A refund attempt gave money back: a negative payment row on the sale, and its audit event. The
 * refund of a duplicate charge (`recordDuplicateCharge`) is marked as such, so the sale's own
 * payments still add up to what it was paid.
 */
export function recordRefund(
  ctx: Ctx,
  saleId: string,
  refund: { tender: BookedTender; amountFen: number; attemptId: string; refundOf: string | null },
): Promise<void> {
  const entry = { ...refund, amountFen: -refund.amountFen, tenderedFen: 0 };
  return addPaymentRow(ctx, saleId, entry, async (tx) => {
    const original = refund.refundOf
      ? await tx
          .selectFrom('payments')
          .select('status')
          .where('sale_id', '=', saleId)
          .where('attempt_id', '=', refund.refundOf)
          .executeTakeFirst()
      : undefined;
    return original?.status === 'duplicate'
      ? { status: 'duplicate_refunded', action: 'payment.duplicate_refunded' }
      : { status: 'refunded', action: 'payment.refunded' };
  });
}

/**
 * Money a provider took that the sale did not want (a second charge after the lock was lifted, or
 * one that came in after the sale was paid or voided), found by a review: it goes on the sale's
 * books as a duplicate — outside what the sale was paid — until its refund nets it out.
 */
export function recordDuplicateCharge(
  ctx: Ctx,
  saleId: string,
  charge: { tender: BookedTender; amountFen: number; attemptId: string },
): Promise<void> {
  const entry = { ...charge, tenderedFen: charge.amountFen };
  return addPaymentRow(ctx, saleId, entry, async () => ({
    status: 'duplicate',
    action: 'payment.duplicate_recorded',
  }));
}

// ---------------------------------------------------------------- on account (小单)

/**
 * The stock a completed sale moves, exactly once: its goods leave stock — unless it was on account
 * with the goods taken (they left when the slip was issued); goods the store held come off their
 * reservation as they leave.
 */
function completionMoves(ctx: Ctx, sale: SalesTable, lines: SaleLinesTable[]) {
  if (!sale.on_account_at) return saleStockMoves(ctx, sale, lines, 'sale');
  if (sale.goods_taken === 1) return [];
  return [...saleStockMoves(ctx, sale, lines, 'release'), ...saleStockMoves(ctx, sale, lines, 'sale')];
}
