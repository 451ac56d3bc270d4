/**
 * What sales asks of the rooms above it, plugged in at start-up (src/start): the exception desk's
 * part in a completion, and payments' word on the charges that hold a till. Sales never imports
 * either room.
 */

import type { Ctx } from '../context';
import type { SalesTable, Tx } from '../db';
import { Port } from '../kernel';
import type { BookedTender } from '../shared';
import type { AuditDraft } from './sale-change';

/**
 * What else must happen, in the same transaction, when a sale on account completes (its slip
 * settles). Several rooms may listen; registering the same hook twice runs it once.
 */
export type SaleCompletionHook = (tx: Tx, ctx: Ctx, sale: SalesTable) => Promise<AuditDraft[]>;
const completionHooks = new Set<SaleCompletionHook>();
export function onSaleCompleted(hook: SaleCompletionHook): void {
  completionHooks.add(hook);
}
export async function runCompletionHooks(tx: Tx, ctx: Ctx, sale: SalesTable): Promise<AuditDraft[]> {
  const drafts: AuditDraft[] = [];
  if (sale.on_account_at) for (const hook of completionHooks) drafts.push(...(await hook(tx, ctx, sale)));
  return drafts;
}

/** A card or wallet charge at a till that may still take the money (a cashier's, not a customer's). */
export interface TillCharge {
  saleId: string;
  attemptId: string;
  status: string;
  tender: BookedTender;
}

/** The charges at a till that may still succeed, newest first: payments answers. */
export const TILL_CHARGES = new Port<(tx: Tx, tillId: string) => Promise<TillCharge[]>>('sales.tillCharges');

/** Whether a till's business day was closed (its Z report kept): the day close answers. */
export const TILL_DAY_CLOSED = new Port<(tx: Tx, tillId: string, day: string) => Promise<boolean>>(
  'sales.tillDayClosed',
);
