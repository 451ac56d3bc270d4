/**
 * The kinds a text column may hold besides a state (see statuses.ts): the schema types its columns
 * with them, so a row read back needs no cast, and each room's code names them from here.
 */

/** How a sale is paid. */
export const TENDERS = ['cash', 'card', 'alipay', 'wechat'] as const;
export type Tender = (typeof TENDERS)[number];

/**
 * What a payment row is booked as: a tender, a bank transfer a manager or a statement proved, or
 * an exchange's credit (换货: the value of the goods brought back, paying for those taken instead).
 */
export const BOOKED_TENDERS = [...TENDERS, 'bank_transfer', 'exchange_credit'] as const;
export type BookedTender = (typeof BOOKED_TENDERS)[number];

/** What a customer's proof of a payment the till never saw may show (no cash: nothing to prove). */
export const PROVEN_TENDERS = ['alipay', 'wechat', 'card', 'bank_transfer'] as const;
export type ProvenTender = (typeof PROVEN_TENDERS)[number];

/** Where someone signs in: a till (PIN) or the back office (password). */
export const SURFACES = ['till', 'backoffice'] as const;
export type Surface = (typeof SURFACES)[number];

/** The providers whose statements reconciliation reads. */
export const STATEMENT_PROVIDERS = ['alipay', 'wechat', 'card'] as const;
export type StatementProvider = (typeof STATEMENT_PROVIDERS)[number];

/**
 * What a statement line moved: `payment`, money came in; `refund`, money went back; `no_money`, a
 * line that moved nothing in the end (a reversed, revoked or closed trade) — never "charged".
 */
export const STATEMENT_LINE_KINDS = ['payment', 'refund', 'no_money'] as const;
export type StatementLineKind = (typeof STATEMENT_LINE_KINDS)[number];

/** Why an attempt failed, in the failure taxonomy's words (payments/failure-taxonomy.ts). */
export const FAILURE_CATEGORIES = [
  'insufficient_funds',
  'card_unreadable',
  'wrong_pin',
  'expired',
  'restricted',
  'issuer_unavailable',
  'network',
  'terminal_fault',
  'customer_cancelled',
  'risk_declined',
  'wallet_code_invalid',
  'customer_still_paying',
  /** The wallet refused the store's own request (its set-up, our bug): nothing the customer did. */
  'merchant_setup',
  'unknown',
] as const;
export type FailureCategory = (typeof FAILURE_CATEGORIES)[number];

/** Where the goods are while a slip is open: with the customer (they left stock) or held in store (reserved). */
export const GOODS_DISPOSITIONS = ['taken', 'held'] as const;
export type GoodsDisposition = (typeof GOODS_DISPOSITIONS)[number];

/** What the store gave to make a complaint good. */
export const COMPENSATION_KINDS = ['refund', 'coupon', 'gift'] as const;
export type CompensationKind = (typeof COMPENSATION_KINDS)[number];

/** What reconciliation found wrong between a statement and the tills. */
export const RECON_CASE_KINDS = [
  'charged_not_recorded',
  'recorded_not_settled',
  'amount_mismatch',
  'duplicate_charge',
  'refund_mismatch',
] as const;
export type ReconCaseKind = (typeof RECON_CASE_KINDS)[number];

/** Why a customer brings goods back (the store's policy picks which of these its tills offer). */
export const RETURN_REASONS = ['does_not_fit', 'quality', 'changed_mind', 'wrong_item', 'other'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** Where returned goods go: back on sale, or aside as damaged (out of sellable stock). */
export const RETURN_DISPOSITIONS = ['restock', 'damaged'] as const;
export type ReturnDisposition = (typeof RETURN_DISPOSITIONS)[number];

/**
 * How a part of a return's money went back: by its provider's operation (a card void or refund, an
 * Alipay or WeChat Pay refund), from the drawer for cash, or from the drawer by the store's
 * fallback (with a manager's approval) where no provider would take it back.
 */
export const RETURN_REFUND_OPERATIONS = [
  'cash_refund',
  'card_void',
  'card_refund',
  'alipay_refund',
  'wechat_refund',
  'cash_fallback',
] as const;
export type ReturnRefundOperation = (typeof RETURN_REFUND_OPERATIONS)[number];
