/**
 * Every lifecycle the store's rows live by, in one list, validated before anything runs: a broken
 * table (an unknown target, an undeclared or unused event, an unreachable state, a dead end, a
 * loop no row could leave) never serves a till.
 */
import { APPROVAL_LIFECYCLE } from '../approvals';
import { CASE_LIFECYCLE, CONFIRMATION_LIFECYCLE, SLIP_LIFECYCLE } from '../exceptions';
import { COMPLAINT_LIFECYCLE } from '../feedback';
import { type Lifecycle, validateLifecycle } from '../kernel';
import { NOTIFICATION_LIFECYCLE } from '../notify';
import { ATTEMPT_LIFECYCLE, REFUND_LIFECYCLE } from '../payments';
import { RECON_CASE_LIFECYCLE } from '../recon';
import { PARKED_LIFECYCLE, SALE_LIFECYCLE } from '../sales';

export const LIFECYCLES: readonly Lifecycle[] = [
  SALE_LIFECYCLE,
  PARKED_LIFECYCLE,
  ATTEMPT_LIFECYCLE,
  REFUND_LIFECYCLE,
  SLIP_LIFECYCLE,
  CASE_LIFECYCLE,
  CONFIRMATION_LIFECYCLE,
  APPROVAL_LIFECYCLE,
  NOTIFICATION_LIFECYCLE,
  COMPLAINT_LIFECYCLE,
  RECON_CASE_LIFECYCLE,
];

/** Throws naming every problem of every lifecycle; start-up calls it first. */
export function validateLifecycles(lifecycles: readonly Lifecycle[] = LIFECYCLES): void {
  const problems = lifecycles.flatMap((l) => validateLifecycle(l).map((p) => `${l.name}: ${p}`));
  if (problems.length > 0) throw new Error(`unsound lifecycles: ${problems.join('; ')}`);
}
