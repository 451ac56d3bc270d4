/** An attempt as the till and the back office see it: status, guidance, what may be done next. */
import type { PaymentAttemptsTable, Tx } from '../db';
import type { Lang } from '../kernel';
import { saleHeader } from '../sales';
import { type AttemptAction, attemptActions, saysNoSecondCharge } from './attempt-actions';
import { AT_THE_PROVIDER, type AttemptStatus } from './attempt-model';
import {
  type Alternative,
  type FailureCategory,
  guidanceFor,
  guidanceText,
  REFUND_NOT_GIVEN,
  WRONG_PIN_NEXT,
} from './failure-taxonomy';
import type { Tender } from './provider';
import { classifyCardCode, mayTryCardAgain } from './providers/card-codes';
import { attemptHistory } from './store';

/** How often a till asks about an attempt the provider is still answering (the terminal is quick). */
const FOLLOW_AT_PROVIDER_MS = 500;
/** And about one on the review desk, which a person settles in minutes, not seconds. */
const FOLLOW_IN_REVIEW_MS = 3_000;

export interface AttemptView {
  id: string;
  saleId: string;
  tillId: string;
  tender: Tender;
  amountFen: number;
  status: AttemptStatus;
  merchantOrderNo: string;
  maskedPan: string | null;
  brand: string | null;
  code: string | null;
  category: FailureCategory | null;
  /** For a failed or unknown attempt: what to tell the customer and what to do, in the caller's language. */
  guidance: { tellCustomer: string; doNext: string; alternatives: readonly Alternative[] } | null;
  /**
   * After a decline: may this card be tried again? Never after a retained card; a wrong PIN at most
   * twice in all on this sale; a misread once (src/payments/failure-taxonomy.ts). After a reversal
   * always: nothing stayed charged. The till's buttons and words follow this verdict.
   */
  mayTryCardAgain: boolean;
  /** The provider is still being asked (sent, unknown, reversing): the till follows it. */
  beingChecked: boolean;
  /**
   * When the till should ask again, in ms; null: nothing will change by itself. The pace is the
   * server's: quick while the provider is asked, slow while a manager reviews it.
   */
  checkAgainInMs: number | null;
  /** What the till may offer now, in order: a button each, no other (attempt-actions.ts). */
  actions: AttemptAction[];
  /** The cashier tells the customer no second charge will be made while the bank is asked. */
  noSecondCharge: boolean;
  createdAt: string;
  resolvedAt: string | null;
  history: { at: string; event: string; meaning: string; from: string; to: string }[];
}

export async function attemptView(db: Tx, row: PaymentAttemptsTable, lang: Lang): Promise<AttemptView> {
  const category = row.category;
  const showGuidance = category !== null && row.status !== 'succeeded';
  const g = !showGuidance
    ? null
    : row.kind === 'refund'
      ? REFUND_NOT_GIVEN
      : guidanceFor(category, row.tender);
  let mayTryAgain = false;
  if (row.status === 'failed' && row.tender === 'card' && row.kind === 'payment') {
    // Earlier declines of the same kind on this sale count against the same card's tries.
    const earlier = await db
      .selectFrom('payment_attempts')
      .select('id')
      .where('sale_id', '=', row.sale_id)
      .where('kind', '=', 'payment')
      .where('status', '=', 'failed')
      .where('category', '=', row.category)
      .where('id', '<', row.id) // ids sort in creation order
      .execute();
    mayTryAgain = mayTryCardAgain(classifyCardCode(row.code), earlier.length, true);
  }
  // Reversed: nothing stayed charged, so the same card may go again under a new number.
  if (row.status === 'reversed' && row.tender === 'card' && row.kind === 'payment') mayTryAgain = true;
  // A wrong PIN's next step follows the verdict on this sale's tries, never the general words.
  const doNext =
    g && category === 'wrong_pin' && row.kind === 'payment'
      ? mayTryAgain
        ? WRONG_PIN_NEXT.again
        : WRONG_PIN_NEXT.spent
      : g?.doNext;
  const sale = await saleHeader(db, row.sale_id);
  const facts = {
    status: row.status,
    tender: row.tender,
    category,
    alternatives: g?.alternatives ?? (['cash'] as const),
    saleWaits: sale?.status === 'awaiting_payment',
  };
  return {
    actions: attemptActions(facts),
    noSecondCharge: saysNoSecondCharge(facts),
    mayTryCardAgain: mayTryAgain,
    beingChecked: AT_THE_PROVIDER.has(row.status),
    checkAgainInMs: AT_THE_PROVIDER.has(row.status)
      ? FOLLOW_AT_PROVIDER_MS
      : row.status === 'needs_review'
        ? FOLLOW_IN_REVIEW_MS
        : null,
    id: row.id,
    saleId: row.sale_id,
    tillId: row.till_id,
    tender: row.tender,
    amountFen: Number(row.amount_fen),
    status: row.status,
    merchantOrderNo: row.merchant_order_no,
    maskedPan: row.masked_pan,
    brand: row.brand,
    code: row.code,
    category,
    guidance: g
      ? {
          tellCustomer: guidanceText(g.tellCustomer, lang),
          doNext: guidanceText(doNext ?? g.doNext, lang),
          alternatives: g.alternatives,
        }
      : null,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    history: (await attemptHistory(db, row.id)).map((e) => ({
      at: e.at,
      event: e.event,
      meaning: e.meaning,
      from: e.from_status,
      to: e.to_status,
    })),
  };
}
