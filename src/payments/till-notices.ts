/**
 * What a till is told about its own sales after it moved on: a charge started there that came
 * through (or may have) once nobody at the till waited for it — the sale released by a manager,
 * paid another way, or put on a slip. Derived from the attempts, so there is nothing to keep in
 * step: a charge on the review desk is announced until a manager settles it there; a slip settled
 * by a late payment is announced for a quarter of an hour, for the cashier to tell the customer.
 */
import type { Ctx } from '../context';
import { displayYuan, type Lang } from '../kernel';
import { saleHeaders } from '../sales';

export type TillNoticeKind = 'on_review_desk' | 'slip_settled_late';

export interface TillNotice {
  kind: TillNoticeKind;
  attemptId: string;
  saleId: string;
  saleNumber: string;
  tender: string;
  amountFen: number;
  at: string;
  /** What to tell the cashier, in the caller's language. */
  text: string;
}

/** How long a slip settled by a late payment stays announced at its till. */
export const SLIP_SETTLED_NOTICE_MS = 15 * 60_000;

const WORDS: Record<TillNoticeKind, { en: string; zh: string }> = {
  on_review_desk: {
    en: 'Sale {number}: the {amount} charge started here may have gone through after the till moved on. It is on the payment review desk: a manager keeps or refunds it — do not charge the customer again.',
    zh: '销售单 {number}：本收银台发起的 {amount} 支付，可能在收银台转入下一单后才成功，已进入“支付核查”，由经理确认保留或退款——切勿再次向顾客收款。',
  },
  slip_settled_late: {
    en: 'Sale {number}: the {amount} payment came through after its provisional slip was issued — the slip is settled and the customer owes nothing.',
    zh: '销售单 {number}：开具小单后，{amount} 的支付已成功——小单已结清，顾客无需再付款。',
  },
};

export async function tillNotices(ctx: Ctx, tillId: string, lang: Lang): Promise<TillNotice[]> {
  const since = new Date(ctx.clock.now().getTime() - SLIP_SETTLED_NOTICE_MS).toISOString();
  // The till's charges a person settles or that ended lately; then, by their sales' state, those
  // the till should hear of (the twenty oldest).
  const candidates = await ctx.db.kysely
    .selectFrom('payment_attempts')
    .select(['id', 'status', 'tender', 'amount_fen', 'resolved_at', 'created_at', 'sale_id'])
    .where('till_id', '=', tillId)
    .where('kind', '=', 'payment')
    .where((eb) =>
      eb.or([
        eb('status', '=', 'needs_review'),
        eb.and([eb('status', '=', 'succeeded'), eb('resolved_at', '>=', since)]),
      ]),
    )
    .orderBy('created_at')
    .execute();
  const sales = await saleHeaders(
    ctx.db.kysely,
    candidates.map((a) => a.sale_id),
  );
  const rows = candidates
    .flatMap((a) => {
      const sale = sales.get(a.sale_id);
      if (!sale) return [];
      const shown =
        a.status === 'needs_review' ? sale.status !== 'awaiting_payment' : sale.onAccountAt !== null;
      return shown ? [{ ...a, number: sale.number, on_account_at: sale.onAccountAt }] : [];
    })
    .slice(0, 20);
  const notices: TillNotice[] = [];
  for (const r of rows) {
    // Settled late: the payment ended after the slip was issued (not the one that was paid before it).
    const kind: TillNoticeKind | null =
      r.status === 'needs_review'
        ? 'on_review_desk'
        : r.on_account_at && r.resolved_at && r.resolved_at >= r.on_account_at
          ? 'slip_settled_late'
          : null;
    if (!kind) continue;
    const words = WORDS[kind][lang === 'zh-CN' ? 'zh' : 'en'];
    notices.push({
      kind,
      attemptId: r.id,
      saleId: r.sale_id,
      saleNumber: r.number,
      tender: r.tender,
      amountFen: Number(r.amount_fen),
      at: r.resolved_at ?? r.created_at,
      text: words.replace('{number}', r.number).replace('{amount}', displayYuan(Number(r.amount_fen))),
    });
  }
  return notices;
}
