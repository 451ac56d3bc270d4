/**
 * Table types shared by both dialects. Portable column choices: text ids (ULID-shaped), integer
 * money in fen (bigint in PostgreSQL, read back as number), timestamps as ISO-8601 UTC text
 * (sortable, identical in both), JSON as text.
 */
import type { Generated, Kysely } from 'kysely';
import type {
  ApprovalStatus,
  AttemptKind,
  AttemptStatus,
  BookedTender,
  FailureCategory,
  GuardedAction,
  ParkedStatus,
  PaymentStatus,
  Role,
  SaleStatus,
  Surface,
  Tender,
} from '../shared';
import type {
  CompensationsTable,
  ComplaintsTable,
  DayClosesTable,
  FeedbackTable,
  FollowUpCasesTable,
  FollowUpEventsTable,
  ManualConfirmationsTable,
  NotificationsTable,
  ReconCasesTable,
  ReturnLinesTable,
  ReturnRefundsTable,
  ReturnsTable,
  SlipsTable,
  StatementBatchesTable,
  StatementLinesTable,
} from './schema-after-sale';

export type * from './schema-after-sale';

export interface StoresTable {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  address_zh: string;
  address_en: string;
  phone: string;
  time_zone: string;
  currency: string;
  created_at: string;
  /** Discounts above this share of the amount (basis points) need a supervisor's approval. */
  discount_limit_bp: number;
  /** The return policy (src/shared/return-policy.ts) and the contracts' refund terms: migration 0023. */
  return_window_days: number;
  return_receipt_required: number;
  return_no_receipt_role: Role | null;
  return_no_receipt_limit_fen: number;
  /** JSON: the reasons (src/shared/kinds.ts) the tills offer, in order. */
  return_reasons: string;
  card_refund_window_days: number;
  alipay_refund_window_months: number;
}

export interface TillsTable {
  id: string;
  store_id: string;
  code: string;
  name: string;
  created_at: string;
}

/** Wrong secrets per account and client (the caller's address): migration 0018. */
export interface SignInThrottlesTable {
  staff_id: string;
  client: string;
  failures: number;
  last_failure_at: string | null;
  locked_until: string | null;
}

export interface StaffTable {
  id: string;
  store_id: string | null;
  code: string;
  name: string;
  role: Role;
  created_at: string;
  pin_hash: string | null;
  password_hash: string | null;
  active: number;
  /** The sign-in throttle (src/staff/model.ts): wrong PINs and passwords count together. */
  failed_attempts: number;
  last_failure_at: string | null;
  locked_until: string | null;
  removed_at: string | null;
  updated_at: string;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the cookie's token; the token itself is never stored. */
  id: string;
  staff_id: string;
  surface: Surface;
  store_id: string | null;
  till_id: string | null;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ended_at: string | null;
  end_reason: string | null;
}

export interface ApprovalsTable {
  id: string;
  store_id: string;
  action: GuardedAction;
  sale_id: string | null;
  reason: string;
  status: ApprovalStatus;
  requested_by: string;
  decided_by: string | null;
  /** A PIN typed at the till, or a decision in the back office. */
  decided_via: 'pin' | 'backoffice' | null;
  created_at: string;
  decided_at: string | null;
  expires_at: string;
  used_at: string | null;
}

export interface ProductsTable {
  id: string;
  style_code: string;
  name_zh: string;
  name_en: string;
  brand: string;
  category: string;
  season: string;
  created_at: string;
  updated_at: string;
}

export interface VariantsTable {
  id: string;
  product_id: string;
  sku: string;
  barcode: string;
  size: string;
  colour_zh: string;
  colour_en: string;
  price_fen: number;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface StockMovementsTable {
  id: string;
  store_id: string;
  variant_id: string;
  kind: string;
  seq: number;
  qty_delta: number;
  on_hand_after: number;
  ref_type: string | null;
  ref_id: string | null;
  note: string | null;
  actor_id: string;
  at: string;
}

export interface StockLevelsTable {
  store_id: string;
  variant_id: string;
  on_hand: number;
  /** Set aside for a parked sale or a held slip (migration 0007); available = on_hand − reserved. */
  reserved: Generated<number>;
  last_seq: number;
  updated_at: string;
}

export interface SalesTable {
  id: string;
  store_id: string;
  till_id: string;
  number: string;
  status: SaleStatus;
  cashier_id: string;
  currency: string;
  subtotal_fen: number;
  line_discount_fen: number;
  sale_discount_kind: string | null;
  sale_discount_value: number | null;
  sale_discount_fen: number;
  total_fen: number;
  paid_fen: number;
  change_fen: number;
  line_count: number;
  version: number;
  opened_at: string;
  updated_at: string;
  completed_at: string | null;
  voided_at: string | null;
  void_reason: string | null;
  /** Since when it is on account (a provisional slip), if it is (migration 0009). */
  on_account_at: string | null;
  /** On account: 1 if the customer took the goods (they left stock then), 0 if the store holds them. */
  goods_taken: number | null;
  /** What returns of it gave back so far (fen): a void after a return would give it back twice. */
  returned_fen: number;
}

/** A sale set aside (挂单): who parked it where, until when, and how it ended. */
export interface ParkedSalesTable {
  sale_id: string;
  store_id: string;
  /** parked | resumed | expired */
  status: ParkedStatus;
  note: string | null;
  parked_by: string;
  parked_at: string;
  parked_till_id: string;
  expires_at: string;
  ended_by: string | null;
  ended_at: string | null;
  resumed_till_id: string | null;
}

export interface SaleLinesTable {
  id: string;
  sale_id: string;
  store_id: string;
  line_no: number;
  variant_id: string;
  sku: string;
  barcode: string;
  name_zh: string;
  name_en: string;
  size: string;
  colour_zh: string;
  colour_en: string;
  unit_price_fen: number;
  qty: number;
  discount_kind: string | null;
  discount_value: number | null;
  line_discount_fen: number;
  sale_discount_share_fen: number;
  total_fen: number;
  created_at: string;
}

export interface PaymentsTable {
  id: string;
  sale_id: string;
  store_id: string;
  tender: BookedTender;
  status: PaymentStatus;
  amount_fen: number;
  tendered_fen: number;
  change_fen: number;
  created_at: string;
  /** The attempt that paid it (card and wallets); null for cash. */
  attempt_id: string | null;
  /** Where the money moved when not at the sale's till (a return's cash at another till); null: the sale's. */
  till_id: string | null;
}

export interface PaymentAttemptsTable {
  id: string;
  sale_id: string;
  store_id: string;
  till_id: string;
  tender: Tender;
  /** Ours, unique per attempt: what the provider knows it by. */
  merchant_order_no: string;
  /** The id of the request that carried the payment (nexo ServiceID, ≤ 10 characters). */
  request_id: string;
  amount_fen: number;
  status: AttemptStatus;
  provider_ref: string | null;
  masked_pan: string | null;
  brand: string | null;
  code: string | null;
  category: FailureCategory | null;
  slip_json: string | null;
  cashier_id: string;
  /** How many times the provider was asked about it after the first answer. */
  checks: number;
  created_at: string;
  sent_at: string | null;
  next_check_at: string | null;
  deadline_at: string | null;
  resolved_at: string | null;
  version: number;
  /** `payment` takes money; `refund` gives it back from the attempt named in `refund_of`. */
  kind: AttemptKind;
  refund_of: string | null;
  /** 1: taken by a sandbox provider (demo, training, tests) — no money moved (migration 0019). */
  sandbox: number;
}

export interface PaymentAttemptEventsTable {
  attempt_id: string;
  seq: number;
  at: string;
  event: string;
  /** move | repeat | conflict | ignore (src/payments/attempt-model.ts) */
  meaning: string;
  from_status: AttemptStatus;
  to_status: AttemptStatus;
  detail_json: string | null;
}

export interface ReceiptPrintsTable {
  id: string;
  sale_id: string;
  store_id: string;
  print_no: number;
  format: string;
  width_mm: number;
  actor_id: string;
  at: string;
}

export interface CountersTable {
  scope: string;
  name: string;
  value: number;
}

export interface AuditEventsTable {
  id: string;
  /** The hash chain this event belongs to: a store id, or `hq` for chain-wide changes. */
  chain: string;
  seq: number;
  store_id: string | null;
  at: string;
  actor_id: string;
  action: string;
  entity_type: string;
  entity_id: string;
  sale_id: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadsTable {
  chain: string;
  seq: number;
  hash: string;
}

export interface IdempotencyKeysTable {
  key: string;
  fingerprint: string;
  status_code: number;
  response_json: string;
  created_at: string;
}

export interface Schema {
  stores: StoresTable;
  tills: TillsTable;
  staff: StaffTable;
  sign_in_throttles: SignInThrottlesTable;
  sessions: SessionsTable;
  approvals: ApprovalsTable;
  products: ProductsTable;
  variants: VariantsTable;
  stock_movements: StockMovementsTable;
  stock_levels: StockLevelsTable;
  sales: SalesTable;
  sale_lines: SaleLinesTable;
  parked_sales: ParkedSalesTable;
  slips: SlipsTable;
  follow_up_cases: FollowUpCasesTable;
  follow_up_events: FollowUpEventsTable;
  manual_confirmations: ManualConfirmationsTable;
  notifications: NotificationsTable;
  feedback: FeedbackTable;
  complaints: ComplaintsTable;
  compensations: CompensationsTable;
  statement_batches: StatementBatchesTable;
  statement_lines: StatementLinesTable;
  recon_cases: ReconCasesTable;
  day_closes: DayClosesTable;
  payments: PaymentsTable;
  returns: ReturnsTable;
  return_lines: ReturnLinesTable;
  return_refunds: ReturnRefundsTable;
  payment_attempts: PaymentAttemptsTable;
  payment_attempt_events: PaymentAttemptEventsTable;
  receipt_prints: ReceiptPrintsTable;
  counters: CountersTable;
  audit_events: AuditEventsTable;
  audit_heads: AuditHeadsTable;
  idempotency_keys: IdempotencyKeysTable;
}

/** A database handle or an open transaction: functions that take one run inside the caller's transaction. */
export type Tx = Kysely<Schema>;
