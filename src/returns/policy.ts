/**
 * A store's return policy (退换货), pure: how many days a sale may be brought back, whether the
 * receipt is needed, who approves a return without one (cash only, up to a limit), the reasons a
 * cashier picks from. The receipt prints the policy as it is, never a fixed sentence.
 */
import { addDays } from '../kernel';
import {
  DEFAULT_RETURN_POLICY,
  RETURN_DISPOSITIONS,
  RETURN_REASONS,
  type ReturnDisposition,
  type ReturnPolicy,
  type ReturnReason,
  type Role,
} from '../shared';

export {
  DEFAULT_RETURN_POLICY,
  RETURN_DISPOSITIONS,
  RETURN_REASONS,
  type ReturnDisposition,
  type ReturnPolicy,
  type ReturnReason,
};

export type PolicyVerdict =
  /** Refunded to the sale's own tenders (refund-plan.ts). */
  | { ok: true; mode: 'to_tenders'; lastDay: string }
  /** No receipt where one is required: cash only, up to the limit, with an approver's PIN. */
  | { ok: true; mode: 'cash_with_approval'; lastDay: string; approverRole: Role; cashLimitFen: number }
  | { ok: false; code: 'return_window_passed'; lastDay: string }
  | { ok: false; code: 'return_receipt_required' }
  | { ok: false; code: 'return_reason_unknown' };

/** The last day (the store's calendar) the store takes back a sale of `soldDay`. */
export function lastReturnDay(policy: ReturnPolicy, soldDay: string): string {
  return addDays(soldDay, policy.windowDays);
}

/** Whether the store takes this sale back today by its policy, and how the money goes back. */
export function policyAllows(
  policy: ReturnPolicy,
  input: { soldDay: string; today: string; withReceipt: boolean; reason: string },
): PolicyVerdict {
  const lastDay = lastReturnDay(policy, input.soldDay);
  if (!(policy.reasons as readonly string[]).includes(input.reason))
    return { ok: false, code: 'return_reason_unknown' };
  if (input.today > lastDay) return { ok: false, code: 'return_window_passed', lastDay };
  if (input.withReceipt || !policy.receiptRequired) return { ok: true, mode: 'to_tenders', lastDay };
  if (!policy.noReceipt) return { ok: false, code: 'return_receipt_required' };
  return { ok: true, mode: 'cash_with_approval', lastDay, ...policy.noReceipt };
}
