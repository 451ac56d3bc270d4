/**
 * How a refund goes back to the sale's own tenders, pure: split across them, never more than each
 * still holds net of earlier refunds, and by the operation each provider's own rules allow today.
 *
 * The split gives card and wallet money back to where it came from first, in the order it was
 * paid, and cash last: a return never turns a card payment into cash from the drawer (the classic
 * way to launder a stolen card through a till). Each part then takes its provider's operation:
 * - bank card: the same day, the whole payment and the terminal's batch not yet settled, a void
 *   (撤销); otherwise a refund (退货), part of it allowed, within the acquirer's window;
 * - Alipay: `alipay.trade.refund` with a new `out_request_no` per refund, within the contract's
 *   window (three months by default);
 * - WeChat Pay: a refund with its own `out_refund_no`, within a year of the payment, at most 50
 *   refunds per order, each at least a minute after the one before (else it waits until then);
 * - cash: from the drawer.
 * A part no provider will take (outside a window, the refund limit reached, money no attempt of
 * ours took) is offered the store's fallback: cash from the drawer with a manager's approval.
 */
import { addDays, addMonths } from '../kernel';
import {
  type BookedTender,
  DEFAULT_REFUND_RULES,
  type RefundRules,
  type ReturnRefundOperation,
} from '../shared';

/** A payment of the sale, as the refund needs to know it. */
export interface PaidTender {
  paymentId: string;
  /** The attempt that took it; null for money no attempt of ours took (a proven bank transfer). */
  attemptId: string | null;
  tender: BookedTender;
  /** What it paid towards the sale, in fen (cash: the amount kept, not the note handed over). */
  paidFen: number;
  /** What was given back of it already: earlier returns, a complaint's refund, a review's. */
  refundedFen: number;
  /** When it was paid (ms), and its day on the store's calendar (yyyy-mm-dd). */
  paidAt: number;
  paidDay: string;
  /** A card payment: the terminal's batch holding it is not yet settled (a void is still possible). */
  batchOpen: boolean;
  /** Refunds asked of this order so far (any not failed), and when the latest was asked (ms). */
  refundsSoFar: number;
  lastRefundAt: number | null;
}

export { DEFAULT_REFUND_RULES, type RefundRules };

/** What a provider is asked to do (the store's cash fallback is not one of them). */
export type RefundOperation = Exclude<ReturnRefundOperation, 'cash_fallback'>;

/** Why a provider will not take a part back: the till says so and offers the store's fallback. */
export type RefundBlock =
  | { code: 'refund_window_passed'; lastDay: string }
  | { code: 'refund_limit_reached'; limit: number }
  | { code: 'refund_outside_providers' };

export interface RefundPart {
  paymentId: string;
  attemptId: string | null;
  tender: BookedTender;
  amountFen: number;
  /** What the provider is asked to do; null when it will not (see `blocked`). */
  operation: RefundOperation | null;
  blocked: RefundBlock | null;
  /** Not to be sent before this instant (ms): WeChat Pay's minute between refunds of an order. */
  notBefore: number | null;
}

export type RefundPlan =
  | { ok: true; parts: RefundPart[] }
  | { ok: false; code: 'refund_invalid_amount' }
  | { ok: false; code: 'refund_exceeds_refundable'; refundableFen: number };

/** What is left to give back of a payment. */
export const stillHeld = (t: PaidTender) => Math.max(0, t.paidFen - t.refundedFen);

/** The order in which tenders give money back: card and wallets first, as paid; cash last. */
function refundOrder(tenders: readonly PaidTender[]): PaidTender[] {
  return [...tenders].sort(
    (a, b) =>
      Number(a.tender === 'cash') - Number(b.tender === 'cash') ||
      a.paidAt - b.paidAt ||
      (a.paymentId < b.paymentId ? -1 : a.paymentId > b.paymentId ? 1 : 0),
  );
}

/** The operation a provider takes for `amountFen` of this payment today, or why it will not. */
export function operationFor(
  t: PaidTender,
  amountFen: number,
  now: { at: number; day: string },
  rules: RefundRules,
): Pick<RefundPart, 'operation' | 'blocked' | 'notBefore'> {
  const none = { operation: null, notBefore: null };
  const allowed = (operation: RefundOperation, notBefore: number | null = null) => ({
    operation,
    blocked: null,
    notBefore,
  });
  const windowUntil = (lastDay: string) =>
    now.day <= lastDay ? null : { ...none, blocked: { code: 'refund_window_passed' as const, lastDay } };
  switch (t.tender) {
    case 'cash':
      return allowed('cash_refund');
    // Money no attempt of ours took: a proven transfer, an exchange's credit.
    case 'bank_transfer':
    case 'exchange_credit':
      return { ...none, blocked: { code: 'refund_outside_providers' } };
    case 'card': {
      if (t.batchOpen && t.paidDay === now.day && t.refundedFen === 0 && amountFen === t.paidFen)
        return allowed('card_void');
      return windowUntil(addDays(t.paidDay, rules.cardRefundWindowDays)) ?? allowed('card_refund');
    }
    case 'alipay':
      return windowUntil(addMonths(t.paidDay, rules.alipayRefundWindowMonths)) ?? allowed('alipay_refund');
    case 'wechat': {
      const late = windowUntil(addMonths(t.paidDay, rules.wechatRefundWindowMonths));
      if (late) return late;
      if (t.refundsSoFar >= rules.wechatMaxRefunds)
        return { ...none, blocked: { code: 'refund_limit_reached', limit: rules.wechatMaxRefunds } };
      const earliest = t.lastRefundAt === null ? null : t.lastRefundAt + rules.wechatRefundSpacingMs;
      return allowed('wechat_refund', earliest !== null && earliest > now.at ? earliest : null);
    }
  }
}

/**
 * `amountFen` back to the sale's tenders: the parts, each within what its payment still holds,
 * adding up to the amount exactly. Money no attempt took counts as held but is blocked (fallback).
 */
export function planRefund(
  tenders: readonly PaidTender[],
  amountFen: number,
  now: { at: number; day: string },
  rules: RefundRules = DEFAULT_REFUND_RULES,
): RefundPlan {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) return { ok: false, code: 'refund_invalid_amount' };
  const refundableFen = tenders.reduce((sum, t) => sum + stillHeld(t), 0);
  if (amountFen > refundableFen) return { ok: false, code: 'refund_exceeds_refundable', refundableFen };
  const parts: RefundPart[] = [];
  let left = amountFen;
  for (const t of refundOrder(tenders)) {
    if (left === 0) break;
    const part = Math.min(left, stillHeld(t));
    if (part === 0) continue;
    left -= part;
    parts.push({
      paymentId: t.paymentId,
      attemptId: t.attemptId,
      tender: t.tender,
      amountFen: part,
      ...operationFor(t, part, now, rules),
    });
  }
  return { ok: true, parts };
}
