/**
 * The card terminal's wire format: nexo Sale-to-POI style JSON messages (docs/providers.md, "Card terminal"), as both
 * our adapter and the sandbox terminal speak them. Amounts on the wire are decimal yuan (nexo's
 * `RequestedAmount: 299.5`); inside TillSafe they are integer fen, converted only here.
 */

export const NEXO_PROTOCOL_VERSION = '3.0';

export type MessageCategory =
  | 'Payment'
  | 'TransactionStatus'
  | 'Reversal'
  | 'Abort'
  | 'Diagnosis'
  /** A terminal's notification to the till (nexo EventNotification), sent unasked. */
  | 'Event';

export interface MessageHeader {
  ProtocolVersion: string;
  MessageClass: 'Service';
  MessageCategory: MessageCategory;
  MessageType: 'Request' | 'Response' | 'Notification';
  /** Which till is asking. */
  SaleID: string;
  /** Unique per request, at most 10 characters. */
  ServiceID: string;
  POIID: string;
}

export interface TransactionIdentification {
  TransactionID: string;
  TimeStamp: string;
}

export interface PaymentRequestBody {
  SaleData: { SaleTransactionID: TransactionIdentification };
  PaymentTransaction: { AmountsReq: { Currency: string; RequestedAmount: number } };
  PaymentData?: { PaymentType: 'Normal' | 'Refund' };
  /** For a refund: the payment it returns money from. */
  OriginalPOITransaction?: { POITransactionID: TransactionIdentification };
}

export interface MessageReference {
  MessageCategory: MessageCategory;
  SaleID: string;
  ServiceID: string;
}

export interface SaleToPOIRequest {
  SaleToPOIRequest: {
    MessageHeader: MessageHeader;
    PaymentRequest?: PaymentRequestBody;
    TransactionStatusRequest?: { MessageReference: MessageReference };
    ReversalRequest?: {
      OriginalPOITransaction: { POITransactionID: TransactionIdentification };
      ReversalReason: 'MerchantCancel' | 'Unable2Compl';
    };
    AbortRequest?: { MessageReference: MessageReference; AbortReason: string };
    DiagnosisRequest?: { HostDiagnosisFlag: boolean };
    /**
     * Sent by the terminal, unasked. Our profile (the exact event is unconfirmed, docs/providers.md): a
     * payment still at the PIN pad is `EventToNotify: "CardInserted"` with `EventDetails`
     * `TransactionID=<our order number>&ServiceID=<the payment's ServiceID>`.
     */
    EventNotification?: { TimeStamp: string; EventToNotify: string; EventDetails?: string };
  };
}

export interface ResponseStatus {
  Result: 'Success' | 'Failure' | 'Partial';
  /** Failure only: Refusal, Busy, InProgress, NotFound, Aborted, UnreachableHost, … */
  ErrorCondition?: string;
  /** `ResponseCode=51&Message=…` — the acquirer's (UnionPay) code travels here. */
  AdditionalResponse?: string;
}

export interface PaymentResponseBody {
  Response: ResponseStatus;
  SaleData: { SaleTransactionID: TransactionIdentification };
  POIData?: { POITransactionID: TransactionIdentification };
  PaymentResult?: {
    PaymentInstrumentData: { CardData: { MaskedPAN: string; PaymentBrand: string } };
    AmountsResp: { Currency: string; AuthorizedAmount: number };
    PaymentAcquirerData: {
      ApprovalCode?: string;
      AcquirerTransactionID: { TransactionID: string; TimeStamp: string };
      /** Voucher (trace) number and batch, as printed on the bank slip. */
      STAN: string;
      BatchNo: string;
    };
  };
}

export interface SaleToPOIResponse {
  SaleToPOIResponse: {
    MessageHeader: MessageHeader;
    PaymentResponse?: PaymentResponseBody;
    TransactionStatusResponse?: {
      Response: ResponseStatus;
      RepeatedMessageResponse?: { MessageHeader: MessageHeader; PaymentResponse: PaymentResponseBody };
    };
    ReversalResponse?: {
      Response: ResponseStatus;
      POIData?: { POITransactionID: TransactionIdentification };
    };
    AbortResponse?: { Response: ResponseStatus };
    DiagnosisResponse?: {
      Response: ResponseStatus;
      POIStatus: { GlobalStatus: 'OK' | 'Busy' | 'Maintenance' | 'Unreachable' };
    };
  };
}

/** Error conditions our adapter acts on. Their exact strings are unconfirmed (docs/providers.md): one place. */
export const CONDITION = {
  refusal: 'Refusal',
  busy: 'Busy',
  inProgress: 'InProgress',
  notFound: 'NotFound',
  aborted: 'Aborted',
  /** A status answer for a sale the host reversed by itself (no reply from the issuer: 冲正). */
  reversed: 'Reversed',
} as const;

/** fen → the wire's decimal yuan. */
export function fenToAmount(fen: number): number {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new Error(`not an amount in fen: ${fen}`);
  return Number((fen / 100).toFixed(2));
}

/** The wire's decimal yuan → fen; null when it is not an amount with at most two decimals. */
export function amountToFen(amount: unknown): number | null {
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) return null;
  const fen = Math.round(amount * 100);
  return Math.abs(fen - amount * 100) < 1e-6 && Number.isSafeInteger(fen) ? fen : null;
}

/** One value of nexo's `k=v&k=v` strings (AdditionalResponse, EventDetails), if present. */
export function detailOf(text: string | undefined, name: string): string | null {
  if (!text) return null;
  for (const pair of text.split('&')) {
    const [key, value] = pair.split('=');
    if (key === name && value !== undefined) {
      try {
        return decodeURIComponent(value);
      } catch {
        return null; // a broken escape is no value at all
      }
    }
  }
  return null;
}

/** The acquirer's response code inside `AdditionalResponse` (`ResponseCode=51&…`), if any. */
export function responseCodeOf(status: ResponseStatus | undefined): string | null {
  return detailOf(status?.AdditionalResponse, 'ResponseCode');
}

/** The event by which a terminal says a payment is still in progress (see EventNotification). */
export const IN_PROGRESS_EVENT = 'CardInserted';
