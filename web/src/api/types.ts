// Shapes the server answers with, taken from the server's own types.

export type {
  ApprovalView,
  AttemptView,
  AuditHit,
  Discount,
  GuardedAction,
  JournalPage,
  JournalSale,
  ReturnView,
  Role,
  SaleAction,
  SaleLineView,
  SaleReturns,
  SaleView,
  SessionView,
  StaffView,
  StoreView,
  TillView,
} from '../../../src/api-shapes';

import type { Role, VariantView } from '../../../src/api-shapes';
export type VariantWithStock = VariantView & { onHand: number };
export interface MovementView {
  id: string;
  kind: string;
  delta: number;
  onHandAfter: number;
  refType: string | null;
  note: string | null;
  at: string;
}

export interface SignInStaff {
  code: string;
  name: string;
  role: Role;
}
