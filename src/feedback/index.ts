/** Customers' feedback and complaints, with what the store gave to make them good. Its only door. */
export {
  COMPENSATION_KINDS,
  COMPLAINT_EVENTS,
  COMPLAINT_LIFECYCLE,
  COMPLAINT_STATUSES,
  COMPLAINT_TRANSITIONS,
  type CompensationKind,
  type ComplaintStatus,
  compensationProblem,
  MAX_COMPENSATION_FEN,
  refundSource,
  transitionComplaint,
  wantsAttention,
} from './model';
export { feedbackPanelHtml } from './page';
export { feedbackRoutes } from './routes';
export {
  type ComplaintListItem,
  type ComplaintView,
  complaintDetail,
  complaintsOfStore,
  decideComplaint,
  type FeedbackView,
  feedbackOfStore,
  giveCompensation,
  leaveFeedback,
  openComplaint,
  SALE_OF_PAY_TOKEN,
  salesOfComplaintPhone,
  storeOfComplaint,
} from './service';
