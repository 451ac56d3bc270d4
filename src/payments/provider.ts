/**
 * The provider contract: what every tender adapter — cash, card terminal, Alipay, WeChat Pay —
 * does, in the same words, so the orchestrator treats them alike and one contract test suite
 * proves each (test/contract/provider-contract.ts). Adapters only talk and classify; they never
 * touch the database, and they never throw for an answer they did not understand: that is an
 * unknown outcome, to be queried.
 */

import type { Tender } from '../shared';
import type { HintClaim } from './attempt-model';
import type { FailureCategory } from './failure-taxonomy';

export type { Tender };

/** One attempt as the provider sees it. */
export interface AttemptRef {
  /** Our merchant order number: unique per attempt, reused only when re-sending that attempt. */
  merchantOrderNo: string;
  /** The till asking (nexo SaleID). */
  tillId: string;
  /** The id of the request that carried the payment (nexo ServiceID, ≤ 10 characters). */
  requestId: string;
  /** The provider's own id for it, once known (terminal transaction id, trade number). */
  providerRef: string | null;
  /** A refund is asked about differently from a payment by some providers (WeChat Pay). */
  kind?: 'payment' | 'refund';
  /** For a refund: the payment's merchant order number (Alipay asks about a refund by both). */
  refundOf?: string | null;
}

export interface ChargeRequest extends Omit<AttemptRef, 'providerRef'> {
  amountFen: number;
  currency: 'CNY';
  /** The customer's payment code from a QR wallet (scanned at the till); never stored once sent. */
  paymentCode?: string;
  /** What the customer sees in the wallet as the purchase. */
  subject?: string;
}

/** What the provider says about the money; only these shapes leave an adapter. */
export type PayAnswer =
  | {
      outcome: 'paid';
      amountFen: number;
      code: string | null;
      providerRef: string | null;
      /** Masked only: `622202******2214`. */
      maskedPan: string | null;
      brand: string | null;
      /** Numbers printed on the bank slip (trace, reference, approval, batch): for reconciliation. */
      slip: Record<string, string>;
    }
  | { outcome: 'failed'; code: string | null; category: FailureCategory; providerRef: string | null }
  | {
      outcome: 'unknown';
      reason: UnknownReason;
      code: string | null;
      detail?: string;
      /** The provider says: ask again at once (system busy, "already paid" for this order). */
      queryAtOnce?: true;
    };

export type UnknownReason =
  | 'timeout'
  | 'connection'
  | 'server_error'
  | 'malformed'
  /** The answer names another order or another amount than asked: never taken as paid. */
  | 'mismatch'
  /** A response code that means "not known yet" (issuer timeout, duplicate transmission, unlisted code). */
  | 'code'
  | 'in_progress';

export type QueryAnswer = PayAnswer | { outcome: 'not_found' };

export type ReverseAnswer =
  | { outcome: 'reversed' }
  /** Nothing to reverse: the provider never processed it. */
  | { outcome: 'not_found' }
  | { outcome: 'unknown'; reason: UnknownReason; detail?: string };

export interface PaymentProvider {
  readonly tender: Tender;
  /** Is it reachable and free right now? Asked before charging, so nothing is sent to a dead terminal. */
  health(tillId: string): Promise<'ok' | 'busy' | 'offline'>;
  pay(request: ChargeRequest): Promise<PayAnswer>;
  /** What became of an attempt whose answer we did not get (by its order number / request id). */
  query(ref: AttemptRef): Promise<QueryAnswer>;
  /** Undo an attempt not confirmed by its deadline; repeated until acknowledged. */
  reverse(ref: AttemptRef): Promise<ReverseAnswer>;
  /** Stop the live request at the terminal (the cashier's cancel); only that request. */
  abort(ref: AttemptRef): Promise<void>;
  /**
   * Give money back from a paid attempt, as a request of its own (its own number). `paid` means
   * the money went back; an unclear answer is unknown and is queried like a payment, by `query`.
   */
  refund(request: RefundRequest): Promise<PayAnswer>;
  /**
   * Reads a message the provider sent us unasked (an asynchronous notification, a late or repeated
   * answer): which attempt it names and what it claims. Only read here, never trusted: the core
   * asks the provider before anything moves (src/payments/hints.ts). Absent: the provider sends none.
   */
  readNotice?(body: unknown): ProviderNotice;
}

export type ProviderNotice =
  | {
      ok: true;
      merchantOrderNo: string;
      claim: HintClaim;
      /** For a `paid` claim: the amount it says moved (the core compares it with the attempt's). */
      amountFen: number | null;
      code: string | null;
    }
  | { ok: false; problem: string };

export interface RefundRequest extends ChargeRequest {
  /** The paid attempt the money comes from. */
  original: AttemptRef;
  /** What that attempt was paid (WeChat Pay asks for it with every refund). */
  originalAmountFen: number;
}
