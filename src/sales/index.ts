export {
  computeTotals,
  type Discount,
  MAX_LINE_QTY,
  SALE_EVENTS,
  SALE_STATUSES,
  SALE_TRANSITIONS,
  type SaleStatus,
  settleCash,
  transitionSale,
  validateTransitionTable,
} from './model';
export {
  type AuditDraft,
  addLine,
  beginCharge,
  finishCharge,
  getSale,
  openSale,
  payCash,
  type RefundOwer,
  recordDuplicateCharge,
  recordReceiptPrint,
  recordRefund,
  releaseCharge,
  removeLine,
  setSaleDiscount,
  updateLine,
  voidSale,
} from './service';
export { listSales, readSale } from './store';
export type { PaymentView, SaleLineView, SaleView } from './views';
