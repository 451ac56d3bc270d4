/** Payments: attempts and their orchestration, the providers' adapters and wire formats, the review desk. Its only door. */

export { ATTEMPT_ACTIONS, type AttemptAction } from './attempt-actions';
export {
  AT_THE_TERMINAL,
  ATTEMPT_LIFECYCLE,
  ATTEMPT_STATUSES,
  ATTEMPT_TRANSITIONS,
  type AttemptStatus,
  MAY_STILL_SUCCEED,
  REFUND_LIFECYCLE,
} from './attempt-model';
export type { AttemptView } from './attempt-view';
export { attemptView } from './attempt-view';
export type { PaymentRuntime } from './drive';
export {
  auditRefundStarted,
  closeRefundPaidElsewhere,
  refundOwer,
  refundThroughOrigin,
  saveRefundAttempt,
  startCharge,
} from './new-attempts';
export type { PaymentProvider, Tender } from './provider';
export { type AlipayConfig, AlipayProvider } from './providers/alipay';
export { CardTerminalProvider } from './providers/card-terminal';
export { CashProvider } from './providers/cash';
export {
  amountToFen,
  CONDITION,
  fenToAmount,
  IN_PROGRESS_EVENT,
  type MessageHeader,
  type PaymentResponseBody,
  type ResponseStatus,
  type SaleToPOIRequest,
  type SaleToPOIResponse,
} from './providers/nexo';
export { type WechatPayConfig, WechatPayProvider } from './providers/wechat-pay';
export {
  fromWechatXml,
  nonceOf,
  signed,
  toWechatXml,
  verifyWechat,
  type WechatParams,
} from './providers/wechat-v2';
export {
  type AttemptFacts,
  type AttemptSpan,
  attemptsAggregated,
  attemptTimes,
  type RecordedAttemptRow,
  recordedByIds,
  recordedInSpan,
} from './recorded-at-provider';
export type { ReviewCheck, ReviewItem } from './review';
export type { ReviewDecision } from './review-model';
export type { PaymentRouteDeps, PaymentWiring } from './route-deps';
export { paymentRoutes } from './routes';
export { PaymentScheduler } from './scheduler';
export {
  askAboutSoon,
  attemptById,
  attemptStatuses,
  attemptsByIds,
  attemptsOfSale,
  attemptsStillOpenAtTill,
  chargesHoldingTill,
  refundableFen,
  refundHistoryOf,
  salesPaidByCardEnding,
  storeOfAttempt,
} from './store';
