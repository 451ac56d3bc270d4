/**
 * A store's return terms as its row keeps them: the return policy its tills apply and its receipts
 * print, and its contracts' refund windows (migration 0023). Changed by head office, audited.
 */
import { appendAudit } from '../audit';
import { actorIdOf, type Ctx } from '../context';
import { type StoresTable, type Tx, transaction } from '../db';
import { Refusal } from '../kernel';
import {
  DEFAULT_REFUND_RULES,
  DEFAULT_RETURN_POLICY,
  RETURN_REASONS,
  type RefundRules,
  type ReturnPolicy,
  type ReturnReason,
} from '../shared';

export interface ReturnTerms {
  policy: ReturnPolicy;
  /** The contract terms a store sets (WeChat Pay's are the same for everyone). */
  refunds: Pick<RefundRules, 'cardRefundWindowDays' | 'alipayRefundWindowMonths'>;
}

type TermColumns = Pick<
  StoresTable,
  | 'return_window_days'
  | 'return_receipt_required'
  | 'return_no_receipt_role'
  | 'return_no_receipt_limit_fen'
  | 'return_reasons'
  | 'card_refund_window_days'
  | 'alipay_refund_window_months'
>;

export const TERM_COLUMNS = [
  'return_window_days',
  'return_receipt_required',
  'return_no_receipt_role',
  'return_no_receipt_limit_fen',
  'return_reasons',
  'card_refund_window_days',
  'alipay_refund_window_months',
] as const;

export function termColumns(terms: ReturnTerms): TermColumns {
  return {
    return_window_days: terms.policy.windowDays,
    return_receipt_required: terms.policy.receiptRequired ? 1 : 0,
    return_no_receipt_role: terms.policy.noReceipt?.approverRole ?? null,
    return_no_receipt_limit_fen: terms.policy.noReceipt?.cashLimitFen ?? 0,
    return_reasons: JSON.stringify(terms.policy.reasons),
    card_refund_window_days: terms.refunds.cardRefundWindowDays,
    alipay_refund_window_months: terms.refunds.alipayRefundWindowMonths,
  };
}

export const DEFAULT_TERMS: ReturnTerms = {
  policy: DEFAULT_RETURN_POLICY,
  refunds: {
    cardRefundWindowDays: DEFAULT_REFUND_RULES.cardRefundWindowDays,
    alipayRefundWindowMonths: DEFAULT_REFUND_RULES.alipayRefundWindowMonths,
  },
};

const isReason = (r: unknown): r is ReturnReason => (RETURN_REASONS as readonly unknown[]).includes(r);

export function termsOf(row: TermColumns): ReturnTerms {
  // Written by termColumns only; a reason no longer known is dropped rather than offered.
  const reasons: unknown = JSON.parse(row.return_reasons);
  return {
    policy: {
      windowDays: row.return_window_days,
      receiptRequired: row.return_receipt_required === 1,
      noReceipt: row.return_no_receipt_role
        ? { approverRole: row.return_no_receipt_role, cashLimitFen: Number(row.return_no_receipt_limit_fen) }
        : null,
      reasons: Array.isArray(reasons) ? reasons.filter(isReason) : RETURN_REASONS,
    },
    refunds: {
      cardRefundWindowDays: row.card_refund_window_days,
      alipayRefundWindowMonths: row.alipay_refund_window_months,
    },
  };
}

/** The store's return terms (its policy and contracts), or null for an id no store has. */
export async function storeReturnTerms(db: Tx, storeId: string): Promise<ReturnTerms | null> {
  const row = await db.selectFrom('stores').select(TERM_COLUMNS).where('id', '=', storeId).executeTakeFirst();
  return row ? termsOf(row) : null;
}

/** Head office sets a store's return terms; the change is audited with what it was. */
export async function setReturnTerms(ctx: Ctx, storeId: string, terms: ReturnTerms): Promise<ReturnTerms> {
  return transaction(ctx.db, 'full', async (tx) => {
    const before = await storeReturnTerms(tx, storeId);
    if (!before) throw new Refusal('store_unknown');
    await tx.updateTable('stores').set(termColumns(terms)).where('id', '=', storeId).execute();
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId,
      actorId: actorIdOf(ctx),
      action: 'store.return_terms_set',
      entityType: 'store',
      entityId: storeId,
      before,
      after: terms,
    });
    return terms;
  });
}
