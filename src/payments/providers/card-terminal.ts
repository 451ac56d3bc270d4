/**
 * The card terminal adapter: our side of the nexo Sale-to-POI conversation (nexo.ts) with a
 * terminal on the store LAN. It classifies every answer into paid / failed / unknown by the card
 * codes (card-codes.ts); anything it cannot read, or that names another order or amount, is
 * unknown — never failed, never paid.
 */
import type { Clock } from '../../kernel';
import type {
  AttemptRef,
  ChargeRequest,
  PayAnswer,
  PaymentProvider,
  ProviderNotice,
  QueryAnswer,
  RefundRequest,
  ReverseAnswer,
} from '../provider';
import { classifyCardCode } from './card-codes';
import {
  amountToFen,
  CONDITION,
  detailOf,
  fenToAmount,
  IN_PROGRESS_EVENT,
  type MessageCategory,
  type MessageHeader,
  NEXO_PROTOCOL_VERSION,
  type PaymentRequestBody,
  type PaymentResponseBody,
  responseCodeOf,
  type SaleToPOIRequest,
  type SaleToPOIResponse,
} from './nexo';

export interface CardTerminalConfig {
  /** `http://192.168.1.50:8080` — where the terminal listens. */
  url: string;
  poiId: string;
  /** A payment waits for the customer's card and PIN. */
  paymentTimeoutMs: number;
  /** Status, reversal, abort and diagnosis answer at once. */
  requestTimeoutMs: number;
}

type Sent =
  | { ok: true; response: SaleToPOIResponse['SaleToPOIResponse'] }
  | { ok: false; reason: 'timeout' | 'connection' | 'server_error' | 'malformed'; detail: string };

export class CardTerminalProvider implements PaymentProvider {
  readonly tender = 'card' as const;
  private serviceSeq = 0;

  constructor(
    private readonly config: CardTerminalConfig,
    private readonly clock: Clock,
  ) {}

  /** A fresh nexo ServiceID (≤ 10 characters) for a request that is not the payment itself. */
  private nextServiceId(): string {
    this.serviceSeq = (this.serviceSeq + 1) % 1e6;
    return `Q${this.clock.now().getTime().toString(36).slice(-3)}${String(this.serviceSeq).padStart(6, '0')}`.slice(
      0,
      10,
    );
  }

  private header(category: MessageCategory, saleId: string, serviceId: string): MessageHeader {
    return {
      ProtocolVersion: NEXO_PROTOCOL_VERSION,
      MessageClass: 'Service',
      MessageCategory: category,
      MessageType: 'Request',
      SaleID: saleId,
      ServiceID: serviceId,
      POIID: this.config.poiId,
    };
  }

  private async send(body: SaleToPOIRequest, timeoutMs: number): Promise<Sent> {
    let response: Response;
    try {
      response = await fetch(`${this.config.url.replace(/\/$/, '')}/nexo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as { name?: string }).name;
      return { ok: false, reason: name === 'TimeoutError' ? 'timeout' : 'connection', detail: String(error) };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return { ok: false, reason: 'connection', detail: String(error) };
    }
    if (response.status >= 500)
      return { ok: false, reason: 'server_error', detail: `HTTP ${response.status}` };
    try {
      const parsed = JSON.parse(text) as Partial<SaleToPOIResponse>;
      if (!parsed?.SaleToPOIResponse?.MessageHeader)
        return { ok: false, reason: 'malformed', detail: 'no SaleToPOIResponse' };
      return { ok: true, response: parsed.SaleToPOIResponse };
    } catch {
      return { ok: false, reason: 'malformed', detail: `HTTP ${response.status}: not JSON` };
    }
  }

  async health(tillId: string): Promise<'ok' | 'busy' | 'offline'> {
    const sent = await this.send(
      {
        SaleToPOIRequest: {
          MessageHeader: this.header('Diagnosis', tillId, this.nextServiceId()),
          DiagnosisRequest: { HostDiagnosisFlag: true },
        },
      },
      this.config.requestTimeoutMs,
    );
    if (!sent.ok) return 'offline';
    const status = sent.response.DiagnosisResponse?.POIStatus?.GlobalStatus;
    return status === 'OK' ? 'ok' : status === 'Busy' ? 'busy' : 'offline';
  }

  async pay(request: ChargeRequest): Promise<PayAnswer> {
    return this.sendPayment(request, {});
  }

  async refund(request: RefundRequest): Promise<PayAnswer> {
    if (!request.original.providerRef)
      return { outcome: 'failed', code: null, category: 'terminal_fault', providerRef: null };
    return this.sendPayment(request, {
      PaymentData: { PaymentType: 'Refund' },
      OriginalPOITransaction: {
        POITransactionID: {
          TransactionID: request.original.providerRef,
          TimeStamp: this.clock.now().toISOString(),
        },
      },
    });
  }

  /** A nexo PaymentRequest (a sale, or with `PaymentType: Refund` a refund) and its reading. */
  private async sendPayment(
    request: ChargeRequest,
    extra: Pick<PaymentRequestBody, 'PaymentData' | 'OriginalPOITransaction'>,
  ): Promise<PayAnswer> {
    const sent = await this.send(
      {
        SaleToPOIRequest: {
          MessageHeader: this.header('Payment', request.tillId, request.requestId),
          PaymentRequest: {
            SaleData: {
              SaleTransactionID: {
                TransactionID: request.merchantOrderNo,
                TimeStamp: this.clock.now().toISOString(),
              },
            },
            PaymentTransaction: {
              AmountsReq: { Currency: request.currency, RequestedAmount: fenToAmount(request.amountFen) },
            },
            ...extra,
          },
        },
      },
      this.config.paymentTimeoutMs,
    );
    if (!sent.ok) return { outcome: 'unknown', reason: sent.reason, code: null, detail: sent.detail };
    const body = sent.response.PaymentResponse;
    if (!body) return { outcome: 'unknown', reason: 'malformed', code: null, detail: 'no PaymentResponse' };
    return readPayment(body, request.merchantOrderNo, request.amountFen);
  }

  async query(ref: AttemptRef): Promise<QueryAnswer> {
    const sent = await this.send(
      {
        SaleToPOIRequest: {
          MessageHeader: this.header('TransactionStatus', ref.tillId, this.nextServiceId()),
          TransactionStatusRequest: {
            MessageReference: { MessageCategory: 'Payment', SaleID: ref.tillId, ServiceID: ref.requestId },
          },
        },
      },
      this.config.requestTimeoutMs,
    );
    if (!sent.ok) return { outcome: 'unknown', reason: sent.reason, code: null, detail: sent.detail };
    const status = sent.response.TransactionStatusResponse;
    if (!status)
      return { outcome: 'unknown', reason: 'malformed', code: null, detail: 'no TransactionStatusResponse' };
    if (status.Response.Result !== 'Success') {
      if (status.Response.ErrorCondition === CONDITION.notFound) return { outcome: 'not_found' };
      return {
        outcome: 'unknown',
        reason: 'in_progress',
        code: null,
        detail: status.Response.ErrorCondition,
      };
    }
    const original = status.RepeatedMessageResponse?.PaymentResponse;
    if (!original)
      return { outcome: 'unknown', reason: 'malformed', code: null, detail: 'no repeated response' };
    if (original.Response.ErrorCondition === CONDITION.aborted)
      return { outcome: 'failed', code: null, category: 'customer_cancelled', providerRef: null };
    // Reversed by the host (no reply from the issuer): no money moved.
    if (original.Response.ErrorCondition === CONDITION.reversed)
      return {
        outcome: 'failed',
        code: responseCodeOf(original.Response),
        category: 'issuer_unavailable',
        providerRef: null,
      };
    return readPayment(original, ref.merchantOrderNo, null);
  }

  async reverse(ref: AttemptRef): Promise<ReverseAnswer> {
    // Without the terminal's id for it, first learn whether it was processed at all.
    let providerRef = ref.providerRef;
    if (!providerRef) {
      let known = await this.query(ref);
      // Still at the terminal (the customer at the PIN pad): stop that request, then look again.
      if (known.outcome === 'unknown' && known.reason === 'in_progress') {
        await this.abort(ref);
        known = await this.query(ref);
      }
      if (known.outcome === 'not_found') return { outcome: 'not_found' };
      if (known.outcome === 'failed') return { outcome: 'reversed' };
      if (known.outcome === 'unknown')
        return {
          outcome: 'unknown',
          reason: known.reason,
          ...(known.detail ? { detail: known.detail } : {}),
        };
      providerRef = known.providerRef;
      if (!providerRef)
        return { outcome: 'unknown', reason: 'malformed', detail: 'paid without a terminal transaction id' };
    }
    const sent = await this.send(
      {
        SaleToPOIRequest: {
          MessageHeader: this.header('Reversal', ref.tillId, this.nextServiceId()),
          ReversalRequest: {
            OriginalPOITransaction: {
              POITransactionID: { TransactionID: providerRef, TimeStamp: this.clock.now().toISOString() },
            },
            ReversalReason: 'MerchantCancel',
          },
        },
      },
      this.config.requestTimeoutMs,
    );
    if (!sent.ok) return { outcome: 'unknown', reason: sent.reason, detail: sent.detail };
    const result = sent.response.ReversalResponse?.Response;
    if (result?.Result === 'Success') return { outcome: 'reversed' };
    if (result?.ErrorCondition === CONDITION.notFound) return { outcome: 'not_found' };
    return {
      outcome: 'unknown',
      reason: 'malformed',
      detail: result?.ErrorCondition ?? 'no ReversalResponse',
    };
  }

  /**
   * A message this terminal sent unasked: a copy of a payment answer (late, repeated, or after the
   * connection that should have carried it dropped), or the event that a payment is still at the
   * PIN pad. Anything else, or from another terminal, is refused with the reason.
   */
  readNotice(body: unknown): ProviderNotice {
    if (typeof body !== 'object' || body === null) return { ok: false, problem: 'not a nexo message' };
    const message = body as Partial<SaleToPOIResponse & SaleToPOIRequest>;
    const header = message.SaleToPOIResponse?.MessageHeader ?? message.SaleToPOIRequest?.MessageHeader;
    if (!header || typeof header !== 'object') return { ok: false, problem: 'no MessageHeader' };
    if (header.POIID !== this.config.poiId) return { ok: false, problem: 'from another terminal' };
    const answer = message.SaleToPOIResponse?.PaymentResponse;
    if (answer) {
      const orderNo = answer.SaleData?.SaleTransactionID?.TransactionID;
      if (typeof orderNo !== 'string' || orderNo.length === 0 || orderNo.length > 64)
        return { ok: false, problem: 'no order number' };
      const read = readPayment(answer, orderNo, null);
      return {
        ok: true,
        merchantOrderNo: orderNo,
        claim: read.outcome === 'paid' ? 'paid' : read.outcome === 'failed' ? 'failed' : 'pending',
        amountFen: read.outcome === 'paid' ? read.amountFen : null,
        code: read.code,
      };
    }
    const event = message.SaleToPOIRequest?.EventNotification;
    if (event && event.EventToNotify === IN_PROGRESS_EVENT) {
      const orderNo = detailOf(event.EventDetails, 'TransactionID');
      if (!orderNo || orderNo.length > 64) return { ok: false, problem: 'no order number' };
      return { ok: true, merchantOrderNo: orderNo, claim: 'pending', amountFen: null, code: null };
    }
    return { ok: false, problem: 'not a payment answer or a payment event' };
  }

  async abort(ref: AttemptRef): Promise<void> {
    await this.send(
      {
        SaleToPOIRequest: {
          MessageHeader: this.header('Abort', ref.tillId, this.nextServiceId()),
          AbortRequest: {
            MessageReference: { MessageCategory: 'Payment', SaleID: ref.tillId, ServiceID: ref.requestId },
            AbortReason: 'MerchantAbort',
          },
        },
      },
      this.config.requestTimeoutMs,
    );
  }
}

/**
 * Reads a payment answer. Paid only when the terminal says Success with code 00/10/11, for our
 * order number, for the amount we asked (when we know it). A refusal's code decides between
 * failed and unknown; a busy terminal processed nothing.
 */
export function readPayment(
  body: PaymentResponseBody,
  merchantOrderNo: string,
  amountFen: number | null,
): PayAnswer {
  const code = responseCodeOf(body.Response);
  const providerRef = body.POIData?.POITransactionID?.TransactionID ?? null;
  if (body.SaleData?.SaleTransactionID?.TransactionID !== merchantOrderNo)
    return { outcome: 'unknown', reason: 'mismatch', code, detail: 'the answer names another order' };
  if (body.Response?.Result === 'Success') {
    const meaning = classifyCardCode(code ?? '00');
    const result = body.PaymentResult;
    const authorised = amountToFen(result?.AmountsResp?.AuthorizedAmount);
    if (meaning.outcome !== 'paid' || !result || authorised === null)
      return { outcome: 'unknown', reason: 'malformed', code, detail: 'success without a readable result' };
    if (amountFen !== null && authorised !== amountFen)
      return {
        outcome: 'unknown',
        reason: 'mismatch',
        code,
        detail: `authorised ${authorised}, asked ${amountFen}`,
      };
    const acquirer = result.PaymentAcquirerData;
    return {
      outcome: 'paid',
      amountFen: authorised,
      code: code ?? '00',
      providerRef,
      maskedPan: maskedOnly(result.PaymentInstrumentData?.CardData?.MaskedPAN),
      brand: result.PaymentInstrumentData?.CardData?.PaymentBrand ?? null,
      slip: {
        ...(acquirer?.STAN ? { trace: acquirer.STAN } : {}),
        ...(acquirer?.BatchNo ? { batch: acquirer.BatchNo } : {}),
        ...(acquirer?.ApprovalCode ? { approval: acquirer.ApprovalCode } : {}),
        ...(acquirer?.AcquirerTransactionID?.TransactionID
          ? { reference: acquirer.AcquirerTransactionID.TransactionID }
          : {}),
      },
    };
  }
  if (body.Response?.ErrorCondition === CONDITION.busy)
    return { outcome: 'failed', code, category: 'terminal_fault', providerRef };
  const meaning = classifyCardCode(code);
  if (meaning.outcome === 'failed' && meaning.category)
    return { outcome: 'failed', code: meaning.code, category: meaning.category, providerRef };
  return { outcome: 'unknown', reason: 'code', code: meaning.code };
}

/** A terminal should send a masked PAN; if one ever sends a full number, we keep only the mask. */
function maskedOnly(pan: string | undefined): string | null {
  if (!pan) return null;
  const digits = pan.replace(/\D/g, '');
  if (digits.length >= 13 && !pan.includes('*'))
    return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
  return pan;
}
