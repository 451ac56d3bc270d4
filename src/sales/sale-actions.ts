/**
 * What the till may offer for the sale on screen, decided here once from the sale's lifecycle and
 * its amounts: the till enables a key or a button for each action named and no other. Pure.
 */
import type { SaleStatus } from '../shared';
import { SALE_TRANSITIONS, type SaleEvent } from './model';

export const SALE_ACTIONS = [
  /** Add, change or remove lines. */
  'edit',
  /** A line or the whole sale discounted. */
  'discount',
  /** Take money by any tender: cash, card, wallet (a split is several). */
  'pay',
  /** 挂单: set aside before any money is taken (a part-paid sale gets a slip instead). */
  'park',
  /** 小单: it cannot be finished now — a provisional slip says who owes what. */
  'slip',
  /** Void: before payment at once; after it, with a manager's approval — never after a return. */
  'void',
  /** 退货 / 换货: some lines back, their money back to the sale's own tenders. */
  'return',
] as const;
export type SaleAction = (typeof SALE_ACTIONS)[number];

export interface SaleFactsForTill {
  status: SaleStatus;
  lineCount: number;
  paidFen: number;
  dueFen: number;
  /** What returns gave back of it so far (fen). */
  returnedFen: number;
}

const can = (status: SaleStatus, event: SaleEvent) => SALE_TRANSITIONS[status][event] !== undefined;

export function saleActions(s: SaleFactsForTill): SaleAction[] {
  const items = s.lineCount > 0;
  const due = s.dueFen > 0;
  const actions: SaleAction[] = [];
  if (can(s.status, 'edit')) actions.push('edit');
  if (can(s.status, 'edit') && items) actions.push('discount');
  if ((can(s.status, 'pay_in_full') || can(s.status, 'charge')) && items && due) actions.push('pay');
  if (can(s.status, 'park') && items && s.paidFen === 0) actions.push('park');
  if (can(s.status, 'put_on_account') && items && due) actions.push('slip');
  if (can(s.status, 'void') || (can(s.status, 'void_after_payment') && s.returnedFen === 0))
    actions.push('void');
  if (can(s.status, 'return') && items) actions.push('return');
  return actions;
}
