/** Sales: the cart, cash, a card charge's sale side, voids, parking (挂单) and on account (小单). Its only door. */
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
export { onSaleCompleted, type SaleCompletionHook, TILL_CHARGES, type TillCharge } from './ports';
export { saleRoutes } from './routes';
export {
  type AuditDraft,
  addLine,
  awaitStatement,
  beginCharge,
  closeOnAccount,
  decideByStatement,
  expireParkedSales,
  finishCharge,
  getSale,
  openSale,
  type ParkedSaleView,
  parkedSalesOf,
  parkSale,
  payCash,
  putOnAccount,
  type RefundOwer,
  recordDuplicateCharge,
  recordReceiptPrint,
  recordRefund,
  releaseCharge,
  removeLine,
  resumeSale,
  setSaleDiscount,
  tillHold,
  updateLine,
  voidSale,
} from './service';
export { listSales, readSale } from './store';
export type { PaymentView, SaleLineView, SaleView } from './views';
