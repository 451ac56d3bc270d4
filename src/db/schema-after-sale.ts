/**
 * The tables of what happens after a sale: provisional slips and the follow-up desk, the notifier's
 * outbox, feedback and complaints, reconciliation, the day close, returns. The same portable column
 * choices as schema.ts, which gathers every table into one Schema.
 */
import type {
  BookedTender,
  CaseStatus,
  CompensationKind,
  ComplaintStatus,
  ConfirmationStatus,
  GoodsDisposition,
  NotificationStatus,
  ProvenTender,
  ReconCaseKind,
  ReconCaseStatus,
  ReturnDisposition,
  ReturnReason,
  ReturnRefundOperation,
  SlipStatus,
  StatementLineKind,
  StatementProvider,
} from '../shared';

/** 小单: who owes what for a sale on account, and how to reach them. */
export interface SlipsTable {
  id: string;
  number: string;
  store_id: string;
  sale_id: string;
  /** issued | settled | cancelled | written_off */
  status: SlipStatus;
  /** taken | held */
  goods: GoodsDisposition;
  reason: string;
  customer_name: string;
  /** Normalised (src/exceptions/model.ts); shown masked. */
  customer_phone: string;
  total_fen: number;
  paid_fen: number;
  due_fen: number;
  /** 1 when a payment attempt was still unknown at issue (it may settle the slip by itself). */
  attempt_pending: number;
  /** The pay-later link's secret: the customer's page finds the slip by it, never by number. */
  pay_token: string;
  issued_by: string;
  issued_at: string;
  ended_at: string | null;
  /** Optional, for the notifier's e-mail adapter (migration 0010). */
  customer_email: string | null;
}

export interface FollowUpCasesTable {
  id: string;
  store_id: string;
  slip_id: string;
  status: CaseStatus;
  due_at: string;
  opened_at: string;
  closed_at: string | null;
  version: number;
}

export interface FollowUpEventsTable {
  case_id: string;
  seq: number;
  at: string;
  event: string;
  from_status: CaseStatus;
  to_status: CaseStatus;
  actor_id: string;
  note: string | null;
  detail_json: string | null;
}

/** The customer's proof that money was taken, recorded by a manager; the statement decides (migration 0010). */
export interface ManualConfirmationsTable {
  id: string;
  case_id: string;
  store_id: string;
  sale_id: string;
  tender: ProvenTender;
  amount_fen: number;
  /** The day the customer says the money left them (yyyy-mm-dd, the store's calendar). */
  paid_on: string;
  /** The provider's or the bank's reference the customer showed. */
  reference: string;
  evidence: string;
  /** awaiting_statement | confirmed | disagreed */
  status: ConfirmationStatus;
  recorded_by: string;
  recorded_at: string;
  resolved_at: string | null;
  statement_ref: string | null;
}

/** The notifier's outbox: written in the transaction that decided to tell someone, sent after. */
export interface NotificationsTable {
  id: string;
  store_id: string;
  case_id: string | null;
  kind: string;
  /** timeline | smtp */
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  /** pending | sent | failed */
  status: NotificationStatus;
  tries: number;
  next_try_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  version: number;
}

/** A customer's rating of a visit, from the link on the receipt or the slip: one per sale. */
export interface FeedbackTable {
  id: string;
  store_id: string;
  sale_id: string;
  /** receipt | slip */
  via: string;
  rating: number;
  comment: string;
  created_at: string;
}

export interface ComplaintsTable {
  id: string;
  number: string;
  store_id: string;
  sale_id: string | null;
  feedback_id: string | null;
  customer_name: string;
  customer_phone: string | null;
  description: string;
  /** open | resolved */
  status: ComplaintStatus;
  resolution: string | null;
  opened_by: string;
  opened_at: string;
  resolved_by: string | null;
  resolved_at: string | null;
  version: number;
}

/** What the store gave to make a complaint good: money back through the provider, a coupon, a gift. */
export interface CompensationsTable {
  id: string;
  complaint_id: string;
  /** refund | coupon | gift */
  kind: CompensationKind;
  value_fen: number;
  detail: string;
  refund_attempt_id: string | null;
  given_by: string;
  given_at: string;
}

/** An imported statement file. */
export interface StatementBatchesTable {
  id: string;
  provider: StatementProvider;
  store_id: string | null;
  file_name: string;
  file_sha256: string;
  lines: number;
  new_lines: number;
  first_day: string | null;
  last_day: string | null;
  imported_by: string;
  imported_at: string;
}

/** A statement line, once by its key (src/recon/statement.ts). */
export interface StatementLinesTable {
  key: string;
  provider: StatementProvider;
  /** The batch that first brought it. */
  batch_id: string;
  line_no: number;
  /** payment | refund | no_money */
  kind: StatementLineKind;
  merchant_order_no: string;
  provider_ref: string;
  refund_no: string | null;
  amount_fen: number;
  /** Thousandths of a fen: a fee exactly as the provider states it (WeChat Pay prints five decimals). */
  fee_millifen: number;
  at: string;
  /** Its day on the provider's (China) calendar, yyyy-mm-dd (also the key's second part). */
  day: string;
  terminal_id: string | null;
  /** The attempt it stands for, once matched. */
  attempt_id: string | null;
}

export interface ReconCasesTable {
  id: string;
  /** kind | line key | attempt id: a case is stored once, whatever imports find it again. */
  about: string;
  provider: StatementProvider;
  store_id: string | null;
  kind: ReconCaseKind;
  line_key: string | null;
  attempt_id: string | null;
  amount_fen: number;
  candidates_json: string;
  link_json: string | null;
  detail: string;
  /** open | resolved */
  status: ReconCaseStatus;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  opened_at: string;
  batch_id: string;
  version: number;
}

/** 日结: a till's day, closed once; its Z report as printed (src/dayclose/model.ts). */
export interface DayClosesTable {
  id: string;
  store_id: string;
  till_id: string;
  /** yyyy-mm-dd in the store's calendar. */
  business_day: string;
  report_json: string;
  note: string | null;
  closed_by: string;
  closed_at: string;
}

/** A return (退货) of some lines of a past sale. */
export interface ReturnsTable {
  id: string;
  number: string;
  store_id: string;
  sale_id: string;
  till_id: string;
  reason: ReturnReason;
  note: string;
  with_receipt: number;
  refund_fen: number;
  /** The manager's approval a cash fallback or a return without the receipt spent. */
  approval_id: string | null;
  created_by: string;
  created_at: string;
  /** An exchange: the sale of the goods taken instead, and the part of refund_fen paid to it. */
  exchange_sale_id: string | null;
  credit_fen: number;
}

export interface ReturnLinesTable {
  id: string;
  return_id: string;
  sale_line_id: string;
  variant_id: string;
  qty: number;
  refund_fen: number;
  disposition: ReturnDisposition;
}

/** A part of a return's money given back: from one payment, by its provider's operation or in cash. */
export interface ReturnRefundsTable {
  id: string;
  return_id: string;
  tender: BookedTender;
  amount_fen: number;
  operation: ReturnRefundOperation;
  original_attempt_id: string | null;
  attempt_id: string | null;
  blocked: string | null;
  /** A cash part paid in place of a part whose refund failed: that part's id. */
  replaces: string | null;
}
