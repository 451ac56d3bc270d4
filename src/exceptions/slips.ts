/**
 * 小单, the provisional slip: issued with the sale put on account and a follow-up case due the next
 * business morning; settled when the sale completes, closed by a manager, printed.
 */
import { appendAudit } from '../audit';
import { type Ctx, inTx } from '../context';
import {
  type FollowUpCasesTable,
  nextNumber,
  prepared,
  type SalesTable,
  type SlipsTable,
  type Tx,
  transaction,
} from '../db';
import { type Lang, localDateKey, moveIn, Refusal } from '../kernel';
import { AT_THE_TERMINAL, attemptsOfSale, MAY_STILL_SUCCEED } from '../payments';
import { buildSlip, type ReceiptDoc } from '../receipts';
import { closeOnAccount, putOnAccount, readSale, type SaleView } from '../sales';
import { maskPhone, normalizePhone } from '../shared';
import { nameOf } from '../staff';
import { requireStore, storeById } from '../stores';
import { appendCaseEvent, type CaseView, caseDetail, caseWithSlip, moveCase } from './cases';
import { notifyCustomer } from './customer-notices';
import {
  type CaseStatus,
  closingFits,
  followUpDueAt,
  type GoodsDisposition,
  maskEmail,
  SLIP_LIFECYCLE,
} from './model';

export interface SlipView {
  id: string;
  number: string;
  storeId: string;
  status: string;
  goods: GoodsDisposition;
  reason: string;
  customerName: string;
  /** Masked: the full number is the store's to call, not the screen's to show. */
  customerPhone: string;
  /** Masked likewise, when the customer gave one (the notifier's e-mail adapter writes to it). */
  customerEmail: string | null;
  totalFen: number;
  /** Paid and due now, as the sale stands (a settled slip has nothing due). */
  paidFen: number;
  dueFen: number;
  /** What the slip said when it was issued (printed on it). */
  asIssued: { paidFen: number; dueFen: number };
  /** A payment attempt was still being checked when the slip was issued: it may settle it by itself. */
  attemptPending: boolean;
  issuedAt: string;
  issuedBy: string;
  endedAt: string | null;
  /** The pay-later link's secret, for the slip's QR code (shown to staff at the till that issued it). */
  payToken: string;
  caseId: string;
  caseStatus: CaseStatus;
  dueAt: string;
  sale: SaleView;
}

export async function slipViewOf(db: Tx, slip: SlipsTable): Promise<SlipView> {
  const kase = await db
    .selectFrom('follow_up_cases')
    .selectAll()
    .where('slip_id', '=', slip.id)
    .executeTakeFirstOrThrow();
  const sale = await readSale(db, slip.sale_id);
  if (!sale) throw new Error(`invariant: slip ${slip.number} without its sale`);
  return {
    id: slip.id,
    number: slip.number,
    storeId: slip.store_id,
    status: slip.status,
    goods: slip.goods,
    reason: slip.reason,
    customerName: slip.customer_name,
    customerPhone: maskPhone(slip.customer_phone),
    customerEmail: slip.customer_email ? maskEmail(slip.customer_email) : null,
    totalFen: Number(slip.total_fen),
    paidFen: sale.paidFen,
    dueFen: sale.status === 'voided' ? 0 : sale.dueFen,
    asIssued: { paidFen: Number(slip.paid_fen), dueFen: Number(slip.due_fen) },
    attemptPending: slip.attempt_pending === 1,
    issuedAt: slip.issued_at,
    issuedBy: slip.issued_by,
    endedAt: slip.ended_at,
    payToken: slip.pay_token,
    caseId: kase.id,
    caseStatus: kase.status,
    dueAt: kase.due_at,
    sale,
  };
}

/**
 * 小单: the sale goes on account (goods taken leave stock now; goods held are reserved), a slip
 * records who owes what, and a follow-up case is due the next business morning.
 */
export async function issueSlip(
  ctx: Ctx,
  saleId: string,
  input: {
    reason: string;
    customerName: string;
    customerPhone: string;
    goods: GoodsDisposition;
    customerEmail?: string | null | undefined;
  },
): Promise<SlipView> {
  const actor = ctx.actor;
  if (!actor?.tillId) throw new Refusal('wrong_surface', 'a slip is issued at a till');
  const phone = normalizePhone(input.customerPhone);
  if (!phone) throw new Refusal('phone_invalid');
  return transaction(ctx.db, 'full', async (tx) => {
    const c = inTx(ctx, tx);
    const attempts = (await attemptsOfSale(tx, saleId)).filter((a) => a.kind === 'payment');
    // The card is at the terminal (insert, PIN) or the request is on its way: it will answer in a
    // moment. A slip now would send the customer off owing money a second later paid.
    if (attempts.some((a) => AT_THE_TERMINAL.includes(a.status)))
      throw new Refusal('slip_attempt_at_terminal');
    const pending = attempts.some((a) => MAY_STILL_SUCCEED.has(a.status));
    const sale = await putOnAccount(c, saleId, { goodsTaken: input.goods === 'taken' });
    const store = await requireStore(tx, sale.storeId);
    const now = ctx.clock.now();
    const dateKey = localDateKey(now, store.timeZone);
    const counter = { value: await nextNumber(tx, sale.storeId, `slip:${dateKey}`) };
    const at = now.toISOString();
    const slip: SlipsTable = {
      id: ctx.ids.next('slip'),
      number: `${store.code}-X${dateKey}-${String(counter.value).padStart(4, '0')}`,
      store_id: sale.storeId,
      sale_id: sale.id,
      status: 'issued',
      goods: input.goods,
      reason: input.reason,
      customer_name: input.customerName,
      customer_phone: phone,
      total_fen: sale.totalFen,
      paid_fen: sale.paidFen,
      due_fen: sale.dueFen,
      attempt_pending: pending ? 1 : 0,
      // The link's secret: 130 random bits of its own, never derived from an id or the printed number.
      pay_token: ctx.ids.secret(),
      issued_by: actor.staffId,
      issued_at: at,
      ended_at: null,
      customer_email: input.customerEmail?.trim().toLowerCase() || null,
    };
    await tx.insertInto('slips').values(slip).execute();
    const kase: FollowUpCasesTable = {
      id: ctx.ids.next('case'),
      store_id: sale.storeId,
      slip_id: slip.id,
      status: 'open',
      due_at: new Date(followUpDueAt(now.getTime())).toISOString(),
      opened_at: at,
      closed_at: null,
      version: 1,
    };
    await tx.insertInto('follow_up_cases').values(kase).execute();
    await appendCaseEvent(tx, kase.id, {
      at,
      event: 'opened',
      from: 'open',
      to: 'open',
      actorId: actor.staffId,
      note: input.reason,
      detail: { slip: slip.number, dueFen: slip.due_fen, goods: input.goods, attemptPending: pending },
    });
    await notifyCustomer(tx, ctx, slip, kase, 'slip_issued');
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: sale.storeId,
      actorId: actor.staffId,
      action: 'slip.issued',
      entityType: 'slip',
      entityId: slip.id,
      saleId: sale.id,
      after: {
        number: slip.number,
        dueFen: slip.due_fen,
        paidFen: slip.paid_fen,
        goods: input.goods,
        reason: input.reason,
        customer: { name: input.customerName, phone: maskPhone(phone) },
        followUpDueAt: kase.due_at,
        attemptPending: pending,
      },
    });
    return slipViewOf(tx, slip);
  });
}

export async function slipByNumber(ctx: Ctx, number: string): Promise<SlipView> {
  const slip = await ctx.db.kysely
    .selectFrom('slips')
    .selectAll()
    .where('number', '=', number)
    .executeTakeFirst();
  if (!slip) throw new Refusal('slip_unknown');
  return slipViewOf(ctx.db.kysely, slip);
}

/**
 * The sale on account has completed (the sales module calls this in the completion's own
 * transaction): its slip is settled and its case closed. Registered with `onSaleCompleted`.
 */
export async function settleSlipOnCompletion(tx: Tx, ctx: Ctx, sale: SalesTable) {
  const slip = await tx
    .selectFrom('slips')
    .selectAll()
    .where('sale_id', '=', sale.id)
    .where('status', '=', 'issued')
    .executeTakeFirst();
  if (!slip) return [];
  const settled = moveIn(SLIP_LIFECYCLE, slip.status, 'settle');
  if (!settled.ok) throw new Error(`invariant: slip ${slip.id} is ${slip.status}, cannot settle`);
  const at = ctx.clock.now().toISOString();
  await tx.updateTable('slips').set({ status: settled.to, ended_at: at }).where('id', '=', slip.id).execute();
  // Settled by the statement that held the customer's proof, or by a payment like any other.
  const moved = await moveCase(
    tx,
    ctx,
    slip.id,
    (status) => (status === 'awaiting_statement' ? 'statement_confirms' : 'paid'),
    null,
    { saleCompleted: sale.id },
  );
  await notifyCustomer(tx, ctx, slip, moved, 'slip_settled');
  return [
    {
      action: 'slip.settled',
      entityType: 'slip',
      entityId: slip.id,
      after: { number: slip.number, case: moved.status, dueFen: Number(slip.due_fen) },
    },
  ];
}

/**
 * The customer never came back: a manager cancels the slip (goods held go back on sale) or writes
 * it off (goods taken are a loss). The way out must fit where the goods are.
 */
export async function closeSlip(
  ctx: Ctx,
  caseId: string,
  input: { event: 'cancel' | 'write_off'; reason: string },
): Promise<CaseView> {
  await transaction(ctx.db, 'full', async (tx) => {
    const c = inTx(ctx, tx);
    const { kase, slip } = await caseWithSlip(tx, caseId);
    const closed = moveIn(SLIP_LIFECYCLE, slip.status, input.event);
    if (!closed.ok)
      throw new Refusal('case_not_open', undefined, { caseStatus: kase.status, event: input.event });
    if (!closingFits(input.event, slip.goods))
      throw new Refusal('slip_close_mismatch', undefined, { goods: slip.goods, event: input.event });
    const moved = await moveCase(tx, c, slip.id, input.event, input.reason, {});
    await closeOnAccount(c, slip.sale_id, input.reason);
    await tx
      .updateTable('slips')
      .set({ status: closed.to, ended_at: ctx.clock.now().toISOString() })
      .where('id', '=', slip.id)
      .execute();
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: slip.store_id,
      actorId: ctx.actor?.staffId ?? 'system',
      action: input.event === 'cancel' ? 'slip.cancelled' : 'slip.written_off',
      entityType: 'slip',
      entityId: slip.id,
      saleId: slip.sale_id,
      after: {
        number: slip.number,
        case: moved.status,
        reason: input.reason,
        dueFen: Number(slip.due_fen),
        goods: slip.goods,
      },
    });
  });
  return caseDetail(ctx, caseId);
}

/** The slip as the printer and the screen show it; the QR code leads to the slip's own page. */
export async function slipDocument(
  ctx: Ctx,
  where: { number: string } | { payToken: string },
  options: { lang: Lang; publicUrl: string },
): Promise<ReceiptDoc> {
  const db = ctx.db.kysely;
  const slip = await ('number' in where
    ? db.selectFrom('slips').selectAll().where('number', '=', where.number)
    : db.selectFrom('slips').selectAll().where('pay_token', '=', where.payToken)
  ).executeTakeFirst();
  if (!slip) throw new Refusal('slip_unknown');
  const view = await slipViewOf(db, slip);
  const store = await storeById(db, slip.store_id);
  if (!store) throw new Refusal('store_unknown');
  return buildSlip(
    {
      store,
      tillName: store.tills.find((t) => t.id === view.sale.tillId)?.name ?? view.sale.tillId,
      cashierName: await nameOf(db, slip.issued_by),
      sale: view.sale,
      qrUrl: `${options.publicUrl.replace(/\/$/, '')}/pay/${slip.pay_token}`,
      slip: {
        number: slip.number,
        issuedAt: slip.issued_at,
        customerName: slip.customer_name,
        customerPhone: maskPhone(slip.customer_phone),
        reason: slip.reason,
        goods: slip.goods,
        dueAt: view.dueAt,
        dueFen: view.sale.dueFen,
        attemptPending: slip.attempt_pending === 1 && view.status === 'issued',
      },
    },
    options.lang,
  );
}

const STOREOFSLIP_Q = prepared((db, p: { key: string }) =>
  db.selectFrom('slips').select('store_id').where('number', '=', p.key),
);

/** The store of a slip, by its number (the access guard asks, to scope a request); undefined when there is none. */
export async function storeOfSlip(db: Tx, key: string): Promise<string | null | undefined> {
  const row = await STOREOFSLIP_Q.first(db, { key });
  return row?.store_id;
}

/** The sales of a store's slips still issued (not settled or closed), issued before `before`. */
export async function issuedSlipSales(db: Tx, storeId: string, before: string): Promise<string[]> {
  const rows = await db
    .selectFrom('slips')
    .select('sale_id')
    .where('store_id', '=', storeId)
    .where('status', '=', 'issued')
    .where('issued_at', '<', before)
    .execute();
  return rows.map((r) => r.sale_id);
}

/** The sales whose slips carry this customer's phone (normalised), at the store: the journal asks. */
export async function salesOfSlipPhone(db: Tx, storeId: string, phone: string): Promise<string[]> {
  const rows = await db
    .selectFrom('slips')
    .select('sale_id')
    .where('customer_phone', '=', phone)
    .where('store_id', '=', storeId)
    .execute();
  return rows.map((r) => r.sale_id);
}
