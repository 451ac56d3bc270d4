/** Sales: the cart, cash, a card charge's sale side, voids, parking (挂单) and on account (小单). Its only door. */

export { bookedToSaleSql, bookingOfSql, saleStatusSql } from './bookings-sql';
export { beginCharge, finishCharge, releaseCharge } from './card-charge';
export { addLine, getSale, openSale, removeLine, setSaleDiscount, updateLine } from './cart';
export { payCash } from './cash';
export { payByExchangeCredit } from './exchange-credit';
export { type JournalSale, type SaleSearch, searchSales } from './journal-search';
export {
  computeTotals,
  type Discount,
  MAX_LINE_QTY,
  PARKED_LIFECYCLE,
  SALE_EVENTS,
  SALE_LIFECYCLE,
  SALE_STATUSES,
  SALE_TRANSITIONS,
  type SaleStatus,
  settleCash,
  transitionSale,
  validateTransitionTable,
} from './model';
export { awaitStatement, closeOnAccount, decideByStatement, putOnAccount } from './on-account';
export { expireParkedSales, type ParkedSaleView, parkedSalesOf, parkSale, resumeSale } from './parking';
export {
  onSaleCompleted,
  type SaleCompletionHook,
  TILL_CHARGES,
  TILL_DAY_CLOSED,
  type TillCharge,
} from './ports';
export { type ReturnBooking, returnOnSale } from './returns-on-sale';
export { saleRoutes } from './routes';
export { SALE_ACTIONS, type SaleAction, saleActions } from './sale-actions';
export { type AuditDraft, approvalUsed } from './sale-change';
export {
  countAtTill,
  listSales,
  paymentsAtTill,
  readSale,
  type SaleHeader,
  saleByNumber,
  saleHeader,
  saleHeaders,
  saleNumbers,
  storeOfSale,
} from './store';
export { type RefundOwer, recordDuplicateCharge, recordRefund } from './takings';
export { tillHold } from './till-hold';
export type { PaymentView, SaleLineView, SaleView } from './views';
export { voidSale } from './void';
