/**
 * The states each lifecycle's rows can be in, one list per status column: the database schema types
 * its columns with them, each room's model declares its transitions over them (its lifecycle,
 * validated at start-up), and the till names them on screen.
 */

export const SALE_STATUSES = [
  'open',
  'awaiting_payment',
  'completed',
  'voided',
  'parked',
  'on_account',
  'awaiting_statement',
] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];

export const ATTEMPT_STATUSES = [
  'created',
  'in_flight',
  'succeeded',
  'failed',
  'unknown',
  'reversing',
  'reversed',
  'needs_review',
] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/** `payment` takes money; `refund` gives it back from the attempt it names. */
export const ATTEMPT_KINDS = ['payment', 'refund'] as const;
export type AttemptKind = (typeof ATTEMPT_KINDS)[number];

/**
 * A payment row: money taken, or given back (a void's refund, in cash or through the provider);
 * money a provider took that the sale did not want (a duplicate), and its refund.
 */
export const PAYMENT_STATUSES = ['succeeded', 'refunded', 'duplicate', 'duplicate_refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const CASE_STATUSES = [
  'open',
  'contacted',
  'awaiting_statement',
  'settled',
  'cancelled',
  'written_off',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const SLIP_STATUSES = ['issued', 'settled', 'cancelled', 'written_off'] as const;
export type SlipStatus = (typeof SLIP_STATUSES)[number];

export const CONFIRMATION_STATUSES = ['awaiting_statement', 'confirmed', 'disagreed'] as const;
export type ConfirmationStatus = (typeof CONFIRMATION_STATUSES)[number];

export const PARKED_STATUSES = ['parked', 'resumed', 'expired'] as const;
export type ParkedStatus = (typeof PARKED_STATUSES)[number];

export const APPROVAL_STATUSES = ['pending', 'granted', 'denied', 'used'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const COMPLAINT_STATUSES = ['open', 'resolved'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const RECON_CASE_STATUSES = ['open', 'resolved'] as const;
export type ReconCaseStatus = (typeof RECON_CASE_STATUSES)[number];
