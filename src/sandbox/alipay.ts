/**
 * The sandbox Alipay gateway: a real HTTP server speaking Alipay's OpenAPI (`/gateway.do`, common
 * parameters in the URL, `biz_content` in the form body) for face-to-face barcode payments —
 * trade.pay, trade.query, trade.cancel, trade.refund, fastpay.refund.query and the bill download
 * URL. It verifies the app's RSA2 signature with the app's public key and signs each response node
 * with its own key, as Alipay does, so the official SDK verifies it. It keeps its own ledger,
 * enforces the order-number rules (reused with other parameters: ACQ.CONTEXT_INCONSISTENT; paid
 * already: ACQ.TRADE_HAS_SUCCESS), closes unpaid trades after three minutes, posts signed
 * asynchronous notifications (and, as a fault, duplicates), and serves the trade bill as a
 * `.csv.zip` of GBK CSVs in the documented layout. Faults through a control API.
 */
import { createSign, createVerify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Clock, formatYuan, parseYuan, systemClock } from '../kernel';
import { alipayBill } from './alipay-bill';
import { type AlipayKeys, sandboxAlipayKeys, sandboxOtherKey } from './alipay-keys';
import { answerControl, chinaTime, Deliveries, readBody, SandboxService, sleep } from './http-kit';

export { type AlipayKeys, sandboxAlipayKeys };

export type AlipayFault =
  | { kind: 'decline'; subCode: string }
  /** 10003: the customer must confirm in the app; paid (or declined) after `ms` or `queries` queries. */
  | { kind: 'wait_buyer'; ms?: number; queries?: number; outcome?: 'pay' | { decline: string } }
  /** 20000 or ACQ.SYSTEM_ERROR answered; the money moved anyway, or not. */
  | { kind: 'system_error'; code?: '20000' | 'ACQ.SYSTEM_ERROR'; moneyMoved: boolean }
  | { kind: 'lose_answer_after_money' }
  /**
   * The connection drops before anything happens — for this request and the SDK's own retry of it
   * (its HTTP client, urllib, sends a request again once after a socket error; the same order
   * number makes that safe, and a real outage drops both).
   */
  | { kind: 'lose_answer_before_money' }
  | { kind: 'server_error' }
  | { kind: 'slow'; ms: number }
  | { kind: 'offline'; requests: number }
  /** The response is signed with another key. */
  | { kind: 'bad_signature' }
  /** Pays another amount than asked. */
  | { kind: 'wrong_amount' }
  /** The notification of the next payment is sent this many times. */
  | { kind: 'duplicate_notify'; copies: number }
  /** The next cancel answers `retry_flag=Y` this many times. */
  | { kind: 'cancel_retry'; times: number };

export interface AlipayTrade {
  outTradeNo: string;
  tradeNo: string;
  amountFen: number;
  subject: string;
  fingerprint: string;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';
  waitUntil: number | null;
  waitQueries: number | null;
  waitOutcome: 'pay' | { decline: string };
  refundedFen: number;
  buyerLogonId: string;
  storeId: string;
  terminalId: string;
  operatorId: string;
  notifyUrl: string | null;
  notifyCopies: number;
  createdAt: string;
  paidAt: string | null;
}

export interface AlipayRefund {
  outTradeNo: string;
  outRequestNo: string;
  amountFen: number;
  at: string;
}

export interface AlipayOptions {
  appId: string;
  keys: AlipayKeys;
  clock?: Clock;
  /** An unpaid trade closes itself after this long (Alipay: about 3 minutes). */
  closeUnpaidAfterMs?: number;
}

export class AlipayEmulator extends SandboxService {
  readonly appId: string;
  private readonly keys: AlipayKeys;
  private readonly clock: Clock;
  private readonly closeUnpaidAfterMs: number;
  private readonly trades = new Map<string, AlipayTrade>();
  private readonly refunds = new Map<string, AlipayRefund>();
  private faults: AlipayFault[] = [];
  private offlineFor = 0;
  private cancelRetries = 0;
  private notifyCopiesNext = 1;
  /** Order numbers whose next request (the client's retry) is dropped too. */
  private readonly dropAgain = new Set<string>();
  private seq = 0;
  private readonly deliveries = new Deliveries();

  constructor(options: AlipayOptions) {
    super();
    this.appId = options.appId;
    this.keys = options.keys;
    this.clock = options.clock ?? systemClock;
    this.closeUnpaidAfterMs = options.closeUnpaidAfterMs ?? 180_000;
  }

  get gateway(): string {
    if (!this.url) throw new Error('the sandbox Alipay is not listening');
    return `${this.url}/gateway.do`;
  }

  /** Notifications posted so far. */
  get noticesSent(): number {
    return this.deliveries.sent;
  }

  script(faults: readonly AlipayFault[]): void {
    for (const fault of faults) {
      if (fault.kind === 'offline') this.offlineFor += fault.requests;
      else if (fault.kind === 'cancel_retry') this.cancelRetries += fault.times;
      else if (fault.kind === 'duplicate_notify') this.notifyCopiesNext = fault.copies;
      else this.faults.push(fault);
    }
  }

  reset(): void {
    this.trades.clear();
    this.refunds.clear();
    this.faults = [];
    this.offlineFor = 0;
    this.cancelRetries = 0;
    this.dropAgain.clear();
  }

  moneyMoved(outTradeNo: string): number {
    const trade = this.trades.get(outTradeNo);
    if (!trade) return 0;
    this.settle(trade);
    return trade.paidAt && trade.status !== 'TRADE_CLOSED' ? trade.amountFen - trade.refundedFen : 0;
  }

  refunded(outRequestNo: string): number {
    return [...this.refunds.values()].find((r) => r.outRequestNo === outRequestNo)?.amountFen ?? 0;
  }

  ledger(): { trades: AlipayTrade[]; refunds: AlipayRefund[] } {
    for (const t of this.trades.values()) this.settle(t);
    return { trades: [...this.trades.values()].map((t) => ({ ...t })), refunds: [...this.refunds.values()] };
  }

  notificationsDelivered(): Promise<void> {
    return this.deliveries.delivered();
  }

  // ------------------------------------------------------------------ server

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith('/control/')) return answerControl(req.method ?? 'GET', url, body, res, this);
    if (url.pathname.startsWith('/bill/')) return this.serveBill(url, res);
    if (this.offlineFor > 0) {
      this.offlineFor--;
      req.socket.destroy();
      return;
    }
    if (url.pathname !== '/gateway.do' || req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    const method = params.method ?? '';
    const key = `${method.replaceAll('.', '_')}_response`;
    if (params.app_id !== this.appId)
      return this.answer(res, key, {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-app-id',
      });
    if (params.sign_type !== 'RSA2' || !this.verify(params))
      return this.answer(res, key, {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-signature',
        sub_msg: '验签出错',
      });
    let biz: Record<string, unknown>;
    try {
      biz = JSON.parse(params.biz_content ?? '{}') as Record<string, unknown>;
    } catch {
      return this.answer(res, key, {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-biz-content',
      });
    }
    const text = (k: string) => (typeof biz[k] === 'string' ? (biz[k] as string) : '');
    switch (method) {
      case 'alipay.trade.pay':
        return this.pay(req, res, key, text, params.notify_url ?? null);
      case 'alipay.trade.query':
        return this.query(res, key, text('out_trade_no'));
      case 'alipay.trade.cancel':
        return this.cancel(res, key, text('out_trade_no'));
      case 'alipay.trade.refund':
        return this.refund(res, key, text);
      case 'alipay.trade.fastpay.refund.query':
        return this.refundQuery(res, key, text('out_trade_no'), text('out_request_no'));
      case 'alipay.data.dataservice.bill.downloadurl.query':
        return this.answer(res, key, {
          code: '10000',
          msg: 'Success',
          bill_download_url: `${this.url}/bill/${encodeURIComponent(text('bill_date'))}.csv.zip`,
        });
      default:
        return this.answer(res, key, {
          code: '40004',
          msg: 'Business Failed',
          sub_code: 'isv.invalid-method',
        });
    }
  }

  private async pay(
    req: IncomingMessage,
    res: ServerResponse,
    key: string,
    text: (k: string) => string,
    notifyUrl: string | null,
  ): Promise<void> {
    const outTradeNo = text('out_trade_no');
    const amountFen = /^\d{1,9}(\.\d{1,2})?$/.test(text('total_amount'))
      ? parseYuan(text('total_amount'))
      : null;
    if (
      !outTradeNo ||
      outTradeNo.length > 64 ||
      amountFen === null ||
      amountFen < 1 ||
      amountFen > 10_000_000_000
    )
      return this.failure(res, key, '40002', 'isv.invalid-parameter', 'out_trade_no or total_amount');
    if (text('scene') !== 'bar_code' || text('product_code') !== 'FACE_TO_FACE_PAYMENT' || !text('subject'))
      return this.failure(res, key, '40002', 'isv.missing-parameter', 'scene, product_code, subject');
    const authCode = text('auth_code');
    if (!/^(2[5-9]|30)\d{14,22}$/.test(authCode))
      return this.failure(
        res,
        key,
        '40004',
        'ACQ.PAYMENT_AUTH_CODE_INVALID',
        '支付失败，获取顾客账户信息失败',
      );
    const fingerprint = `${amountFen}|${text('subject')}|${authCode}`;
    if (this.dropAgain.delete(outTradeNo)) {
      req.socket.destroy();
      return;
    }
    const existing = this.trades.get(outTradeNo);
    if (existing) {
      this.settle(existing);
      if (existing.fingerprint !== fingerprint)
        return this.failure(res, key, '40004', 'ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
      if (existing.status === 'TRADE_SUCCESS')
        return this.failure(res, key, '40004', 'ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
      if (existing.status === 'TRADE_CLOSED')
        return this.failure(res, key, '40004', 'ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
      return this.answer(res, key, {
        code: '10003',
        msg: ' order success pay inprocess',
        ...this.tradeFields(existing),
      });
    }
    const fault = this.faults.shift();
    if (fault?.kind === 'lose_answer_before_money') {
      this.dropAgain.add(outTradeNo);
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'server_error') {
      res.writeHead(502).end('Bad Gateway');
      return;
    }
    if (fault?.kind === 'slow') await sleep(fault.ms);
    this.seq++;
    const trade: AlipayTrade = {
      outTradeNo,
      tradeNo: `2026${String(this.seq).padStart(24, '0')}`,
      amountFen: amountFen + (fault?.kind === 'wrong_amount' ? 100 : 0),
      subject: text('subject'),
      fingerprint,
      status: 'WAIT_BUYER_PAY',
      waitUntil: null,
      waitQueries: null,
      waitOutcome: 'pay',
      refundedFen: 0,
      buyerLogonId: `sbx***@sandbox${this.seq % 10}.com`,
      storeId: text('store_id'),
      terminalId: text('terminal_id'),
      operatorId: text('operator_id'),
      notifyUrl,
      notifyCopies: this.notifyCopiesNext,
      createdAt: this.clock.now().toISOString(),
      paidAt: null,
    };
    this.notifyCopiesNext = 1;
    this.trades.set(outTradeNo, trade);
    if (fault?.kind === 'decline') {
      trade.status = 'TRADE_CLOSED';
      return this.failure(res, key, '40004', fault.subCode, 'Business Failed');
    }
    if (fault?.kind === 'wait_buyer') {
      trade.waitUntil = fault.ms === undefined ? null : this.clock.now().getTime() + fault.ms;
      trade.waitQueries = fault.queries ?? null;
      trade.waitOutcome = fault.outcome ?? 'pay';
      return this.answer(res, key, {
        code: '10003',
        msg: ' order success pay inprocess',
        ...this.tradeFields(trade),
      });
    }
    this.markPaid(trade);
    if (fault?.kind === 'system_error') {
      if (!fault.moneyMoved) {
        trade.status = 'TRADE_CLOSED';
        trade.paidAt = null;
      }
      return fault.code === 'ACQ.SYSTEM_ERROR'
        ? this.failure(res, key, '40004', 'ACQ.SYSTEM_ERROR', '系统错误')
        : this.answer(res, key, {
            code: '20000',
            msg: 'Service Currently Unavailable',
            sub_code: 'aop.unknow-error',
          });
    }
    if (fault?.kind === 'lose_answer_after_money') {
      req.socket.destroy();
      return;
    }
    return this.answer(
      res,
      key,
      { code: '10000', msg: 'Success', ...this.tradeFields(trade) },
      fault?.kind === 'bad_signature',
    );
  }

  private query(res: ServerResponse, key: string, outTradeNo: string) {
    const trade = this.trades.get(outTradeNo);
    if (!trade) return this.failure(res, key, '40004', 'ACQ.TRADE_NOT_EXIST', '交易不存在');
    if (trade.status === 'WAIT_BUYER_PAY' && trade.waitQueries !== null) trade.waitQueries--;
    this.settle(trade);
    return this.answer(res, key, {
      code: '10000',
      msg: 'Success',
      trade_status: trade.status,
      ...this.tradeFields(trade),
    });
  }

  private cancel(res: ServerResponse, key: string, outTradeNo: string) {
    const trade = this.trades.get(outTradeNo);
    if (!trade) return this.failure(res, key, '40004', 'ACQ.TRADE_NOT_EXIST', '交易不存在');
    if (this.cancelRetries > 0) {
      this.cancelRetries--;
      return this.answer(res, key, {
        code: '10000',
        msg: 'Success',
        out_trade_no: outTradeNo,
        retry_flag: 'Y',
      });
    }
    this.settle(trade);
    if (this.clock.now().getTime() - Date.parse(trade.createdAt) > 86_400_000)
      return this.failure(res, key, '40004', 'ACQ.TRADE_CANCEL_TIME_OUT', '超过撤销时间');
    // Paid: cancelling gives the money back; unpaid: the trade closes. Either way nothing stays.
    const action = trade.status === 'TRADE_SUCCESS' ? 'refund' : 'close';
    trade.status = 'TRADE_CLOSED';
    return this.answer(res, key, {
      code: '10000',
      msg: 'Success',
      out_trade_no: outTradeNo,
      trade_no: trade.tradeNo,
      retry_flag: 'N',
      action,
    });
  }

  private refund(res: ServerResponse, key: string, text: (k: string) => string) {
    const trade = this.trades.get(text('out_trade_no'));
    const amountFen = /^\d{1,9}(\.\d{1,2})?$/.test(text('refund_amount'))
      ? parseYuan(text('refund_amount'))
      : null;
    const requestNo = text('out_request_no');
    if (!trade) return this.failure(res, key, '40004', 'ACQ.TRADE_NOT_EXIST', '交易不存在');
    if (amountFen === null || amountFen < 1 || !requestNo)
      return this.failure(res, key, '40002', 'isv.invalid-parameter', 'refund_amount or out_request_no');
    this.settle(trade);
    const done = this.refunds.get(`${trade.outTradeNo}/${requestNo}`);
    if (done) {
      if (done.amountFen !== amountFen)
        return this.failure(res, key, '40004', 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额与原请求不一致');
      return this.answer(res, key, this.refundFields(trade)); // the same refund again: one refund
    }
    if (trade.status !== 'TRADE_SUCCESS')
      return this.failure(res, key, '40004', 'ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    if (amountFen > trade.amountFen - trade.refundedFen)
      return this.failure(res, key, '40004', 'ACQ.REFUND_FEE_ERROR', '退款金额超限');
    trade.refundedFen += amountFen;
    this.refunds.set(`${trade.outTradeNo}/${requestNo}`, {
      outTradeNo: trade.outTradeNo,
      outRequestNo: requestNo,
      amountFen,
      at: this.clock.now().toISOString(),
    });
    return this.answer(res, key, this.refundFields(trade));
  }

  private refundQuery(res: ServerResponse, key: string, outTradeNo: string, requestNo: string) {
    const refund = this.refunds.get(`${outTradeNo}/${requestNo}`);
    // As Alipay does: success with no refund fields when there is no such refund.
    if (!refund) return this.answer(res, key, { code: '10000', msg: 'Success', out_trade_no: outTradeNo });
    return this.answer(res, key, {
      code: '10000',
      msg: 'Success',
      out_trade_no: outTradeNo,
      out_request_no: requestNo,
      refund_amount: formatYuan(refund.amountFen),
      refund_status: 'REFUND_SUCCESS',
    });
  }

  // ------------------------------------------------------------------ ledger

  private markPaid(trade: AlipayTrade): void {
    trade.status = 'TRADE_SUCCESS';
    trade.paidAt = this.clock.now().toISOString();
    this.notifyPaid(trade);
  }

  /** A customer confirming in the app has finished by now; an unpaid trade closes after three minutes. */
  private settle(trade: AlipayTrade): void {
    if (trade.status !== 'WAIT_BUYER_PAY') return;
    const now = this.clock.now().getTime();
    const byTime = trade.waitUntil !== null && now >= trade.waitUntil;
    const byQueries = trade.waitQueries !== null && trade.waitQueries < 0;
    if (byTime || byQueries) {
      trade.waitUntil = null;
      trade.waitQueries = null;
      if (trade.waitOutcome === 'pay') this.markPaid(trade);
      else trade.status = 'TRADE_CLOSED';
      return;
    }
    if (now - Date.parse(trade.createdAt) >= this.closeUnpaidAfterMs) trade.status = 'TRADE_CLOSED';
  }

  private tradeFields(trade: AlipayTrade): Record<string, string> {
    return {
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_logon_id: trade.buyerLogonId,
      total_amount: formatYuan(trade.amountFen),
      ...(trade.paidAt
        ? {
            receipt_amount: formatYuan(trade.amountFen),
            gmt_payment: chinaTime(trade.paidAt),
            buyer_user_id: '2088000000000001',
          }
        : {}),
    };
  }

  private refundFields(trade: AlipayTrade): Record<string, string> {
    return {
      code: '10000',
      msg: 'Success',
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      buyer_logon_id: trade.buyerLogonId,
      fund_change: 'Y',
      refund_fee: formatYuan(trade.refundedFen),
    };
  }

  /** The asynchronous notification of a payment: form-encoded, signed, to the order's notify_url. */
  private notifyPaid(trade: AlipayTrade): void {
    if (!trade.notifyUrl) return;
    const fields: Record<string, string> = {
      notify_time: chinaTime(this.clock.now().toISOString()),
      notify_type: 'trade_status_sync',
      notify_id: `sbx${trade.tradeNo}`,
      app_id: this.appId,
      charset: 'utf-8',
      version: '1.0',
      sign_type: 'RSA2',
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      trade_status: trade.status,
      total_amount: formatYuan(trade.amountFen),
      receipt_amount: formatYuan(trade.amountFen),
      buyer_logon_id: trade.buyerLogonId,
      gmt_payment: chinaTime(trade.paidAt ?? trade.createdAt),
    };
    // Notifications are signed over every field but `sign` and `sign_type` (docs/providers.md, "Alipay").
    const content = Object.keys(fields)
      .filter((k) => k !== 'sign_type')
      .sort()
      .map((k) => `${k}=${fields[k]}`)
      .join('&');
    fields.sign = createSign('RSA-SHA256').update(content, 'utf8').sign(this.keys.alipayPrivateKey, 'base64');
    const text = new URLSearchParams(fields).toString();
    this.deliveries.post(
      trade.notifyUrl,
      Array.from({ length: trade.notifyCopies }, () => ({
        type: 'application/x-www-form-urlencoded; charset=utf-8',
        text,
      })),
    );
  }

  // ------------------------------------------------------------------ wire

  /** Alipay signs the response node's JSON text exactly as sent; the SDK verifies that text. */
  private answer(res: ServerResponse, key: string, node: Record<string, string>, badSignature = false): void {
    const nodeText = JSON.stringify(node);
    const signer = badSignature ? sandboxOtherKey() : this.keys.alipayPrivateKey;
    const sign = createSign('RSA-SHA256').update(nodeText, 'utf8').sign(signer, 'base64');
    const text = `{"${key}":${nodeText},"sign":"${sign}"}`;
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  private failure(res: ServerResponse, key: string, code: string, subCode: string, subMsg: string): void {
    const msg = code === '40004' ? 'Business Failed' : 'Invalid Arguments';
    this.answer(res, key, { code, msg, sub_code: subCode, sub_msg: subMsg });
  }

  /** The app's signature: every parameter but `sign`, sorted, `k=v` joined by `&`, RSA-SHA256. */
  private verify(params: Record<string, string>): boolean {
    if (!params.sign) return false;
    const content = Object.keys(params)
      .filter((k) => k !== 'sign')
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&');
    try {
      return createVerify('RSA-SHA256')
        .update(content, 'utf8')
        .verify(this.keys.appPublicKey, params.sign, 'base64');
    } catch {
      return false;
    }
  }

  /** The trade bill of a day (`yyyy-MM-dd`, China time) as Alipay serves it (alipay-bill.ts). */
  billFor(date: string): Buffer {
    for (const t of this.trades.values()) this.settle(t);
    return alipayBill({
      appId: this.appId,
      date,
      trades: [...this.trades.values()],
      refunds: [...this.refunds.values()],
      tradeOf: (outTradeNo) => this.trades.get(outTradeNo)!,
      exportedAt: this.clock.now().toISOString(),
    });
  }

  private serveBill(url: URL, res: ServerResponse): void {
    const date = decodeURIComponent(url.pathname.slice('/bill/'.length).replace(/\.csv\.zip$/, ''));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      res.writeHead(404).end();
      return;
    }
    const zip = this.billFor(date);
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length });
    res.end(zip);
  }
}
