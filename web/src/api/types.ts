// Shapes the server answers with, taken from the server's own types.

export type { Discount } from '../../../src/sales/model';
export type { SaleLineView, SaleView } from '../../../src/sales/views';
export type { StoreView, TillView } from '../../../src/stores/store';

import type { VariantView } from '../../../src/catalog/store';
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

export type { SessionView } from '../../../src/access/sessions';
export type { ApprovalView } from '../../../src/approvals/service';
export type { AuditHit } from '../../../src/audit/search';
export type { AttemptView } from '../../../src/payments/service';
export type { GuardedAction, Role } from '../../../src/staff/model';
export type { StaffView } from '../../../src/staff/store';

export interface SignInStaff {
  code: string;
  name: string;
  role: import('../../../src/staff/model').Role;
}
