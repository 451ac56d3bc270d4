/**
 * The sandbox WeChat Pay (API v2): a real HTTP server speaking the signed XML of
 * src/payments/providers/wechat-v2.ts — micropay, orderquery, reverse, refund, refundquery and
 * downloadbill. It verifies our signatures and signs its answers, keeps its own ledger of money
 * moved, enforces the order-number rules (reused with other parameters: OUT_TRADE_NO_USED; the
 * same order again once paid: ORDERPAID), lets a customer "enter the password" for a while
 * (USERPAYING), and injects faults on demand through a control API. The payment code is never
 * kept; the buyer is a masked openid.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Clock, systemClock } from '../kernel';
import { fromWechatXml, nonceOf, signed, toWechatXml, verifyWechat, type WechatParams } from '../payments';
import { answerControl, chinaTime, readBody, SandboxService, sleep } from './http-kit';

/** One fault, applied to the next micropay (`offline` to the next requests of any kind). */
export type WechatFault =
  | { kind: 'decline'; errCode: string }
  /**
   * The customer must enter the password: USERPAYING, then paid (or declined) after `ms` of the
   * emulator's clock, or after `queries` order queries, whichever comes first.
   */
  | { kind: 'user_paying'; ms?: number; queries?: number; outcome?: 'pay' | { decline: string } }
  /** SYSTEMERROR / BANKERROR answered, the money moved anyway (or not). */
  | { kind: 'system_error'; errCode?: 'SYSTEMERROR' | 'BANKERROR'; moneyMoved: boolean }
  | { kind: 'lose_answer_after_money' }
  | { kind: 'lose_answer_before_money' }
  | { kind: 'server_error' }
  | { kind: 'slow'; ms: number }
  | { kind: 'offline'; requests: number }
  /** The answer is signed with another key (a forged or broken gateway). */
  | { kind: 'bad_signature' }
  /** Pays another amount than asked (a broken gateway). */
  | { kind: 'wrong_amount' }
  /** The next reverse asks to be repeated (`recall=Y`) this many times. */
  | { kind: 'recall'; times: number };

export interface WechatOrder {
  outTradeNo: string;
  transactionId: string;
  amountFen: number;
  body: string;
  /** What the order was first sent with: the same order number with other values is refused. */
  fingerprint: string;
  state: 'SUCCESS' | 'USERPAYING' | 'PAYERROR' | 'CLOSED' | 'REVOKED' | 'NOTPAY';
  /** While USERPAYING: when the customer finishes (time, or queries left), and how. */
  payingUntil: number | null;
  payingQueries: number | null;
  payingOutcome: 'pay' | { decline: string };
  refundedFen: number;
  openid: string;
  deviceInfo: string;
  createdAt: string;
  paidAt: string | null;
}

export interface WechatRefund {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  amountFen: number;
  at: string;
}

export interface WechatPayOptions {
  appId: string;
  mchId: string;
  apiKey: string;
  clock?: Clock;
  /** Random bytes for nonces and ids (injected so the simulation replays). */
  random?: (n: number) => Uint8Array;
}

export class WechatPayEmulator extends SandboxService {
  readonly appId: string;
  readonly mchId: string;
  private readonly apiKey: string;
  private readonly clock: Clock;
  private readonly random: (n: number) => Uint8Array;
  private readonly orders = new Map<string, WechatOrder>();
  private readonly refunds = new Map<string, WechatRefund>();
  private faults: WechatFault[] = [];
  private offlineFor = 0;
  private recalls = 0;
  private seq = 0;

  constructor(options: WechatPayOptions) {
    super();
    this.appId = options.appId;
    this.mchId = options.mchId;
    this.apiKey = options.apiKey;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? ((n) => crypto.getRandomValues(new Uint8Array(n)));
  }

  script(faults: readonly WechatFault[]): void {
    for (const fault of faults) {
      if (fault.kind === 'offline') this.offlineFor += fault.requests;
      else if (fault.kind === 'recall') this.recalls += fault.times;
      else this.faults.push(fault);
    }
  }

  reset(): void {
    this.orders.clear();
    this.refunds.clear();
    this.faults = [];
    this.offlineFor = 0;
    this.recalls = 0;
  }

  /** Money held for an order: paid, less what was refunded from it (a reversed order holds nothing). */
  moneyMoved(outTradeNo: string): number {
    const order = this.orders.get(outTradeNo);
    if (!order) return 0;
    this.settle(order);
    return order.state === 'SUCCESS' ? order.amountFen - order.refundedFen : 0;
  }

  /** What a refund request gave back. */
  refunded(outRefundNo: string): number {
    return this.refunds.get(outRefundNo)?.amountFen ?? 0;
  }

  ledger(): { orders: WechatOrder[]; refunds: WechatRefund[] } {
    for (const o of this.orders.values()) this.settle(o);
    return { orders: [...this.orders.values()].map((o) => ({ ...o })), refunds: [...this.refunds.values()] };
  }

  // ------------------------------------------------------------------ server

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith('/control/')) return answerControl(req.method ?? 'GET', url, text, res, this);
    if (this.offlineFor > 0) {
      this.offlineFor--;
      req.socket.destroy();
      return;
    }
    if (req.method !== 'POST')
      return this.reply(res, { return_code: 'FAIL', return_msg: 'REQUIRE_POST_METHOD' });
    const parsed = fromWechatXml(text);
    if (!parsed.ok)
      return this.reply(res, { return_code: 'FAIL', return_msg: `XML_FORMAT_ERROR: ${parsed.problem}` });
    const p = parsed.params;
    if (p.appid !== this.appId || p.mch_id !== this.mchId)
      return this.business(res, p, { result_code: 'FAIL', err_code: 'APPID_MCHID_NOT_MATCH' });
    if (!p.nonce_str || !verifyWechat(p, this.apiKey))
      return this.business(res, p, {
        result_code: 'FAIL',
        err_code: 'SIGNERROR',
        err_code_des: 'signature error',
      });
    switch (url.pathname) {
      case '/pay/micropay':
        return this.micropay(req, res, p);
      case '/pay/orderquery':
        return this.orderquery(res, p);
      case '/secapi/pay/reverse':
        return this.reverse(res, p);
      case '/secapi/pay/refund':
        return this.refund(res, p);
      case '/pay/refundquery':
        return this.refundquery(res, p);
      case '/pay/downloadbill':
        return this.downloadbill(res, p);
      default:
        res.writeHead(404).end();
    }
  }

  private async micropay(req: IncomingMessage, res: ServerResponse, p: WechatParams): Promise<void> {
    const amountFen = /^\d{1,10}$/.test(p.total_fee ?? '') ? Number(p.total_fee) : 0;
    const missing = ['body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'auth_code'].filter(
      (k) => !p[k],
    );
    if (missing.length > 0 || amountFen <= 0 || (p.out_trade_no ?? '').length > 32)
      return this.business(res, p, {
        result_code: 'FAIL',
        err_code: 'PARAM_ERROR',
        err_code_des: missing.length ? `missing ${missing.join(',')}` : 'total_fee or out_trade_no invalid',
      });
    if (!/^1[0-5]\d{16}$/.test(p.auth_code ?? ''))
      return this.business(res, p, { result_code: 'FAIL', err_code: 'AUTH_CODE_INVALID' });
    const fingerprint = `${p.total_fee}|${p.body}|${p.auth_code}`;
    const existing = this.orders.get(p.out_trade_no!);
    if (existing) {
      this.settle(existing);
      if (existing.fingerprint !== fingerprint)
        return this.business(res, p, { result_code: 'FAIL', err_code: 'OUT_TRADE_NO_USED' });
      if (existing.state === 'SUCCESS')
        return this.business(res, p, { result_code: 'FAIL', err_code: 'ORDERPAID' });
      if (existing.state === 'USERPAYING')
        return this.business(res, p, { result_code: 'FAIL', err_code: 'USERPAYING' });
      return this.business(res, p, {
        result_code: 'FAIL',
        err_code: existing.state === 'REVOKED' ? 'ORDERREVERSED' : 'ORDERCLOSED',
      });
    }
    const fault = this.faults.shift();
    if (fault?.kind === 'lose_answer_before_money') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'server_error') {
      res.writeHead(502).end('Bad Gateway');
      return;
    }
    if (fault?.kind === 'slow') await sleep(fault.ms);
    const order = this.newOrder(p, amountFen + (fault?.kind === 'wrong_amount' ? 100 : 0), fingerprint);
    if (fault?.kind === 'decline') {
      order.state = fault.errCode === 'USERPAYING' ? 'USERPAYING' : 'PAYERROR';
      return this.business(res, p, { result_code: 'FAIL', err_code: fault.errCode });
    }
    if (fault?.kind === 'user_paying') {
      order.state = 'USERPAYING';
      order.payingUntil = fault.ms === undefined ? null : this.clock.now().getTime() + fault.ms;
      order.payingQueries = fault.queries ?? null;
      order.payingOutcome = fault.outcome ?? 'pay';
      return this.business(res, p, {
        result_code: 'FAIL',
        err_code: 'USERPAYING',
        err_code_des: '需要用户输入支付密码',
      });
    }
    this.pay(order);
    if (fault?.kind === 'system_error') {
      if (!fault.moneyMoved) order.state = 'PAYERROR';
      return this.business(res, p, { result_code: 'FAIL', err_code: fault.errCode ?? 'SYSTEMERROR' });
    }
    if (fault?.kind === 'lose_answer_after_money') {
      req.socket.destroy();
      return;
    }
    return this.business(res, p, this.paidFields(order), fault?.kind === 'bad_signature');
  }

  private orderquery(res: ServerResponse, p: WechatParams) {
    const order = this.orders.get(p.out_trade_no ?? '');
    if (!order) return this.business(res, p, { result_code: 'FAIL', err_code: 'ORDERNOTEXIST' });
    if (order.state === 'USERPAYING' && order.payingQueries !== null) order.payingQueries--;
    this.settle(order);
    return this.business(res, p, {
      result_code: 'SUCCESS',
      trade_state: order.refundedFen > 0 && order.state === 'SUCCESS' ? 'REFUND' : order.state,
      out_trade_no: order.outTradeNo,
      ...(order.state === 'SUCCESS' ? this.paidFields(order) : { total_fee: String(order.amountFen) }),
    });
  }

  private reverse(res: ServerResponse, p: WechatParams) {
    const order = this.orders.get(p.out_trade_no ?? '');
    if (!order) return this.business(res, p, { result_code: 'FAIL', err_code: 'ORDERNOTEXIST', recall: 'N' });
    if (this.recalls > 0) {
      this.recalls--;
      return this.business(res, p, { result_code: 'FAIL', err_code: 'SYSTEMERROR', recall: 'Y' });
    }
    this.settle(order);
    if (this.clock.now().getTime() - Date.parse(order.createdAt) > 7 * 86_400_000)
      return this.business(res, p, { result_code: 'FAIL', err_code: 'REVERSE_EXPIRE', recall: 'N' });
    // Paid: the money goes back; still paying: the payment is stopped. Either way nothing stays.
    if (order.state === 'SUCCESS' || order.state === 'USERPAYING' || order.state === 'NOTPAY')
      order.state = 'REVOKED';
    return this.business(res, p, { result_code: 'SUCCESS', recall: 'N' });
  }

  private refund(res: ServerResponse, p: WechatParams) {
    const order = this.orders.get(p.out_trade_no ?? '');
    const refundFen = /^\d{1,10}$/.test(p.refund_fee ?? '') ? Number(p.refund_fee) : 0;
    if (!order) return this.business(res, p, { result_code: 'FAIL', err_code: 'ORDERNOTEXIST' });
    this.settle(order);
    const done = this.refunds.get(p.out_refund_no ?? '');
    if (done) return this.business(res, p, this.refundFields(done)); // the same refund again: one refund
    if (!p.out_refund_no || refundFen <= 0 || p.total_fee !== String(order.amountFen))
      return this.business(res, p, {
        result_code: 'FAIL',
        err_code: 'PARAM_ERROR',
        err_code_des: 'refund fields',
      });
    if (order.state !== 'SUCCESS' || refundFen > order.amountFen - order.refundedFen)
      return this.business(res, p, {
        result_code: 'FAIL',
        err_code: 'ERROR',
        err_code_des: 'nothing left to refund',
      });
    order.refundedFen += refundFen;
    const refund: WechatRefund = {
      outRefundNo: p.out_refund_no,
      refundId: `50${String(++this.seq).padStart(26, '0')}`,
      outTradeNo: order.outTradeNo,
      amountFen: refundFen,
      at: this.clock.now().toISOString(),
    };
    this.refunds.set(refund.outRefundNo, refund);
    return this.business(res, p, this.refundFields(refund));
  }

  private refundquery(res: ServerResponse, p: WechatParams) {
    const refund = this.refunds.get(p.out_refund_no ?? '');
    if (!refund) return this.business(res, p, { result_code: 'FAIL', err_code: 'REFUNDNOTEXIST' });
    return this.business(res, p, {
      result_code: 'SUCCESS',
      out_trade_no: refund.outTradeNo,
      refund_count: '1',
      out_refund_no_0: refund.outRefundNo,
      refund_id_0: refund.refundId,
      refund_fee_0: String(refund.amountFen),
      refund_status_0: 'SUCCESS',
    });
  }

  /**
   * The bill for a day (`bill_date` yyyyMMdd, China time), in the ALL / SUCCESS / REFUND layouts of
   * docs/providers.md, "Statements": plain text, every field after a backtick, then the summary.
   */
  billFor(date: string, type: 'ALL' | 'SUCCESS' | 'REFUND'): string {
    const day = (iso: string) => chinaTime(iso).slice(0, 10).replaceAll('-', '');
    const rows: string[][] = [];
    let paid = 0;
    let refunded = 0;
    let fees = 0;
    const fee = feeMilliFen;
    for (const o of this.orders.values()) {
      this.settle(o);
      if (!o.paidAt || day(o.paidAt) !== date || type === 'REFUND') continue;
      const state = o.state === 'REVOKED' ? 'REVOKED' : 'SUCCESS';
      if (type === 'SUCCESS' && state !== 'SUCCESS') continue;
      paid += o.amountFen;
      fees += fee(o.amountFen);
      rows.push(this.billRow(o, state, null, type));
    }
    for (const r of this.refunds.values()) {
      if (day(r.at) !== date || type === 'SUCCESS') continue;
      const o = this.orders.get(r.outTradeNo)!;
      refunded += r.amountFen;
      fees -= fee(r.amountFen);
      rows.push(this.billRow(o, 'REFUND', r, type));
    }
    const header = type === 'SUCCESS' ? BILL_SUCCESS_HEADER : BILL_ALL_HEADER;
    const summaryHeader =
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
    const summary = [
      String(rows.length),
      yuan(paid),
      yuan(refunded),
      '0.00',
      yuanOfMilliFen(fees),
      yuan(paid),
      yuan(refunded),
    ];
    return [
      header,
      ...rows.map((r) => r.map((c) => `\`${c}`).join(',')),
      summaryHeader,
      summary.map((c) => `\`${c}`).join(','),
    ]
      .join('\r\n')
      .concat('\r\n');
  }

  private billRow(
    o: WechatOrder,
    state: string,
    refund: WechatRefund | null,
    type: 'ALL' | 'SUCCESS' | 'REFUND',
  ) {
    const fee = (fen: number) => yuanOfMilliFen(feeMilliFen(fen));
    const at = chinaTime(refund?.at ?? o.paidAt ?? o.createdAt);
    const common = [
      at,
      this.appId,
      this.mchId,
      '0',
      o.deviceInfo,
      o.transactionId,
      o.outTradeNo,
      o.openid,
      'MICROPAY',
      state,
      'CMB_DEBIT',
      'CNY',
      yuan(refund ? 0 : o.amountFen),
      '0.00',
    ];
    const refundCols = refund
      ? [refund.refundId, refund.outRefundNo, yuan(refund.amountFen), '0.00', 'ORIGINAL', 'SUCCESS']
      : ['0', '', '0.00', '0.00', '', ''];
    const tail = [
      o.body,
      '',
      refund ? `-${fee(refund.amountFen)}` : fee(o.amountFen),
      '0.60%',
      yuan(o.amountFen),
      refund ? yuan(refund.amountFen) : '0.00',
      '',
    ];
    if (type === 'SUCCESS') return [...common, o.body, '', fee(o.amountFen), '0.60%', yuan(o.amountFen), ''];
    return [...common, ...refundCols, ...tail];
  }

  private downloadbill(res: ServerResponse, p: WechatParams) {
    const type = p.bill_type === 'SUCCESS' || p.bill_type === 'REFUND' ? p.bill_type : 'ALL';
    if (!/^\d{8}$/.test(p.bill_date ?? ''))
      return this.reply(res, { return_code: 'FAIL', return_msg: 'invalid bill_date', error_code: '20001' });
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(this.billFor(p.bill_date!, type));
  }

  // ------------------------------------------------------------------ ledger

  private newOrder(p: WechatParams, amountFen: number, fingerprint: string): WechatOrder {
    this.seq++;
    const order: WechatOrder = {
      outTradeNo: p.out_trade_no!,
      transactionId: `42${String(this.seq).padStart(26, '0')}`,
      amountFen,
      body: p.body ?? '',
      fingerprint,
      state: 'NOTPAY',
      payingUntil: null,
      payingQueries: null,
      payingOutcome: 'pay',
      refundedFen: 0,
      openid: `oSandbox${String(this.seq).padStart(4, '0')}****`,
      deviceInfo: p.device_info ?? '',
      createdAt: this.clock.now().toISOString(),
      paidAt: null,
    };
    this.orders.set(order.outTradeNo, order);
    return order;
  }

  private pay(order: WechatOrder): void {
    order.state = 'SUCCESS';
    order.paidAt = this.clock.now().toISOString();
  }

  /** A customer who was entering the password has finished by now. */
  private settle(order: WechatOrder): void {
    if (order.state !== 'USERPAYING') return;
    const byTime = order.payingUntil !== null && this.clock.now().getTime() >= order.payingUntil;
    const byQueries = order.payingQueries !== null && order.payingQueries < 0;
    if (!byTime && !byQueries) return;
    order.payingUntil = null;
    order.payingQueries = null;
    if (order.payingOutcome === 'pay') this.pay(order);
    else order.state = 'PAYERROR';
  }

  private paidFields(order: WechatOrder): WechatParams {
    return {
      result_code: 'SUCCESS',
      openid: order.openid,
      is_subscribe: 'N',
      trade_type: 'MICROPAY',
      bank_type: 'CMB_DEBIT',
      fee_type: 'CNY',
      total_fee: String(order.amountFen),
      cash_fee: String(order.amountFen),
      transaction_id: order.transactionId,
      out_trade_no: order.outTradeNo,
      time_end: chinaTime(order.paidAt ?? order.createdAt).replace(/\D/g, ''),
    };
  }

  private refundFields(refund: WechatRefund): WechatParams {
    return {
      result_code: 'SUCCESS',
      out_trade_no: refund.outTradeNo,
      out_refund_no: refund.outRefundNo,
      refund_id: refund.refundId,
      refund_fee: String(refund.amountFen),
    };
  }

  /** A business answer: communication fine, the result as given, signed (or, as a fault, signed wrong). */
  private business(
    res: ServerResponse,
    asked: WechatParams,
    fields: WechatParams,
    badSignature = false,
  ): void {
    const base: WechatParams = {
      return_code: 'SUCCESS',
      return_msg: 'OK',
      appid: this.appId,
      mch_id: this.mchId,
      nonce_str: nonceOf(this.random(16)),
      ...(asked.sign_type ? { sign_type: asked.sign_type } : {}),
      ...fields,
    };
    if (fields.err_code && !fields.err_code_des) base.err_code_des = fields.err_code;
    this.reply(res, signed(base, badSignature ? `${this.apiKey}x` : this.apiKey));
  }

  private reply(res: ServerResponse, params: WechatParams): void {
    const text = toWechatXml(params);
    res.writeHead(200, {
      'content-type': 'text/xml; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }
}

const BILL_ALL_HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const BILL_SUCCESS_HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,费率备注';

const yuan = (fen: number) => (fen / 100).toFixed(2);
/** WeChat Pay's 0.6 % fee as it states it on a bill line: exact, to five decimals of a yuan. */
const feeMilliFen = (fen: number) => fen * 6;
const yuanOfMilliFen = (milli: number) =>
  `${milli < 0 ? '-' : ''}${Math.floor(Math.abs(milli) / 100_000)}.${String(Math.abs(milli) % 100_000).padStart(5, '0')}`;
