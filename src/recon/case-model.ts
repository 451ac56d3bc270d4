/**
 * A reconciliation case's life: open until the accountant resolves it (link, refund, write off) or
 * a later statement clears it (the line turned up, or a customer's proof was confirmed); a
 * resolved case may be reopened.
 */
import { type Lifecycle, moveIn } from '../kernel';
import { RECON_CASE_STATUSES, type ReconCaseStatus } from '../shared';

export const RECON_CASE_EVENTS = ['resolve', 'clear', 'reopen'] as const;
export type ReconCaseEvent = (typeof RECON_CASE_EVENTS)[number];
export const RECON_CASE_LIFECYCLE: Lifecycle<ReconCaseStatus, ReconCaseEvent> = {
  name: 'reconciliation case',
  states: RECON_CASE_STATUSES,
  events: RECON_CASE_EVENTS,
  initial: 'open',
  ends: ['resolved'],
  transitions: { open: { resolve: 'resolved', clear: 'resolved' }, resolved: { reopen: 'open' } },
};

/** Where an open case goes when a statement clears it (the import's queries read open cases only). */
export function clearedFromOpen(): ReconCaseStatus {
  const moved = moveIn(RECON_CASE_LIFECYCLE, 'open', 'clear');
  if (!moved.ok) throw new Error('invariant: an open reconciliation case cannot be cleared');
  return moved.to;
}
