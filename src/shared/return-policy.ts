/**
 * A store's return policy (退换货) and its providers' refund terms, as data: the stores room keeps
 * them per store, the returns room applies them, the receipt prints them as they are.
 */
import { RETURN_REASONS, type ReturnReason } from './kinds';
import type { Role } from './roles';

export interface ReturnPolicy {
  /** Days after the day of sale a return is taken (7: sold on the 1st, taken until the 8th). */
  windowDays: number;
  receiptRequired: boolean;
  /** A return without the receipt: who approves it, refunded in cash only, up to this much. */
  noReceipt: { approverRole: Role; cashLimitFen: number } | null;
  reasons: readonly ReturnReason[];
}

export const DEFAULT_RETURN_POLICY: ReturnPolicy = {
  windowDays: 7,
  receiptRequired: true,
  noReceipt: { approverRole: 'manager', cashLimitFen: 50_000 },
  reasons: RETURN_REASONS,
};

/** The acquirer's and the wallets' contract terms for refunds (the card and Alipay ones per contract). */
export interface RefundRules {
  cardRefundWindowDays: number;
  alipayRefundWindowMonths: number;
  wechatRefundWindowMonths: number;
  wechatMaxRefunds: number;
  wechatRefundSpacingMs: number;
}

export const DEFAULT_REFUND_RULES: RefundRules = {
  cardRefundWindowDays: 30,
  alipayRefundWindowMonths: 3,
  // WeChat Pay's own, the same for every merchant: within a year, 50 refunds an order, a minute apart.
  wechatRefundWindowMonths: 12,
  wechatMaxRefunds: 50,
  wechatRefundSpacingMs: 60_000,
};
