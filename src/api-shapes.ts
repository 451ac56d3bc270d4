/**
 * The shapes the API answers with, for the web till: types only, taken from the rooms that make
 * them, so the till and the server cannot drift. Erased at build time; the architecture test keeps
 * it that way (nothing here may run).
 */
export type { SessionView } from './access';
export type { ApprovalView } from './approvals';
export type { AuditHit } from './audit';
export type { VariantView } from './catalog';
export type { DayCloseView, TenderTotals } from './dayclose';
export type { CaseView, QueueItem, SlipView } from './exceptions';
export type { ComplaintListItem, ComplaintView, FeedbackView } from './feedback';
export type { JournalPage } from './journal';
export type { AttemptView, ReviewCheck, ReviewDecision, ReviewItem } from './payments';
export type { ImportSummary, LineProblem, ReconCaseView } from './recon';
export type { ReturnView, SaleReturns } from './returns';
export type { Discount, JournalSale, ParkedSaleView, SaleAction, SaleLineView, SaleView } from './sales';
export type { GuardedAction, Role } from './shared';
export type { StaffView } from './staff';
export type { StoreView, TillView } from './stores';
