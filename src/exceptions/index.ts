/** The exception desk: provisional slips (小单), their follow-up cases, the pay-later page, customers' proofs of payment. Its only door. */
export {
  CASE_EVENTS,
  CASE_STATUSES,
  CASE_TRANSITIONS,
  type CaseEvent,
  type CaseStatus,
  closingFits,
  FINAL_CASE_STATUSES,
  followUpDueAt,
  type GoodsDisposition,
  maskEmail,
  orderQueue,
  transitionCase,
} from './model';
export { exceptionRoutes } from './routes';
export {
  type CaseView,
  caseDetail,
  closeSlip,
  confirmationsAwaitingStatement,
  decideManualConfirmation,
  followUpQueue,
  issueSlip,
  type ManualConfirmationView,
  type QueueItem,
  recordCaseEvent,
  recordManualConfirmation,
  type SlipView,
  sendReminder,
  settleSlipOnCompletion,
  slipByNumber,
  timelineOnDelivery,
} from './service';
