/**
 * The QR wallets' answer codes (docs/providers.md, "Alipay" and "WeChat Pay"), each with what it means for the money and its
 * category in the failure taxonomy — Alipay's gateway `code` and `sub_code`, WeChat Pay's
 * `err_code` and `trade_state` — and how a scanned payment code tells which wallet it belongs to.
 * Pure. Anything not listed is `unknown`: queried, never read as a decline. An "already paid" for
 * our own order is also `unknown` with `queryAtOnce`: the query that follows confirms the amount,
 * so nothing becomes paid without it.
 */

import { type Wallet, walletOfCode } from '../../shared';
import type { AnswerOutcome, FailureCategory } from '../failure-taxonomy';

export { type Wallet, walletOfCode };

export interface WalletCodeMeaning {
  outcome: AnswerOutcome;
  /** null when paid. */
  category: FailureCategory | null;
  /** "System busy", "already paid": ask now, not on the schedule. */
  queryAtOnce?: true;
  /** The request was ours and wrong (a parameter, the order number): a person must look at the set-up. */
  ourBug?: true;
  meaning: string;
}

const failed = (category: FailureCategory, meaning: string, extra: Partial<WalletCodeMeaning> = {}) =>
  ({ outcome: 'failed', category, meaning, ...extra }) as const satisfies WalletCodeMeaning;
const unknown = (category: FailureCategory, meaning: string, extra: Partial<WalletCodeMeaning> = {}) =>
  ({ outcome: 'unknown', category, meaning, ...extra }) as const satisfies WalletCodeMeaning;

// ---------------------------------------------------------------- Alipay

/** Gateway `code`; `40004` means: read the `sub_code`. */
export const ALIPAY_GATEWAY_CODES: Readonly<Record<string, WalletCodeMeaning>> = {
  '10000': { outcome: 'paid', category: null, meaning: 'success' },
  '10003': unknown('customer_still_paying', 'waiting for the customer to confirm in the app'),
  '20000': unknown('issuer_unavailable', 'service unavailable', { queryAtOnce: true }),
  '20001': failed('merchant_setup', 'insufficient authorisation', { ourBug: true }),
  '40001': failed('merchant_setup', 'missing required parameter', { ourBug: true }),
  '40002': failed('merchant_setup', 'invalid parameter', { ourBug: true }),
  '40006': failed('merchant_setup', 'insufficient permissions', { ourBug: true }),
};

/** `sub_code` with `40004` (business failure) for trade pay, and the ones query, cancel and refund add. */
export const ALIPAY_SUB_CODES: Readonly<Record<string, WalletCodeMeaning>> = {
  'ACQ.SYSTEM_ERROR': unknown('issuer_unavailable', 'system error', { queryAtOnce: true }),
  'ACQ.TRADE_HAS_SUCCESS': unknown('unknown', 'already paid (this order)', { queryAtOnce: true }),
  'ACQ.CONTEXT_INCONSISTENT': unknown('merchant_setup', 'order number reused with other parameters', {
    queryAtOnce: true,
    ourBug: true,
  }),
  'ACQ.INVALID_PARAMETER': failed('merchant_setup', 'invalid parameter', { ourBug: true }),
  'ACQ.ACCESS_FORBIDDEN': failed('merchant_setup', 'not allowed for this merchant'),
  'ACQ.EXIST_FORBIDDEN_WORD': failed('merchant_setup', 'subject contains a forbidden word', { ourBug: true }),
  'ACQ.PARTNER_ERROR': failed('merchant_setup', 'app and merchant do not match'),
  'ACQ.INVALID_STORE_ID': failed('merchant_setup', 'invalid store id', { ourBug: true }),
  'ACQ.SELLER_BEEN_BLOCKED': failed('merchant_setup', 'merchant account blocked'),
  'ACQ.SUB_MERCHANT_NOT_EXIST': failed('merchant_setup', 'sub-merchant does not exist'),
  'ACQ.AGREEMENT_NOT_EXIST': failed('merchant_setup', 'no face-to-face agreement'),
  'ACQ.AGREEMENT_INVALID': failed('merchant_setup', 'agreement invalid'),
  'ACQ.PAYMENT_AUTH_CODE_INVALID': failed('wallet_code_invalid', 'payment code invalid or expired'),
  'ACQ.PULL_MOBILE_CASHIER_FAIL': failed('wallet_code_invalid', 'could not reach the customer’s app'),
  'ACQ.BUYER_BALANCE_NOT_ENOUGH': failed('insufficient_funds', 'balance not enough'),
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH': failed('insufficient_funds', 'bank card balance not enough'),
  'ACQ.NO_PAYMENT_INSTRUMENTS_AVAILABLE': failed('insufficient_funds', 'no usable payment method'),
  'ACQ.ERROR_BALANCE_PAYMENT_DISABLE': failed('restricted', 'balance payment disabled'),
  'ACQ.BUYER_SELLER_EQUAL': failed('restricted', 'buyer and seller are the same'),
  'ACQ.TRADE_BUYER_NOT_MATCH': failed('restricted', 'another buyer'),
  'ACQ.BUYER_ENABLE_STATUS_FORBID': failed('restricted', 'buyer account disabled'),
  'ACQ.MOBILE_PAYMENT_SWITCH_OFF': failed('restricted', 'buyer turned mobile payment off'),
  'ACQ.USER_FACE_PAYMENT_SWITCH_OFF': failed('restricted', 'buyer turned face-to-face payment off'),
  'ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT': failed('restricted', 'buyer not verified enough'),
  'ACQ.TOTAL_FEE_EXCEED': failed('restricted', 'amount above the limit'),
  'ACQ.BEYOND_PAY_RESTRICTION': failed('restricted', 'beyond the buyer’s payment limit'),
  'ACQ.BEYOND_PER_RECEIPT_RESTRICTION': failed('restricted', 'beyond the limit per payment'),
  'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR': failed('restricted', 'buyer’s daily limit reached'),
  'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR': failed('restricted', 'buyer’s monthly limit reached'),
  'ACQ.PAYMENT_FAIL': failed('risk_declined', 'payment failed'),
  'ACQ.PAYMENT_REQUEST_HAS_RISK': failed('risk_declined', 'refused for risk'),
  'ACQ.TRADE_HAS_CLOSE': failed('customer_cancelled', 'trade closed: a new attempt needs a new order number'),
  'ACQ.TRADE_STATUS_ERROR': unknown('unknown', 'trade status error', { queryAtOnce: true }),
  'ACQ.TRADE_NOT_EXIST': failed('unknown', 'no such trade'),
  'ACQ.REASON_TRADE_BEEN_FREEZEN': failed('merchant_setup', 'trade frozen'),
  'ACQ.TRADE_CANCEL_TIME_OUT': failed('merchant_setup', 'too late to cancel: refund instead'),
  'ACQ.SELLER_BALANCE_NOT_ENOUGH': failed('merchant_setup', 'merchant balance too low to refund'),
  'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL': failed(
    'merchant_setup',
    'refund amount does not match this request number',
    {
      ourBug: true,
    },
  ),
  'ACQ.TRADE_HAS_FINISHED': failed('merchant_setup', 'trade finished: no refund any more'),
  'ACQ.REFUND_FEE_ERROR': failed('merchant_setup', 'refund above what is left'),
};

const ALIPAY_UNKNOWN: WalletCodeMeaning = unknown('unknown', 'unlisted code');

/** What an Alipay answer's `code` (and `sub_code`) means for the money. */
export function classifyAlipay(code: unknown, subCode: unknown): WalletCodeMeaning {
  const c = typeof code === 'string' ? code.trim() : '';
  if (c === '40004') {
    const sub = typeof subCode === 'string' ? subCode.trim().toUpperCase() : '';
    return Object.hasOwn(ALIPAY_SUB_CODES, sub) ? ALIPAY_SUB_CODES[sub]! : ALIPAY_UNKNOWN;
  }
  return Object.hasOwn(ALIPAY_GATEWAY_CODES, c) ? ALIPAY_GATEWAY_CODES[c]! : ALIPAY_UNKNOWN;
}

/** `trade_status` of `alipay.trade.query`. */
export const ALIPAY_TRADE_STATUS: Readonly<Record<string, 'paid' | 'closed' | 'waiting'>> = {
  WAIT_BUYER_PAY: 'waiting',
  TRADE_SUCCESS: 'paid',
  TRADE_FINISHED: 'paid',
  TRADE_CLOSED: 'closed',
};

// ---------------------------------------------------------------- WeChat Pay

/** `err_code` of micropay (and of query, reverse and refund where they add one). */
export const WECHAT_ERR_CODES: Readonly<Record<string, WalletCodeMeaning>> = {
  SYSTEMERROR: unknown('issuer_unavailable', 'system error', { queryAtOnce: true }),
  BANKERROR: unknown('issuer_unavailable', 'bank system error', { queryAtOnce: true }),
  USERPAYING: unknown('customer_still_paying', 'the customer is entering the password'),
  ORDERPAID: unknown('unknown', 'already paid (this order)', { queryAtOnce: true }),
  OUT_TRADE_NO_USED: unknown('merchant_setup', 'order number already used', {
    queryAtOnce: true,
    ourBug: true,
  }),
  AUTHCODEEXPIRE: failed('wallet_code_invalid', 'payment code expired'),
  AUTH_CODE_ERROR: failed('wallet_code_invalid', 'payment code wrong'),
  AUTH_CODE_INVALID: failed('wallet_code_invalid', 'not a WeChat payment code'),
  NOTENOUGH: failed('insufficient_funds', 'balance not enough'),
  NOTSUPORTCARD: failed('restricted', 'card type not supported'),
  BUYER_MISMATCH: failed('restricted', 'another buyer'),
  TRADE_ERROR: failed('risk_declined', 'refused (risk or account state)'),
  ORDERCLOSED: failed('customer_cancelled', 'order closed: a new attempt needs a new order number'),
  ORDERREVERSED: failed('customer_cancelled', 'order reversed: a new attempt needs a new order number'),
  PARAM_ERROR: failed('merchant_setup', 'parameter error', { ourBug: true }),
  LACK_PARAMS: failed('merchant_setup', 'missing parameters', { ourBug: true }),
  SIGNERROR: failed('merchant_setup', 'signature error', { ourBug: true }),
  XML_FORMAT_ERROR: failed('merchant_setup', 'XML format error', { ourBug: true }),
  REQUIRE_POST_METHOD: failed('merchant_setup', 'POST required', { ourBug: true }),
  POST_DATA_EMPTY: failed('merchant_setup', 'empty request', { ourBug: true }),
  NOT_UTF8: failed('merchant_setup', 'not UTF-8', { ourBug: true }),
  NOAUTH: failed('merchant_setup', 'merchant has no permission'),
  APPID_NOT_EXIST: failed('merchant_setup', 'app id does not exist'),
  MCHID_NOT_EXIST: failed('merchant_setup', 'merchant id does not exist'),
  APPID_MCHID_NOT_MATCH: failed('merchant_setup', 'app id and merchant id do not match'),
  INVALID_REQUEST: failed('merchant_setup', 'invalid request', { ourBug: true }),
  ORDERNOTEXIST: failed('unknown', 'no such order'),
  REVERSE_EXPIRE: failed('merchant_setup', 'too late to reverse: refund instead'),
  // Refund's own: ERROR carries the reason in err_code_des (above what is left, for one).
  ERROR: failed('merchant_setup', 'business error (see err_code_des)'),
  TRADE_OVERDUE: failed('merchant_setup', 'order too old to refund'),
  USER_ACCOUNT_ABNORMAL: failed('merchant_setup', 'buyer account abnormal: refund by other means'),
  INVALID_REQ_TOO_MUCH: failed('merchant_setup', 'too many refunds for this order'),
  INVALID_TRANSACTIONID: failed('merchant_setup', 'invalid transaction id', { ourBug: true }),
  BIZERR_NEED_RETRY: unknown('issuer_unavailable', 'busy: retry', { queryAtOnce: true }),
  FREQUENCY_LIMITED: unknown('issuer_unavailable', 'too many requests: retry later'),
};

const WECHAT_UNKNOWN: WalletCodeMeaning = unknown('unknown', 'unlisted code');

export function classifyWechat(errCode: unknown): WalletCodeMeaning {
  const c = typeof errCode === 'string' ? errCode.trim().toUpperCase() : '';
  return Object.hasOwn(WECHAT_ERR_CODES, c) ? WECHAT_ERR_CODES[c]! : WECHAT_UNKNOWN;
}

/** `trade_state` of orderquery: paid, not paid (final), or not final yet. */
export const WECHAT_TRADE_STATES: Readonly<Record<string, 'paid' | 'closed' | 'waiting'>> = {
  SUCCESS: 'paid',
  REFUND: 'paid', // it was paid; a refund from it is its own record
  NOTPAY: 'waiting',
  USERPAYING: 'waiting',
  ACCEPT: 'waiting',
  CLOSED: 'closed',
  REVOKED: 'closed',
  PAYERROR: 'closed',
};
