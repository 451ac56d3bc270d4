/** 日结 — the day close and its Z report (Step 6). Its only door. */
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
export { closeTillDay, type DayCloseView, dayCloseDoc, previewDayClose, storeDay } from './service';
