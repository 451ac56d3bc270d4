/**
 * The permission matrix: every API route, declared once, with who may call it. Deny by default:
 * a route missing here stops the server at start-up (src/access/guard.ts), and a test walks every
 * route with every role and with no session and compares the answers with this table
 * (test/integration/permission-matrix.test.ts). Pure: no I/O.
 */

import type { Surface } from '../shared';
import { atLeast, type Role } from '../staff';

export type { Surface };

/**
 * How the store a request touches is found, for staff bound to one store: from a path or query
 * parameter, or from the sale, staff member or approval it names. `chain`: chain-wide data, head
 * office only. `none`: the handler sees only the caller's own data or nothing store-bound.
 */
export type Scope =
  | 'store'
  | 'sale'
  | 'staff'
  | 'approval'
  | 'attempt'
  | 'slip'
  | 'case'
  | 'complaint'
  | 'recon_case'
  | 'till'
  | 'day_close'
  | 'chain'
  | 'none';

export type RouteRule =
  | { access: 'public'; why: string }
  | { access: 'staff'; minRole: Role; surfaces: readonly Surface[]; scope: Scope };

const ANY: readonly Surface[] = ['till', 'backoffice'];
const TILL: readonly Surface[] = ['till'];
const BACK_OFFICE: readonly Surface[] = ['backoffice'];

const staff = (minRole: Role, surfaces: readonly Surface[], scope: Scope): RouteRule => ({
  access: 'staff',
  minRole,
  surfaces,
  scope,
});
const open = (why: string): RouteRule => ({ access: 'public', why });

/** `METHOD path` exactly as registered with Fastify. */
export const ROUTE_RULES: Readonly<Record<string, RouteRule>> = {
  'GET /api/health': open('liveness for monitors and the till'),
  'GET /api/openapi.json': open('the API description'),
  'GET /api/stores': open('a till picks its store and till before anyone signs in'),
  // A store's own managers may not raise the limit their approvals guard.
  'PUT /api/stores/:storeId/discount-limit': staff('admin', BACK_OFFICE, 'store'),
  'PUT /api/stores/:storeId/return-terms': staff('admin', BACK_OFFICE, 'store'),
  'GET /api/stores/:storeId/sign-in-staff': open('the names a cashier taps before typing a PIN'),
  'GET /api/session': open('tells the app whether it is signed in'),
  'POST /api/session/pin': open('signing in at a till'),
  'POST /api/session/password': open('signing in to the back office'),
  'GET /api/sales/:saleId/receipt.html': open('the customer’s link from the receipt QR code'),

  'POST /api/session/sign-out': staff('cashier', ANY, 'none'),
  'GET /api/access/matrix': staff('supervisor', BACK_OFFICE, 'none'),

  'GET /api/stores/:storeId/variants': staff('cashier', ANY, 'store'),
  'GET /api/stores/:storeId/variants/by-barcode/:barcode': staff('cashier', ANY, 'store'),
  'POST /api/catalog/import': staff('admin', BACK_OFFICE, 'chain'),

  'GET /api/stores/:storeId/stock/:variantId/movements': staff('cashier', ANY, 'store'),
  'POST /api/stores/:storeId/stock/movements': staff('supervisor', ANY, 'store'),
  'GET /api/stock/check': staff('manager', ANY, 'chain'),

  'POST /api/stores/:storeId/sales': staff('cashier', TILL, 'store'),
  'GET /api/stores/:storeId/sales': staff('cashier', ANY, 'store'),
  'GET /api/tills/:tillId/hold': staff('cashier', TILL, 'till'),
  'GET /api/tills/:tillId/notices': staff('cashier', TILL, 'till'),
  'GET /api/sales/:saleId': staff('cashier', ANY, 'sale'),
  'POST /api/sales/:saleId/lines': staff('cashier', TILL, 'sale'),
  'PATCH /api/sales/:saleId/lines/:lineId': staff('cashier', TILL, 'sale'),
  'DELETE /api/sales/:saleId/lines/:lineId': staff('cashier', TILL, 'sale'),
  'PUT /api/sales/:saleId/discount': staff('cashier', TILL, 'sale'),
  'POST /api/sales/:saleId/void': staff('cashier', TILL, 'sale'),
  'POST /api/sales/:saleId/payments/cash': staff('cashier', TILL, 'sale'),
  'POST /api/sales/:saleId/park': staff('cashier', TILL, 'sale'),
  'POST /api/sales/:saleId/resume': staff('cashier', TILL, 'sale'),
  'GET /api/stores/:storeId/parked-sales': staff('cashier', ANY, 'store'),
  'POST /api/sales/:saleId/slip': staff('cashier', TILL, 'sale'),
  'GET /api/slips/:slipNumber': staff('cashier', ANY, 'slip'),
  'GET /api/slips/:slipNumber/slip.html': staff('cashier', ANY, 'slip'),
  'GET /api/pay/:token': open('the customer’s pay-later page follows its slip; the slip’s secret is the key'),
  'POST /api/pay/:token': open(
    'the customer pays a slip from its page; the secret is the key, and the money only ever goes to that slip’s sale',
  ),
  'GET /api/slips/:slipNumber/slip.escpos': staff('cashier', ANY, 'slip'),
  'GET /api/stores/:storeId/follow-ups': staff('supervisor', BACK_OFFICE, 'store'),
  'GET /api/follow-ups/:caseId': staff('supervisor', BACK_OFFICE, 'case'),
  'POST /api/follow-ups/:caseId/events': staff('supervisor', BACK_OFFICE, 'case'),
  'POST /api/follow-ups/:caseId/close': staff('manager', BACK_OFFICE, 'case'),
  'POST /api/feedback/receipt/:saleId': open(
    'the customer rates a visit from the e-receipt the receipt QR opens',
  ),
  'POST /api/feedback/slip/:token': open(
    'the customer rates a visit from the slip’s page; the slip’s secret is the key',
  ),
  'GET /api/stores/:storeId/feedback': staff('supervisor', BACK_OFFICE, 'store'),
  'GET /api/stores/:storeId/complaints': staff('supervisor', BACK_OFFICE, 'store'),
  'POST /api/stores/:storeId/complaints': staff('supervisor', BACK_OFFICE, 'store'),
  'GET /api/complaints/:complaintId': staff('supervisor', BACK_OFFICE, 'complaint'),
  'POST /api/complaints/:complaintId/compensations': staff('manager', BACK_OFFICE, 'complaint'),
  'POST /api/complaints/:complaintId/resolve': staff('manager', BACK_OFFICE, 'complaint'),
  'POST /api/complaints/:complaintId/reopen': staff('manager', BACK_OFFICE, 'complaint'),
  'POST /api/recon/imports': staff('manager', BACK_OFFICE, 'store'),
  'GET /api/stores/:storeId/recon-cases': staff('manager', BACK_OFFICE, 'store'),
  'GET /api/recon-cases/:caseId': staff('manager', BACK_OFFICE, 'recon_case'),
  'POST /api/recon-cases/:caseId/resolve': staff('manager', BACK_OFFICE, 'recon_case'),
  'POST /api/recon-cases/:caseId/reopen': staff('manager', BACK_OFFICE, 'recon_case'),
  'GET /api/tills/:tillId/day-close': staff('manager', BACK_OFFICE, 'till'),
  'POST /api/tills/:tillId/day-close': staff('manager', BACK_OFFICE, 'till'),
  'GET /api/stores/:storeId/day-closes': staff('manager', BACK_OFFICE, 'store'),
  'GET /api/stores/:storeId/day-closes/report.html': staff('manager', BACK_OFFICE, 'store'),
  'GET /api/stores/:storeId/day-closes/report.escpos': staff('manager', BACK_OFFICE, 'store'),
  'GET /api/day-closes/:closeId/report.html': staff('manager', BACK_OFFICE, 'day_close'),
  'GET /api/day-closes/:closeId/report.escpos': staff('manager', BACK_OFFICE, 'day_close'),
  'POST /api/follow-ups/:caseId/reminders': staff('supervisor', BACK_OFFICE, 'case'),
  'POST /api/follow-ups/:caseId/manual-confirmation': staff('manager', BACK_OFFICE, 'case'),
  'GET /api/sales/:saleId/audit': staff('cashier', ANY, 'sale'),
  'GET /api/sales/:saleId/receipt.escpos': staff('cashier', ANY, 'sale'),
  'POST /api/sales/:saleId/receipt-prints': staff('cashier', ANY, 'sale'),

  'POST /api/sales/:saleId/payments/card': staff('cashier', TILL, 'sale'),
  'POST /api/sales/:saleId/payments/wallet': staff('cashier', TILL, 'sale'),
  'GET /api/sales/:saleId/attempts': staff('cashier', ANY, 'sale'),
  'POST /api/sales/:saleId/release': staff('cashier', TILL, 'sale'),
  'GET /api/attempts/:attemptId': staff('cashier', ANY, 'attempt'),
  'POST /api/attempts/:attemptId/cancel': staff('cashier', TILL, 'attempt'),
  'GET /api/stores/:storeId/payment-reviews': staff('manager', BACK_OFFICE, 'store'),
  'POST /api/attempts/:attemptId/review/check': staff('manager', BACK_OFFICE, 'attempt'),
  'POST /api/attempts/:attemptId/review': staff('manager', BACK_OFFICE, 'attempt'),
  'POST /api/tills/:tillId/notifications/:tender': open(
    'a till’s terminal posts its unasked answers; a notice only makes us ask the terminal, it never moves money',
  ),

  'POST /api/approvals': staff('cashier', TILL, 'none'),
  'GET /api/approvals/:approvalId': staff('cashier', ANY, 'approval'),
  'POST /api/sales/:saleId/returns': staff('cashier', TILL, 'sale'),
  'POST /api/sales/:saleId/exchanges': staff('cashier', TILL, 'sale'),
  'POST /api/sales/:saleId/returns/:returnId/cash-fallback': staff('cashier', TILL, 'sale'),
  'GET /api/sales/:saleId/returns': staff('cashier', ANY, 'sale'),
  'GET /api/stores/:storeId/journal': staff('cashier', ANY, 'store'),
  'GET /api/stores/:storeId/approvers': staff('cashier', TILL, 'store'),
  'GET /api/stores/:storeId/approvals': staff('supervisor', BACK_OFFICE, 'store'),
  'POST /api/approvals/:approvalId/grant': staff('supervisor', BACK_OFFICE, 'approval'),
  'POST /api/approvals/:approvalId/deny': staff('supervisor', BACK_OFFICE, 'approval'),

  'GET /api/stores/:storeId/staff': staff('manager', BACK_OFFICE, 'store'),
  'POST /api/stores/:storeId/staff': staff('manager', BACK_OFFICE, 'store'),
  'PATCH /api/staff/:staffId': staff('manager', BACK_OFFICE, 'staff'),
  'DELETE /api/staff/:staffId': staff('manager', BACK_OFFICE, 'staff'),
  'PUT /api/staff/:staffId/pin': staff('manager', BACK_OFFICE, 'staff'),
  'PUT /api/staff/:staffId/password': staff('manager', BACK_OFFICE, 'staff'),

  'GET /api/audit': staff('supervisor', BACK_OFFICE, 'store'),
  'GET /api/audit/verify': staff('manager', BACK_OFFICE, 'store'),
};

export function ruleKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`;
}

export interface Caller {
  role: Role;
  surface: Surface;
  /** null: head office. */
  storeId: string | null;
}

export type Decision =
  | { allow: true }
  | { allow: false; code: 'unauthenticated' | 'forbidden' | 'wrong_surface' | 'other_store' };

/**
 * May `caller` (null: no session) use a route with `rule` on data of `storeId`? `storeId` is the
 * store the request touches, as found by the rule's scope; `undefined` when it names nothing that
 * exists (the handler then answers 404), `null` for chain-wide data.
 */
export function decide(rule: RouteRule, caller: Caller | null, storeId: string | null | undefined): Decision {
  if (rule.access === 'public') return { allow: true };
  if (!caller) return { allow: false, code: 'unauthenticated' };
  if (!rule.surfaces.includes(caller.surface)) return { allow: false, code: 'wrong_surface' };
  if (!atLeast(caller.role, rule.minRole)) return { allow: false, code: 'forbidden' };
  if (rule.scope === 'chain')
    return caller.storeId === null ? { allow: true } : { allow: false, code: 'forbidden' };
  if (rule.scope === 'none' || caller.storeId === null || storeId === undefined) return { allow: true };
  return storeId === caller.storeId ? { allow: true } : { allow: false, code: 'other_store' };
}

/** Who may call a route, in one line for the API description. */
export function describeRule(rule: RouteRule): string {
  if (rule.access === 'public') return `Public: ${rule.why}.`;
  const where =
    rule.surfaces.length === 2 ? 'till or back office' : rule.surfaces[0] === 'till' ? 'till' : 'back office';
  const scope =
    rule.scope === 'chain'
      ? ', head office only'
      : rule.scope === 'none'
        ? ''
        : ', own store (head office: any)';
  return `Who: ${rule.minRole} and above, signed in at the ${where}${scope}.`;
}

/** For the roles screen: what each role may do on each surface, route by route. */
export function matrixTable(): {
  route: string;
  public: boolean;
  minRole: Role | null;
  surfaces: readonly Surface[];
  scope: Scope | null;
}[] {
  return Object.entries(ROUTE_RULES).map(([route, rule]) =>
    rule.access === 'public'
      ? { route, public: true, minRole: null, surfaces: ANY, scope: null }
      : { route, public: false, minRole: rule.minRole, surfaces: rule.surfaces, scope: rule.scope },
  );
}
