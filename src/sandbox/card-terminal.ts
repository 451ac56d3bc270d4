/**
 * The sandbox card terminal and its acquirer: a real HTTP server on the LAN that speaks the nexo
 * Sale-to-POI messages of src/payments/providers/nexo.ts. It keeps its own ledger of money moved,
 * reverses by itself when the issuer's answer is lost (code 98: 冲正), answers transaction-status
 * requests, and injects faults on demand through a control API. It never writes a card number
 * anywhere: the card "on the reader" is kept masked.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Clock, formatYuan, maskPan, systemClock } from '../kernel';
import {
  amountToFen,
  CONDITION,
  fenToAmount,
  IN_PROGRESS_EVENT,
  type MessageHeader,
  type PaymentResponseBody,
  type ResponseStatus,
  type SaleToPOIRequest,
  type SaleToPOIResponse,
} from '../payments';
import { chinaTime, Deliveries, readBody, SandboxService, sendJson as send, sleep } from './http-kit';
import { CARD_SCENARIOS, isCardScenario } from './scenarios';

/** One fault, applied to the next payment or refund request (`offline` to the next requests of any kind). */
export type TerminalFault =
  | { kind: 'decline'; code: string }
  | { kind: 'slow'; ms: number }
  /** The money moves, the answer never reaches the till (the connection drops). */
  | { kind: 'lose_answer_after_money' }
  /** The connection drops before the terminal does anything. */
  | { kind: 'lose_answer_before_money' }
  /** The issuer does not answer: the host reverses by itself and the terminal says 98. */
  | { kind: 'issuer_timeout' }
  /** The customer is slow at the PIN pad: no answer; status queries say "in progress" N times. */
  | { kind: 'in_progress'; queries: number; outcome: 'approve' | { decline: string } }
  | { kind: 'busy' }
  | { kind: 'offline'; requests: number }
  /** A truncated message. */
  | { kind: 'malformed' }
  /** Authorises a different amount than asked (a broken terminal). */
  | { kind: 'wrong_amount' }
  /** The money moves, the till's connection drops, and the answer comes `ms` later as a notification. */
  | { kind: 'answer_later'; ms: number }
  /** The answer, and then `copies` more copies of it as notifications. */
  | { kind: 'duplicate_answer'; copies: number }
  /** The answer; then, as notifications, the answer again and after it a stale "still at the PIN pad". */
  | { kind: 'out_of_order' };

export interface LedgerEntry {
  saleId: string;
  serviceId: string;
  /** Our merchant order number. */
  transactionId: string;
  kind: 'payment' | 'refund';
  amountFen: number;
  status: 'approved' | 'declined' | 'reversed' | 'in_progress' | 'aborted';
  code: string | null;
  poiTransactionId: string;
  /** For a refund: the payment's POI transaction id. */
  refundOf: string | null;
  maskedPan: string;
  brand: string;
  stan: string;
  at: string;
}

interface Pending {
  entry: LedgerEntry;
  queriesLeft: number;
  outcome: 'approve' | { decline: string };
  response: PaymentResponseBody | null;
  header: MessageHeader;
}

export const SANDBOX_CARD = '6222021000112214'; // a UnionPay test number (Luhn-valid)

export interface CardTerminalOptions {
  poiId?: string;
  clock?: Clock;
  /** Time the card and PIN take at a real terminal; 0 in tests. */
  processingMs?: number;
}

export class CardTerminalEmulator extends SandboxService {
  readonly poiId: string;
  private readonly clock: Clock;
  private readonly processingMs: number;
  private readonly entries: LedgerEntry[] = [];
  private readonly responses = new Map<string, { header: MessageHeader; body: PaymentResponseBody }>();
  private readonly pending = new Map<string, Pending>();
  private faults: TerminalFault[] = [];
  private offlineFor = 0;
  private card = { masked: slipMask(SANDBOX_CARD), brand: 'UnionPay' };
  private seq = 0;
  /** Where it posts its unasked messages (the store server's notifications route for its till). */
  private notifyUrl: string | null = null;
  private readonly deliveries = new Deliveries();

  constructor(options: CardTerminalOptions = {}) {
    super();
    this.poiId = options.poiId ?? 'POI-SANDBOX-1';
    this.clock = options.clock ?? systemClock;
    this.processingMs = options.processingMs ?? 0;
  }

  // ------------------------------------------------------------------ control

  /** Faults for the coming requests, in order. */
  script(faults: readonly TerminalFault[]): void {
    for (const fault of faults) {
      if (fault.kind === 'offline') this.offlineFor += fault.requests;
      else this.faults.push(fault);
    }
  }

  /** Where to post notifications; null: nowhere (they are dropped, as by a terminal not set up for them). */
  notifyTo(url: string | null): void {
    this.notifyUrl = url;
  }

  /** Resolves once every notification under way has been delivered (or has failed to be). */
  notificationsDelivered(): Promise<void> {
    return this.deliveries.delivered();
  }

  /** Notifications posted so far. */
  get noticesSent(): number {
    return this.deliveries.sent;
  }

  /** Posts messages to the notify URL after `delayMs`, one after another, in this order. */
  private notify(delayMs: number, messages: readonly unknown[]): void {
    if (!this.notifyUrl) return;
    const bodies = messages.map((m) => ({ type: 'application/json', text: JSON.stringify(m) }));
    this.deliveries.post(this.notifyUrl, bodies, delayMs);
  }

  /** A payment answer as a notification: the same response, sent unasked. */
  private answerNotice(header: MessageHeader, body: PaymentResponseBody): SaleToPOIResponse {
    return {
      SaleToPOIResponse: {
        MessageHeader: { ...header, MessageType: 'Response', POIID: this.poiId },
        PaymentResponse: body,
      },
    };
  }

  /** "Still at the PIN pad", as a notification (our nexo profile: src/payments/providers/nexo.ts). */
  private inProgressNotice(entry: LedgerEntry): SaleToPOIRequest {
    return {
      SaleToPOIRequest: {
        MessageHeader: {
          ProtocolVersion: '3.0',
          MessageClass: 'Service',
          MessageCategory: 'Event',
          MessageType: 'Notification',
          SaleID: entry.saleId,
          ServiceID: entry.serviceId,
          POIID: this.poiId,
        },
        EventNotification: {
          TimeStamp: this.clock.now().toISOString(),
          EventToNotify: IN_PROGRESS_EVENT,
          EventDetails: `TransactionID=${encodeURIComponent(entry.transactionId)}&ServiceID=${entry.serviceId}`,
        },
      },
    };
  }

  /** The card the next customer presents (only its mask and brand are kept). */
  presentCard(pan: string, brand = 'UnionPay'): void {
    this.card = { masked: slipMask(pan), brand };
  }

  reset(): void {
    this.entries.length = 0;
    this.responses.clear();
    this.pending.clear();
    this.faults = [];
    this.offlineFor = 0;
  }

  ledger(): readonly LedgerEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** Money this terminal moved for a merchant order number: approved payments, less reversals and refunds. */
  moneyMoved(transactionId: string): number {
    let net = 0;
    const payments = this.entries.filter((e) => e.kind === 'payment' && e.transactionId === transactionId);
    for (const p of payments) {
      if (p.status !== 'approved') continue;
      net += p.amountFen;
      for (const r of this.entries)
        if (r.kind === 'refund' && r.refundOf === p.poiTransactionId && r.status === 'approved')
          net -= r.amountFen;
    }
    return net;
  }

  /**
   * The acquirer's settlement file for a day (`yyyy-mm-dd`, China time) in TillSafe's card import
   * profile (src/recon/parse-card.ts): one line per transaction this terminal sent on — 消费 for an
   * approved payment, 冲正 for one reversed, 退货 for a refund — with its masked card, 0.5 % fee
   * and our merchant order number. Declined and unfinished ones never reach the acquirer.
   */
  settlementFor(date: string): string {
    const header =
      '商户号,终端号,批次号,凭证号,参考号,授权码,卡号,交易类型,交易时间,交易金额,手续费,结算金额,清算日期,商户订单号';
    const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const rows = this.entries
      .filter(
        (e) => (e.status === 'approved' || e.status === 'reversed') && chinaTime(e.at).slice(0, 10) === date,
      )
      .map((e) => {
        const type = e.kind === 'refund' ? '退货' : e.status === 'reversed' ? '冲正' : '消费';
        const fee = type === '冲正' ? 0 : Math.round(e.amountFen * 0.005);
        const net = type === '消费' ? e.amountFen - fee : type === '退货' ? -(e.amountFen - fee) : 0;
        return [
          '898310048160001',
          this.poiId,
          '000001',
          e.stan,
          `ACQ${e.stan}`,
          type === '消费' ? e.stan.slice(-6) : '',
          e.maskedPan,
          type,
          chinaTime(e.at),
          formatYuan(e.amountFen),
          formatYuan(type === '退货' ? -fee : fee),
          formatYuan(net),
          next,
          e.transactionId,
        ].join(',');
      });
    return `${[header, ...rows].join('\r\n')}\r\n`;
  }

  // ------------------------------------------------------------------ server

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (req.url?.startsWith('/control/')) return this.control(req.method ?? 'GET', req.url, body, res);
    const settlement = /^\/settlement\/(\d{4}-\d{2}-\d{2})\.csv$/.exec(req.url ?? '');
    if (req.method === 'GET' && settlement) {
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
      res.end(this.settlementFor(settlement[1]!));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/nexo') return send(res, 404, { error: 'not found' });
    if (this.offlineFor > 0) {
      this.offlineFor--;
      req.socket.destroy();
      return;
    }
    let request: SaleToPOIRequest;
    try {
      request = JSON.parse(body) as SaleToPOIRequest;
    } catch {
      return send(res, 400, { error: 'malformed JSON' });
    }
    const message = request?.SaleToPOIRequest;
    const header = message?.MessageHeader;
    if (
      !header ||
      typeof header.SaleID !== 'string' ||
      typeof header.ServiceID !== 'string' ||
      header.ServiceID.length > 10
    )
      return send(res, 400, { error: 'missing or invalid MessageHeader' });
    const reply = (extra: Omit<SaleToPOIResponse['SaleToPOIResponse'], 'MessageHeader'>) =>
      send(res, 200, {
        SaleToPOIResponse: {
          MessageHeader: { ...header, MessageType: 'Response', POIID: this.poiId },
          ...extra,
        },
      });

    if (message.PaymentRequest) return this.payment(req, res, header, message.PaymentRequest, reply);
    if (message.TransactionStatusRequest) {
      const ref = message.TransactionStatusRequest.MessageReference;
      return reply({ TransactionStatusResponse: this.status(ref?.SaleID, ref?.ServiceID) });
    }
    if (message.ReversalRequest) {
      const id = message.ReversalRequest.OriginalPOITransaction?.POITransactionID?.TransactionID;
      return reply({ ReversalResponse: this.reverse(id) });
    }
    if (message.AbortRequest) {
      const ref = message.AbortRequest.MessageReference;
      return reply({ AbortResponse: { Response: this.abort(ref?.SaleID, ref?.ServiceID) } });
    }
    if (message.DiagnosisRequest)
      return reply({
        DiagnosisResponse: {
          Response: { Result: 'Success' },
          POIStatus: { GlobalStatus: this.pending.size > 0 ? 'Busy' : 'OK' },
        },
      });
    return send(res, 400, { error: 'unknown message' });
  }

  private async payment(
    req: IncomingMessage,
    res: ServerResponse,
    header: MessageHeader,
    body: NonNullable<SaleToPOIRequest['SaleToPOIRequest']['PaymentRequest']>,
    reply: (extra: Omit<SaleToPOIResponse['SaleToPOIResponse'], 'MessageHeader'>) => void,
  ): Promise<void> {
    const sale = body.SaleData?.SaleTransactionID;
    const amountFen = amountToFen(body.PaymentTransaction?.AmountsReq?.RequestedAmount);
    if (!sale?.TransactionID || amountFen === null || amountFen === 0)
      return reply({ PaymentResponse: failure(sale, CONDITION.refusal, '30') });
    const fault = this.faults.shift();
    if (fault?.kind === 'lose_answer_before_money') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'busy') return reply({ PaymentResponse: failure(sale, CONDITION.busy, null) });
    if (fault?.kind === 'slow') await sleep(fault.ms);
    if (this.processingMs > 0) await sleep(this.processingMs);
    if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"SaleToPOIResponse":{"MessageHeader":{"ProtocolVersion":"3.0","Mess');
      return;
    }

    const isRefund = body.PaymentData?.PaymentType === 'Refund';
    // A payment for a merchant order number already approved here: a duplicate, never a second charge.
    if (
      !isRefund &&
      this.entries.some((e) => e.transactionId === sale.TransactionID && e.status === 'approved')
    )
      return reply({ PaymentResponse: failure(sale, CONDITION.refusal, '94') });

    const entry = this.newEntry(header, sale.TransactionID, isRefund ? 'refund' : 'payment', amountFen);
    if (isRefund) {
      const original = this.entries.find(
        (e) =>
          e.kind === 'payment' &&
          e.poiTransactionId === body.OriginalPOITransaction?.POITransactionID?.TransactionID,
      );
      const refundable =
        original && original.status === 'approved' ? this.moneyMoved(original.transactionId) : 0;
      entry.refundOf = original?.poiTransactionId ?? null;
      const silent = fault?.kind === 'lose_answer_after_money';
      this.finish(
        entry,
        header,
        !original || amountFen > refundable
          ? { decline: '13' }
          : fault?.kind === 'decline'
            ? { decline: fault.code } // the acquirer refuses the refund (a closed account, say)
            : 'approve',
        silent ? null : reply,
      );
      if (silent) req.socket.destroy();
      return;
    }
    if (fault?.kind === 'decline') {
      this.finish(entry, header, { decline: fault.code }, reply);
      return;
    }
    if (fault?.kind === 'issuer_timeout') {
      // No 0210 from the issuer: the host reverses the sale itself (冲正) and the terminal says 98.
      // A later status request learns that it was reversed.
      this.finish(entry, header, { decline: '98' }, reply);
      entry.status = 'reversed';
      this.responses.set(key(header.SaleID, header.ServiceID), {
        header,
        body: failure({ TransactionID: entry.transactionId, TimeStamp: entry.at }, CONDITION.reversed, '98'),
      });
      return;
    }
    if (fault?.kind === 'in_progress') {
      entry.status = 'in_progress';
      this.pending.set(key(header.SaleID, header.ServiceID), {
        entry,
        queriesLeft: fault.queries,
        outcome: fault.outcome,
        response: null,
        header,
      });
      req.socket.destroy(); // the till hears nothing; it will ask
      return;
    }
    if (fault?.kind === 'wrong_amount') entry.amountFen = amountFen + 100;
    const silent = fault?.kind === 'lose_answer_after_money' || fault?.kind === 'answer_later';
    const answer = this.finish(entry, header, 'approve', silent ? null : reply);
    if (silent) req.socket.destroy();
    const notice = this.answerNotice(header, answer);
    if (fault?.kind === 'answer_later') this.notify(fault.ms, [notice]);
    if (fault?.kind === 'duplicate_answer')
      this.notify(
        0,
        Array.from({ length: fault.copies }, () => notice),
      );
    if (fault?.kind === 'out_of_order') this.notify(0, [notice, this.inProgressNotice(entry)]);
  }

  private newEntry(
    header: MessageHeader,
    transactionId: string,
    kind: 'payment' | 'refund',
    amountFen: number,
  ): LedgerEntry {
    this.seq++;
    const entry: LedgerEntry = {
      saleId: header.SaleID,
      serviceId: header.ServiceID,
      transactionId,
      kind,
      amountFen,
      status: 'in_progress',
      code: null,
      poiTransactionId: `${this.poiId}-${String(this.seq).padStart(6, '0')}`,
      refundOf: null,
      maskedPan: this.card.masked,
      brand: this.card.brand,
      stan: String(this.seq).padStart(6, '0'),
      at: this.clock.now().toISOString(),
    };
    this.entries.push(entry);
    return entry;
  }

  /** Settles an entry (approve or decline), remembers the answer for status queries, and replies if asked. */
  private finish(
    entry: LedgerEntry,
    header: MessageHeader,
    outcome: 'approve' | { decline: string },
    reply: ((extra: Omit<SaleToPOIResponse['SaleToPOIResponse'], 'MessageHeader'>) => void) | null,
  ): PaymentResponseBody {
    const sale = { TransactionID: entry.transactionId, TimeStamp: entry.at };
    const poi = { TransactionID: entry.poiTransactionId, TimeStamp: entry.at };
    let body: PaymentResponseBody;
    if (outcome === 'approve') {
      entry.status = 'approved';
      entry.code = '00';
      body = {
        Response: { Result: 'Success', AdditionalResponse: 'ResponseCode=00' },
        SaleData: { SaleTransactionID: sale },
        POIData: { POITransactionID: poi },
        PaymentResult: {
          PaymentInstrumentData: { CardData: { MaskedPAN: entry.maskedPan, PaymentBrand: entry.brand } },
          AmountsResp: { Currency: 'CNY', AuthorizedAmount: fenToAmount(entry.amountFen) },
          PaymentAcquirerData: {
            ApprovalCode: String(100000 + this.seq).slice(-6),
            AcquirerTransactionID: { TransactionID: `ACQ${entry.stan}`, TimeStamp: entry.at },
            STAN: entry.stan,
            BatchNo: '000001',
          },
        },
      };
    } else {
      entry.status = 'declined';
      entry.code = outcome.decline;
      body = { ...failure(sale, CONDITION.refusal, outcome.decline), POIData: { POITransactionID: poi } };
    }
    this.responses.set(key(header.SaleID, header.ServiceID), { header, body });
    reply?.({ PaymentResponse: body });
    return body;
  }

  private status(saleId: string | undefined, serviceId: string | undefined) {
    const k = key(saleId ?? '', serviceId ?? '');
    const waiting = this.pending.get(k);
    if (waiting) {
      if (waiting.queriesLeft > 0) {
        waiting.queriesLeft--;
        return { Response: { Result: 'Failure' as const, ErrorCondition: CONDITION.inProgress } };
      }
      this.pending.delete(k);
      this.finish(waiting.entry, waiting.header, waiting.outcome, null);
    }
    const done = this.responses.get(k);
    if (!done) return { Response: { Result: 'Failure' as const, ErrorCondition: CONDITION.notFound } };
    return {
      Response: { Result: 'Success' as const },
      RepeatedMessageResponse: {
        MessageHeader: { ...done.header, MessageType: 'Response' as const },
        PaymentResponse: done.body,
      },
    };
  }

  private reverse(poiTransactionId: string | undefined) {
    const entry = this.entries.find((e) => e.poiTransactionId === poiTransactionId && e.kind === 'payment');
    if (!entry) return { Response: { Result: 'Failure' as const, ErrorCondition: CONDITION.notFound } };
    if (entry.status === 'approved') {
      entry.status = 'reversed';
      // Asked about afterwards, the terminal says it was reversed, not the approval it first gave.
      const k = key(entry.saleId, entry.serviceId);
      const done = this.responses.get(k);
      if (done)
        this.responses.set(k, {
          header: done.header,
          body: {
            ...failure({ TransactionID: entry.transactionId, TimeStamp: entry.at }, CONDITION.reversed, null),
            POIData: { POITransactionID: { TransactionID: entry.poiTransactionId, TimeStamp: entry.at } },
          },
        });
    }
    // Reversing what is already reversed or declined changes nothing, and says so as success.
    return {
      Response: { Result: 'Success' as const },
      POIData: { POITransactionID: { TransactionID: entry.poiTransactionId, TimeStamp: entry.at } },
    };
  }

  private abort(saleId: string | undefined, serviceId: string | undefined): ResponseStatus {
    const k = key(saleId ?? '', serviceId ?? '');
    const waiting = this.pending.get(k);
    if (!waiting) return { Result: 'Failure', ErrorCondition: CONDITION.notFound };
    this.pending.delete(k);
    waiting.entry.status = 'aborted';
    this.responses.set(k, {
      header: waiting.header,
      body: failure(
        { TransactionID: waiting.entry.transactionId, TimeStamp: waiting.entry.at },
        CONDITION.aborted,
        null,
      ),
    });
    return { Result: 'Success' };
  }

  /** The control API: tests and the demo script faults, present a card, read the ledger. */
  private control(method: string, url: string, body: string, res: ServerResponse): void {
    let input: Record<string, unknown>;
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      send(res, 400, { error: 'malformed control request' });
      return;
    }
    const route = `${method} ${url}`;
    if (route === 'POST /control/script') this.script((input.faults as TerminalFault[]) ?? []);
    else if (route === 'POST /control/card')
      this.presentCard(
        String(input.pan ?? SANDBOX_CARD),
        typeof input.brand === 'string' ? input.brand : undefined,
      );
    else if (route === 'POST /control/scenario') {
      const name = String(input.name ?? '');
      if (!isCardScenario(name)) {
        send(res, 404, { error: 'unknown scenario', known: Object.keys(CARD_SCENARIOS) });
        return;
      }
      this.script(CARD_SCENARIOS[name].faults);
    } else if (route === 'GET /control/scenarios') {
      send(res, 200, { scenarios: CARD_SCENARIOS });
      return;
    } else if (route === 'POST /control/reset') this.reset();
    else if (route === 'GET /control/ledger') {
      send(res, 200, { entries: this.ledger() });
      return;
    } else {
      send(res, 404, { error: 'unknown control' });
      return;
    }
    send(res, 200, { ok: true });
  }
}

/** As a bank slip prints it: the first six and the last four digits (PCI DSS allows no more). */
function slipMask(pan: string): string {
  return `${pan.slice(0, 6)}${maskPan(pan).slice(6)}`;
}

function key(saleId: string, serviceId: string): string {
  return `${saleId}/${serviceId}`;
}

function failure(
  sale: { TransactionID: string; TimeStamp: string } | undefined,
  condition: string,
  code: string | null,
): PaymentResponseBody {
  return {
    Response: {
      Result: 'Failure',
      ErrorCondition: condition,
      ...(code ? { AdditionalResponse: `ResponseCode=${code}` } : {}),
    },
    SaleData: { SaleTransactionID: sale ?? { TransactionID: '', TimeStamp: '' } },
  };
}
