/**
 * What the till may offer about an attempt on screen, decided here once: the till draws a button
 * for each action named and no other. Pure, so every state × tender × verdict is tested.
 */
import type { AttemptStatus } from './attempt-model';
import { AT_THE_PROVIDER } from './attempt-model';
import type { Alternative, FailureCategory } from './failure-taxonomy';
import type { Tender } from './provider';

export const ATTEMPT_ACTIONS = [
  /** Take another tender while this one is unknown (a manager approves: it may still be paid). */
  'release',
  /** Stop it: a card at the terminal, a wallet payment not yet final (cancelled at the wallet). */
  'cancel',
  /** A fresh wallet code: the one scanned was not valid. */
  'rescan',
  'pay_cash',
  /** Charge a card: the same one once more (mayTryCardAgain) or another. */
  'pay_card',
  'pay_wallet',
  /** The checkout cannot finish now, or the customer cannot wait for the check: a provisional slip. */
  'slip',
  /** Paid: the panel goes. */
  'dismiss',
] as const;
export type AttemptAction = (typeof ATTEMPT_ACTIONS)[number];

export interface AttemptFactsForTill {
  status: AttemptStatus;
  tender: Tender;
  category: FailureCategory | null;
  /** The other ways to pay the guidance names (cash when there is no guidance). */
  alternatives: readonly Alternative[];
  /** The sale still waits for this attempt (no other tender taken meanwhile). */
  saleWaits: boolean;
}

const isWallet = (t: Tender) => t === 'alipay' || t === 'wechat';

export function attemptActions(f: AttemptFactsForTill): AttemptAction[] {
  const wallet = isWallet(f.tender);
  const live = AT_THE_PROVIDER.has(f.status);
  const actions: AttemptAction[] = [];
  if (f.status === 'unknown' && f.saleWaits) actions.push('release');
  if (f.status === 'in_flight' || (wallet && f.status === 'unknown')) actions.push('cancel');
  if (!live && f.status !== 'succeeded') {
    if (wallet && f.category === 'wallet_code_invalid') actions.push('rescan');
    if (f.alternatives.includes('cash')) actions.push('pay_cash');
    // After a reversal nothing was charged: a new attempt (a new order number) is safe.
    if (
      (f.status === 'reversed' && !wallet) ||
      f.alternatives.some((a) => a === 'another_card' || a === 'insert_or_tap')
    )
      actions.push('pay_card');
    if ((f.status === 'reversed' && wallet) || f.alternatives.some((a) => a === 'alipay' || a === 'wechat'))
      actions.push('pay_wallet');
  }
  if (f.status !== 'succeeded' && f.status !== 'created' && f.status !== 'in_flight') actions.push('slip');
  if (f.status === 'succeeded') actions.push('dismiss');
  return actions;
}

/** While the provider is asked and the sale waits, the cashier tells the customer: no second charge. */
export function saysNoSecondCharge(f: Pick<AttemptFactsForTill, 'status' | 'saleWaits'>): boolean {
  return AT_THE_PROVIDER.has(f.status) && f.status !== 'created' && f.saleWaits;
}
