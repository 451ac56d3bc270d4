/**
 * The Alipay adapter (当面付 条码支付) through the official Node SDK (`alipay-sdk`): trade.pay with
 * `scene=bar_code`, trade.query, trade.cancel, trade.refund and fastpay.refund.query, requests
 * signed RSA2 with the app's key, every response verified with Alipay's public key, and the
 * asynchronous notification verified the same way. Anything the SDK throws — its own timeout (5 s
 * by default), a dropped connection, a non-200, unreadable JSON, a signature that does not verify —
 * is unknown, never failed. Paid only for `10000` (or a query's TRADE_SUCCESS / TRADE_FINISHED)
 * naming our order and our amount; codes are read by wallet-codes.ts. Amounts travel as yuan
 * strings with two decimals, converted only here.
 */
import { AlipayRequestError, AlipaySdk } from 'alipay-sdk';
import { formatYuan, parseYuan } from '../../kernel';
import type {
  AttemptRef,
  ChargeRequest,
  PayAnswer,
  PaymentProvider,
  ProviderNotice,
  QueryAnswer,
  RefundRequest,
  ReverseAnswer,
  UnknownReason,
} from '../provider';
import { ALIPAY_TRADE_STATUS, classifyAlipay } from './wallet-codes';

export interface AlipayConfig {
  /** `https://openapi.alipay.com/gateway.do`, or the sandbox's. */
  gateway: string;
  appId: string;
  /** The app's private key, PEM (PKCS#8). */
  privateKey: string;
  /** Alipay's public key, PEM: every answer and notification is verified with it. */
  alipayPublicKey: string;
  timeoutMs: number;
  /** Where Alipay should post the asynchronous notification for a till's payment, if anywhere. */
  notifyUrlFor?: (tillId: string) => string | null;
  storeId?: string;
}

type Node = Record<string, unknown>;
type Called = { ok: true; node: Node } | { ok: false; reason: UnknownReason; detail: string };

const str = (node: Node, key: string): string | null =>
  typeof node[key] === 'string' ? (node[key] as string) : null;

/** Alipay's `total_amount` and friends: yuan with at most two decimals, to fen; null if not that. */
export function fenOfAlipayAmount(text: string | null): number | null {
  if (text === null || !/^\d{1,9}(\.\d{1,2})?$/.test(text)) return null;
  return parseYuan(text);
}

export class AlipayProvider implements PaymentProvider {
  readonly tender = 'alipay' as const;
  private readonly sdk: AlipaySdk;

  constructor(private readonly config: AlipayConfig) {
    this.sdk = new AlipaySdk({
      appId: config.appId,
      privateKey: config.privateKey,
      alipayPublicKey: config.alipayPublicKey,
      gateway: config.gateway,
      signType: 'RSA2',
      keyType: 'PKCS8',
      timeout: config.timeoutMs,
      camelcase: false,
    });
  }

  /** Alipay has no status call: reachability shows in the answer (unknown, then queried). */
  async health(): Promise<'ok'> {
    return 'ok';
  }

  private async call(method: string, biz: Node, notifyUrl?: string | null): Promise<Called> {
    try {
      const node = (await this.sdk.exec(
        method,
        { bizContent: biz, ...(notifyUrl ? { notifyUrl } : {}) },
        { validateSign: true },
      )) as unknown as Node;
      if (!node || typeof node !== 'object')
        return { ok: false, reason: 'malformed', detail: 'no response node' };
      return { ok: true, node };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof AlipayRequestError))
        return { ok: false, reason: 'malformed', detail: message.slice(0, 200) };
      const cause = (error as { cause?: { name?: string } }).cause?.name ?? '';
      if (/timeout/i.test(cause) || /timeout/i.test(message))
        return { ok: false, reason: 'timeout', detail: message.slice(0, 200) };
      if (message.startsWith('HttpClient Request error'))
        return { ok: false, reason: 'connection', detail: message.slice(0, 200) };
      if (message.startsWith('HTTP 请求错误'))
        return { ok: false, reason: 'server_error', detail: message.slice(0, 200) };
      return { ok: false, reason: 'malformed', detail: message.slice(0, 200) }; // 验签失败, Response 格式错误
    }
  }

  async pay(request: ChargeRequest): Promise<PayAnswer> {
    if (!request.paymentCode)
      return {
        outcome: 'failed',
        code: 'ACQ.PAYMENT_AUTH_CODE_INVALID',
        category: 'wallet_code_invalid',
        providerRef: null,
      };
    const called = await this.call(
      'alipay.trade.pay',
      {
        out_trade_no: request.merchantOrderNo,
        scene: 'bar_code',
        auth_code: request.paymentCode,
        product_code: 'FACE_TO_FACE_PAYMENT',
        subject: (request.subject ?? 'TillSafe').slice(0, 256),
        total_amount: formatYuan(request.amountFen),
        terminal_id: request.tillId.slice(0, 32),
        ...(this.config.storeId ? { store_id: this.config.storeId } : {}),
      },
      this.config.notifyUrlFor?.(request.tillId) ?? null,
    );
    if (!called.ok) return { outcome: 'unknown', reason: called.reason, code: null, detail: called.detail };
    return this.readPaid(called.node, request.merchantOrderNo, request.amountFen);
  }

  /** An answer carrying a trade: paid when 10000 (or a paid status) for our order and amount. */
  private readPaid(node: Node, orderNo: string, amountFen: number | null, status?: 'paid'): PayAnswer {
    const code = str(node, 'code');
    const subCode = str(node, 'sub_code');
    if (code === '10000' && (status === 'paid' || !node.trade_status)) {
      if (str(node, 'out_trade_no') !== orderNo)
        return { outcome: 'unknown', reason: 'mismatch', code, detail: 'the answer names another order' };
      const paid = fenOfAlipayAmount(str(node, 'total_amount'));
      if (paid === null) return { outcome: 'unknown', reason: 'malformed', code, detail: 'no total_amount' };
      if (amountFen !== null && paid !== amountFen)
        return { outcome: 'unknown', reason: 'mismatch', code, detail: `paid ${paid}, asked ${amountFen}` };
      const tradeNo = str(node, 'trade_no');
      const buyer = str(node, 'buyer_logon_id');
      return {
        outcome: 'paid',
        amountFen: paid,
        code,
        providerRef: tradeNo,
        maskedPan: null,
        brand: 'Alipay',
        slip: { ...(tradeNo ? { reference: tradeNo } : {}), ...(buyer ? { buyer } : {}) },
      };
    }
    const meaning = classifyAlipay(code, subCode);
    const said = subCode ?? code;
    if (meaning.outcome === 'failed' && meaning.category)
      return {
        outcome: 'failed',
        code: said,
        category: meaning.category,
        providerRef: str(node, 'trade_no'),
      };
    return {
      outcome: 'unknown',
      reason: meaning.category === 'customer_still_paying' ? 'in_progress' : 'code',
      code: said,
      detail: meaning.meaning,
      ...(meaning.queryAtOnce ? { queryAtOnce: true as const } : {}),
    };
  }

  async query(ref: AttemptRef): Promise<QueryAnswer> {
    if (ref.kind === 'refund') return this.queryRefund(ref);
    const called = await this.call('alipay.trade.query', { out_trade_no: ref.merchantOrderNo });
    if (!called.ok) return { outcome: 'unknown', reason: called.reason, code: null, detail: called.detail };
    const node = called.node;
    if (str(node, 'code') === '40004' && str(node, 'sub_code') === 'ACQ.TRADE_NOT_EXIST')
      return { outcome: 'not_found' };
    if (str(node, 'code') !== '10000') return this.readPaid(node, ref.merchantOrderNo, null);
    const status = ALIPAY_TRADE_STATUS[str(node, 'trade_status') ?? ''];
    if (status === 'paid') return this.readPaid(node, ref.merchantOrderNo, null, 'paid');
    if (status === 'closed')
      return {
        outcome: 'failed',
        code: 'TRADE_CLOSED',
        category: 'customer_cancelled',
        providerRef: str(node, 'trade_no'),
      };
    if (status === 'waiting') return { outcome: 'unknown', reason: 'in_progress', code: 'WAIT_BUYER_PAY' };
    return {
      outcome: 'unknown',
      reason: 'malformed',
      code: str(node, 'trade_status'),
      detail: 'trade_status unreadable',
    };
  }

  private async queryRefund(ref: AttemptRef): Promise<QueryAnswer> {
    if (!ref.refundOf)
      return { outcome: 'unknown', reason: 'malformed', code: null, detail: 'refund without its payment' };
    const called = await this.call('alipay.trade.fastpay.refund.query', {
      out_trade_no: ref.refundOf,
      out_request_no: ref.merchantOrderNo,
    });
    if (!called.ok) return { outcome: 'unknown', reason: called.reason, code: null, detail: called.detail };
    const node = called.node;
    if (str(node, 'code') !== '10000')
      return { outcome: 'unknown', reason: 'code', code: str(node, 'sub_code') ?? str(node, 'code') };
    const amount = fenOfAlipayAmount(str(node, 'refund_amount'));
    // Alipay answers success without refund fields when there is no such refund.
    if (amount === null) return { outcome: 'not_found' };
    const status = str(node, 'refund_status');
    if (status !== null && status !== 'REFUND_SUCCESS')
      return { outcome: 'unknown', reason: 'in_progress', code: status };
    return {
      outcome: 'paid',
      amountFen: amount,
      code: '10000',
      providerRef: null,
      maskedPan: null,
      brand: 'Alipay',
      slip: {},
    };
  }

  async reverse(ref: AttemptRef): Promise<ReverseAnswer> {
    const called = await this.call('alipay.trade.cancel', { out_trade_no: ref.merchantOrderNo });
    if (!called.ok) return { outcome: 'unknown', reason: called.reason, detail: called.detail };
    const node = called.node;
    if (str(node, 'code') === '10000' && str(node, 'retry_flag') !== 'Y') return { outcome: 'reversed' };
    if (str(node, 'sub_code') === 'ACQ.TRADE_NOT_EXIST') return { outcome: 'not_found' };
    // retry_flag=Y, or a refusal (too late to cancel): asked again, then a person looks.
    return {
      outcome: 'unknown',
      reason: 'code',
      detail: str(node, 'sub_code') ?? `retry_flag ${str(node, 'retry_flag')}`,
    };
  }

  /** Nothing to stop at the till: the cancel at the deadline undoes it (and a paid trade is refunded by it). */
  async abort(): Promise<void> {}

  async refund(request: RefundRequest): Promise<PayAnswer> {
    const called = await this.call('alipay.trade.refund', {
      out_trade_no: request.original.merchantOrderNo,
      refund_amount: formatYuan(request.amountFen),
      out_request_no: request.merchantOrderNo,
      refund_reason: 'TillSafe refund',
    });
    if (!called.ok) return { outcome: 'unknown', reason: called.reason, code: null, detail: called.detail };
    const node = called.node;
    if (str(node, 'code') === '10000') {
      if (str(node, 'out_trade_no') !== request.original.merchantOrderNo)
        return {
          outcome: 'unknown',
          reason: 'mismatch',
          code: '10000',
          detail: 'refund answer for another order',
        };
      return {
        outcome: 'paid',
        amountFen: request.amountFen,
        code: '10000',
        providerRef: str(node, 'trade_no'),
        maskedPan: null,
        brand: 'Alipay',
        slip: {},
      };
    }
    const meaning = classifyAlipay(str(node, 'code'), str(node, 'sub_code'));
    const said = str(node, 'sub_code') ?? str(node, 'code');
    if (meaning.outcome === 'failed' && meaning.category)
      return { outcome: 'failed', code: said, category: meaning.category, providerRef: null };
    return { outcome: 'unknown', reason: 'code', code: said, detail: meaning.meaning };
  }

  /** Alipay's asynchronous notification (form fields), verified with Alipay's public key first. */
  readNotice(body: unknown): ProviderNotice {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return { ok: false, problem: 'not a form' };
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (typeof v !== 'string') return { ok: false, problem: `field ${k} is not text` };
      fields[k] = v;
    }
    if (!fields.sign) return { ok: false, problem: 'not signed' };
    let verified = false;
    try {
      verified = this.sdk.checkNotifySignV2(fields);
    } catch {
      verified = false;
    }
    if (!verified) return { ok: false, problem: 'signature does not verify' };
    if (fields.app_id !== this.config.appId) return { ok: false, problem: 'for another app' };
    const orderNo = fields.out_trade_no;
    if (!orderNo || orderNo.length > 64) return { ok: false, problem: 'no order number' };
    const status = ALIPAY_TRADE_STATUS[fields.trade_status ?? ''];
    const amountFen = fenOfAlipayAmount(fields.total_amount ?? null);
    return {
      ok: true,
      merchantOrderNo: orderNo,
      claim: status === 'paid' && amountFen !== null ? 'paid' : status === 'closed' ? 'failed' : 'pending',
      amountFen: status === 'paid' ? amountFen : null,
      code: fields.trade_status ?? null,
    };
  }
}
