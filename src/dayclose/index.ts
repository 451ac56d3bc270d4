/** 日结 — the day close and its Z report. Its only door. */
export type { TenderTotals } from './model';
export {
  type CashCount,
  closeDay,
  countedFen,
  DENOMINATIONS_FEN,
  storeZReport,
  tenderTotals,
  type ZReport,
} from './model';
export { buildZReport } from './report';
export { dayCloseRoutes } from './routes';
export {
  closeTillDay,
  type DayCloseView,
  dayCloseDoc,
  isTillDayClosed,
  previewDayClose,
  storeDay,
  storeOfDayClose,
} from './service';
