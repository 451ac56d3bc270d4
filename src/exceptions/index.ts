/** The exception desk: provisional slips (小单), their follow-up cases, the pay-later page, customers' proofs of payment. Its only door. */

export { type CaseView, caseDetail, recordCaseEvent, storeOfCase } from './cases';
export { sendReminder, timelineOnDelivery } from './customer-notices';
export {
  confirmationsAwaitingStatement,
  decideManualConfirmation,
  type ManualConfirmationView,
  proofsAwaitingStatement,
  recordManualConfirmation,
} from './manual-confirmation';
export {
  CASE_EVENTS,
  CASE_LIFECYCLE,
  CASE_STATUSES,
  CASE_TRANSITIONS,
  type CaseEvent,
  type CaseStatus,
  CONFIRMATION_LIFECYCLE,
  closingFits,
  FINAL_CASE_STATUSES,
  followUpDueAt,
  type GoodsDisposition,
  maskEmail,
  orderQueue,
  SLIP_LIFECYCLE,
  transitionCase,
} from './model';
export { saleOfPayToken } from './pay-later';
export { followUpQueue, type QueueItem } from './queue';
export { exceptionRoutes } from './routes';
export {
  closeSlip,
  issuedSlipSales,
  issueSlip,
  type SlipView,
  salesOfSlipPhone,
  settleSlipOnCompletion,
  slipByNumber,
  storeOfSlip,
} from './slips';
