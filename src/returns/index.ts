/** Returns and exchanges (退换货): what may come back, how the money goes back to each tender. Its only door. */

export { type ExchangeInput, recordExchange } from './exchange';
export {
  planReturn,
  type ReturnAsk,
  type ReturnedLine,
  type ReturnedSoFar,
  type ReturnProblem,
  refundForUnits,
  returnableQty,
  type SoldLine,
} from './model';
export {
  DEFAULT_RETURN_POLICY,
  type PolicyVerdict,
  policyAllows,
  RETURN_DISPOSITIONS,
  RETURN_REASONS,
  type ReturnDisposition,
  type ReturnPolicy,
  type ReturnReason,
} from './policy';
export { type RecordedReturn, type ReturnInput, recordReturn } from './record-return';
export {
  DEFAULT_REFUND_RULES,
  operationFor,
  type PaidTender,
  planRefund,
  type RefundBlock,
  type RefundOperation,
  type RefundPart,
  type RefundPlan,
  type RefundRules,
  stillHeld,
} from './refund-plan';
export { returnRoutes } from './routes';
export { type SaleReturns, saleReturns } from './sale-returns';
export { type RefundProgress, type ReturnView, returnsOfSale, returnView } from './store';
