/**
 * The WeChat Pay adapter (API v2, 付款码支付): micropay, orderquery, reverse, refund and
 * refundquery in signed XML (wechat-v2.ts). `return_code` says only whether the message got
 * through — anything but SUCCESS is unknown; the business result is `result_code` and `err_code`
 * (wallet-codes.ts); a paid answer counts only when it is signed right, for our order and our
 * amount. A timeout, a dropped connection, a 5xx, unreadable XML or a wrong signature is unknown.
 * The `/secapi/` calls carry the merchant's client certificate when one is configured.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type {
  AttemptRef,
  ChargeRequest,
  PayAnswer,
  PaymentProvider,
  QueryAnswer,
  RefundRequest,
  ReverseAnswer,
  UnknownReason,
} from '../provider';
import { classifyWechat, WECHAT_TRADE_STATES } from './wallet-codes';
import {
  fromWechatXml,
  nonceOf,
  signed,
  toWechatXml,
  verifyWechat,
  type WechatParams,
  type WechatSignType,
} from './wechat-v2';

export interface WechatPayConfig {
  /** `https://api.mch.weixin.qq.com`, or the sandbox. */
  gateway: string;
  appId: string;
  mchId: string;
  apiKey: string;
  signType: WechatSignType;
  /** The till's address as WeChat wants it (`spbill_create_ip`). */
  clientIp: string;
  /** micropay waits for the customer's wallet; the others answer at once. */
  payTimeoutMs: number;
  requestTimeoutMs: number;
  /** The merchant's API certificate for `/secapi/` (reverse, refund), PEM. */
  tls?: { cert: string; key: string };
}

type Sent = { ok: true; params: WechatParams } | { ok: false; reason: UnknownReason; detail: string };

export class WechatPayProvider implements PaymentProvider {
  readonly tender = 'wechat' as const;

  constructor(
    private readonly config: WechatPayConfig,
    private readonly random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)),
  ) {}

  /** WeChat Pay has no status call: reachability shows in the answer (unknown, then queried). */
  async health(): Promise<'ok'> {
    return 'ok';
  }

  private async call(path: string, fields: WechatParams, timeoutMs: number): Promise<Sent> {
    const body = toWechatXml(
      signed(
        {
          appid: this.config.appId,
          mch_id: this.config.mchId,
          nonce_str: nonceOf(this.random(16)),
          ...(this.config.signType === 'HMAC-SHA256' ? { sign_type: 'HMAC-SHA256' } : {}),
          ...fields,
        },
        this.config.apiKey,
      ),
    );
    const answer = await postText(`${this.config.gateway.replace(/\/$/, '')}${path}`, body, {
      timeoutMs,
      tls: path.startsWith('/secapi/') ? this.config.tls : undefined,
    });
    if (!answer.ok) return answer;
    if (answer.status >= 500) return { ok: false, reason: 'server_error', detail: `HTTP ${answer.status}` };
    const parsed = fromWechatXml(answer.text);
    if (!parsed.ok) return { ok: false, reason: 'malformed', detail: parsed.problem };
    const p = parsed.params;
    // Communication failed: WeChat did not (or could not) process it — still never "failed".
    if (p.return_code !== 'SUCCESS')
      return {
        ok: false,
        reason: 'server_error',
        detail: `return_code ${p.return_code ?? '?'}: ${p.return_msg ?? ''}`,
      };
    if (!verifyWechat(p, this.config.apiKey))
      return { ok: false, reason: 'malformed', detail: 'signature does not verify' };
    if (p.appid !== this.config.appId || p.mch_id !== this.config.mchId)
      return { ok: false, reason: 'mismatch', detail: 'answer for another merchant' };
    return { ok: true, params: p };
  }

  async pay(request: ChargeRequest): Promise<PayAnswer> {
    if (!request.paymentCode)
      return {
        outcome: 'failed',
        code: 'AUTH_CODE_INVALID',
        category: 'wallet_code_invalid',
        providerRef: null,
      };
    const sent = await this.call(
      '/pay/micropay',
      {
        body: (request.subject ?? 'TillSafe').slice(0, 120),
        out_trade_no: request.merchantOrderNo,
        total_fee: String(request.amountFen),
        spbill_create_ip: this.config.clientIp,
        auth_code: request.paymentCode,
        device_info: request.tillId.slice(0, 32),
      },
      this.config.payTimeoutMs,
    );
    if (!sent.ok) return { outcome: 'unknown', reason: sent.reason, code: null, detail: sent.detail };
    return this.readPaid(sent.params, request.merchantOrderNo, request.amountFen);
  }

  /** A micropay or query answer with `result_code`: paid (ours, our amount), failed, or unknown. */
  private readPaid(p: WechatParams, orderNo: string, amountFen: number | null): PayAnswer {
    if (p.result_code === 'SUCCESS') {
      if (p.out_trade_no !== orderNo)
        return {
          outcome: 'unknown',
          reason: 'mismatch',
          code: null,
          detail: 'the answer names another order',
        };
      const paid = /^\d{1,10}$/.test(p.total_fee ?? '') ? Number(p.total_fee) : null;
      if (paid === null)
        return { outcome: 'unknown', reason: 'malformed', code: null, detail: 'no total_fee' };
      if (amountFen !== null && paid !== amountFen)
        return {
          outcome: 'unknown',
          reason: 'mismatch',
          code: null,
          detail: `paid ${paid}, asked ${amountFen}`,
        };
      return {
        outcome: 'paid',
        amountFen: paid,
        code: 'SUCCESS',
        providerRef: p.transaction_id ?? null,
        maskedPan: null,
        brand: 'WeChat Pay',
        slip: {
          ...(p.transaction_id ? { reference: p.transaction_id } : {}),
          ...(p.bank_type ? { bank: p.bank_type } : {}),
          ...(p.time_end ? { time: p.time_end } : {}),
        },
      };
    }
    const code = p.err_code ?? null;
    const meaning = classifyWechat(code);
    if (meaning.outcome === 'failed' && meaning.category)
      return { outcome: 'failed', code, category: meaning.category, providerRef: null };
    return {
      outcome: 'unknown',
      reason: meaning.category === 'customer_still_paying' ? 'in_progress' : 'code',
      code,
      detail: meaning.meaning,
      ...(meaning.queryAtOnce ? { queryAtOnce: true as const } : {}),
    };
  }

  async query(ref: AttemptRef): Promise<QueryAnswer> {
    if (ref.kind === 'refund') return this.queryRefund(ref);
    const sent = await this.call(
      '/pay/orderquery',
      { out_trade_no: ref.merchantOrderNo },
      this.config.requestTimeoutMs,
    );
    if (!sent.ok) return { outcome: 'unknown', reason: sent.reason, code: null, detail: sent.detail };
    const p = sent.params;
    if (p.result_code !== 'SUCCESS') {
      if (p.err_code === 'ORDERNOTEXIST') return { outcome: 'not_found' };
      return {
        outcome: 'unknown',
        reason: 'code',
        code: p.err_code ?? null,
        detail: classifyWechat(p.err_code).meaning,
      };
    }
    const state = WECHAT_TRADE_STATES[p.trade_state ?? ''];
    if (state === 'paid') return this.readPaid({ ...p, result_code: 'SUCCESS' }, ref.merchantOrderNo, null);
    if (state === 'closed')
      return {
        outcome: 'failed',
        code: p.trade_state ?? null,
        category: 'customer_cancelled',
        providerRef: p.transaction_id ?? null,
      };
    return {
      outcome: 'unknown',
      reason: state === 'waiting' ? 'in_progress' : 'code',
      code: p.trade_state ?? null,
      detail: p.trade_state_desc ?? p.trade_state ?? 'no trade_state',
    };
  }

  private async queryRefund(ref: AttemptRef): Promise<QueryAnswer> {
    const sent = await this.call(
      '/pay/refundquery',
      { out_refund_no: ref.merchantOrderNo },
      this.config.requestTimeoutMs,
    );
    if (!sent.ok) return { outcome: 'unknown', reason: sent.reason, code: null, detail: sent.detail };
    const p = sent.params;
    if (p.result_code !== 'SUCCESS')
      return p.err_code === 'REFUNDNOTEXIST'
        ? { outcome: 'not_found' }
        : { outcome: 'unknown', reason: 'code', code: p.err_code ?? null };
    const status = p.refund_status_0;
    const amount = /^\d{1,10}$/.test(p.refund_fee_0 ?? '') ? Number(p.refund_fee_0) : null;
    if (status === 'SUCCESS' && amount !== null && p.out_refund_no_0 === ref.merchantOrderNo)
      return {
        outcome: 'paid',
        amountFen: amount,
        code: 'SUCCESS',
        providerRef: p.refund_id_0 ?? null,
        maskedPan: null,
        brand: 'WeChat Pay',
        slip: {},
      };
    if (status === 'PROCESSING') return { outcome: 'unknown', reason: 'in_progress', code: status };
    if (status === 'CHANGE' || status === 'REFUNDCLOSE')
      return {
        outcome: 'failed',
        code: status,
        category: 'merchant_setup',
        providerRef: p.refund_id_0 ?? null,
      };
    return {
      outcome: 'unknown',
      reason: 'malformed',
      code: status ?? null,
      detail: 'refund status unreadable',
    };
  }

  async reverse(ref: AttemptRef): Promise<ReverseAnswer> {
    const sent = await this.call(
      '/secapi/pay/reverse',
      { out_trade_no: ref.merchantOrderNo },
      this.config.requestTimeoutMs,
    );
    if (!sent.ok) return { outcome: 'unknown', reason: sent.reason, detail: sent.detail };
    const p = sent.params;
    if (p.result_code === 'SUCCESS' && p.recall !== 'Y') return { outcome: 'reversed' };
    if (p.err_code === 'ORDERNOTEXIST') return { outcome: 'not_found' };
    // `recall=Y` (or a system error): call again; a refusal we cannot act on stays unknown, then review.
    return {
      outcome: 'unknown',
      reason: 'code',
      detail: `${p.err_code ?? 'recall'}${p.recall === 'Y' ? ' (recall)' : ''}`,
    };
  }

  /** Nothing to stop at a terminal: a wallet payment is undone by the reversal at its deadline. */
  async abort(): Promise<void> {}

  async refund(request: RefundRequest): Promise<PayAnswer> {
    const sent = await this.call(
      '/secapi/pay/refund',
      {
        out_trade_no: request.original.merchantOrderNo,
        out_refund_no: request.merchantOrderNo,
        total_fee: String(request.originalAmountFen),
        refund_fee: String(request.amountFen),
      },
      this.config.requestTimeoutMs,
    );
    if (!sent.ok) return { outcome: 'unknown', reason: sent.reason, code: null, detail: sent.detail };
    const p = sent.params;
    if (p.result_code === 'SUCCESS') {
      if (p.out_refund_no !== request.merchantOrderNo || p.refund_fee !== String(request.amountFen))
        return {
          outcome: 'unknown',
          reason: 'mismatch',
          code: null,
          detail: 'refund answer for another request',
        };
      return {
        outcome: 'paid',
        amountFen: request.amountFen,
        code: 'SUCCESS',
        providerRef: p.refund_id ?? null,
        maskedPan: null,
        brand: 'WeChat Pay',
        slip: {},
      };
    }
    const meaning = classifyWechat(p.err_code);
    // NOTENOUGH here is the merchant's balance, not the buyer's.
    if (p.err_code === 'NOTENOUGH')
      return { outcome: 'failed', code: 'NOTENOUGH', category: 'merchant_setup', providerRef: null };
    if (meaning.outcome === 'failed' && meaning.category)
      return { outcome: 'failed', code: p.err_code ?? null, category: meaning.category, providerRef: null };
    return { outcome: 'unknown', reason: 'code', code: p.err_code ?? null, detail: meaning.meaning };
  }
}

type Posted =
  | { ok: true; status: number; text: string }
  | { ok: false; reason: UnknownReason; detail: string };

/** POSTs a text body and reads the answer, bounded in time and size; TLS with a client certificate when given. */
export function postText(
  url: string,
  body: string,
  options: { timeoutMs: number; tls?: { cert: string; key: string } | undefined; contentType?: string },
): Promise<Posted> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const done = (value: Posted) => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': options.contentType ?? 'text/xml; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        },
        ...(options.tls ? { cert: options.tls.cert, key: options.tls.key } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > 1024 * 1024) req.destroy(new Error('answer too large'));
          else chunks.push(chunk);
        });
        res.on('end', () =>
          done({ ok: true, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (error) => done({ ok: false, reason: 'connection', detail: String(error) }));
      },
    );
    req.setTimeout(options.timeoutMs, () => {
      done({ ok: false, reason: 'timeout', detail: `no answer in ${options.timeoutMs} ms` });
      req.destroy();
    });
    req.on('error', (error) => done({ ok: false, reason: 'connection', detail: String(error) }));
    req.end(body);
  });
}
