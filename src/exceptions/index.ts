/** The exception desk (Step 5): provisional slips and their follow-up cases. Its only door. */
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
  maskPhone,
  normalizePhone,
  orderQueue,
  transitionCase,
} from './model';
export {
  type CaseView,
  caseDetail,
  closeSlip,
  followUpQueue,
  issueSlip,
  type QueueItem,
  recordCaseEvent,
  type SlipView,
  settleSlipOnCompletion,
  slipByNumber,
} from './service';
