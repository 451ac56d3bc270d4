/**
 * The till's state and every way it changes, as named events through one reducer: a reader sees
 * what can happen at the till in one list, and each change says what it is (a sale shown, a charge
 * started, a dialog opened) instead of merging fields.
 */
import type { SlipView } from '../../../src/api-shapes';
import type { AttemptView, GuardedAction, Role, SaleView } from '../api/types';

export type Dialog =
  | { kind: 'cash'; payKey: string }
  | { kind: 'card'; payKey: string }
  /** A QR wallet: the customer's payment code scanned here (or in the scan field, for all that is due). */
  | { kind: 'wallet'; payKey: string; amountFen?: number }
  | { kind: 'discount'; lineId: string | null }
  /** 取单: the store's parked sales, to take one up at this till. */
  | { kind: 'parked' }
  /** 小单: who the customer is and where the goods go, before the slip is issued. */
  | { kind: 'slip'; key: string }
  | { kind: 'void' }
  | {
      kind: 'approval';
      action: GuardedAction;
      minRole: Role;
      reason: string;
      /** The change that asked for approval, sent again with the grant. */
      retry: SaleChange;
    };

export interface SaleChange {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  suffix: string;
  body: Record<string, unknown> | undefined;
  /** Changes a finished sale (a void after payment) instead of opening a new one. */
  current?: boolean;
}

export interface Message {
  tone: 'error' | 'info';
  title: string;
  detail?: string;
}

export interface TillState {
  sale: SaleView | null;
  /** The provisional slip just issued at this till, shown for printing until the next sale. */
  slip: SlipView | null;
  /** The card attempt on screen: live (followed until it ends) or just ended (its guidance shown). */
  attempt: AttemptView | null;
  busy: boolean;
  message: Message | null;
  dialog: Dialog | null;
}

export const INITIAL_TILL: TillState = {
  sale: null,
  slip: null,
  attempt: null,
  busy: false,
  message: null,
  dialog: null,
};

export type TillEvent =
  /** A request starts (the last message gives way) or ends. */
  | { type: 'work_started' }
  | { type: 'work_ended' }
  | { type: 'told'; message: Message }
  /** The sale on screen, as the server answered; a slip shown from the last customer gives way. */
  | { type: 'sale_shown'; sale: SaleView }
  /** Nothing of this till's to show (no sale remembered, or it belongs elsewhere). */
  | { type: 'sale_gone' }
  /** After a reload: the sale, the attempt it waits for, and what the outbox re-sent. */
  | { type: 'restored'; sale: SaleView; attempt: AttemptView | null; message: Message | null }
  /** The server says this till waits for another sale's payment: that sale and attempt come back. */
  | { type: 'held'; sale: SaleView; attempt: AttemptView; message: Message }
  | { type: 'dialog_opened'; dialog: Dialog; dismissAttempt?: boolean }
  | { type: 'dialog_closed' }
  /** A card or wallet attempt started: the sale waits for it. */
  | { type: 'charge_started'; attempt: AttemptView; sale: SaleView }
  /** The attempt followed on screen moved (and, once it ended, the sale as it now stands). */
  | { type: 'attempt_seen'; attempt: AttemptView; sale: SaleView | null }
  | { type: 'attempt_dismissed' }
  /** F9: the till is free for the next customer. */
  | { type: 'new_sale' }
  /** The sale left this till (parked, or on account with its slip shown for printing). */
  | { type: 'sale_set_aside'; slip: SlipView | null; message: Message }
  /** A slip or a parked sale taken up here: its sale is on screen already (`sale_shown`). */
  | { type: 'taken_up'; message: Message | null };

export function tillReducer(state: TillState, event: TillEvent): TillState {
  switch (event.type) {
    case 'work_started':
      return { ...state, busy: true, message: null };
    case 'work_ended':
      return { ...state, busy: false };
    case 'told':
      return { ...state, message: event.message };
    case 'sale_shown':
      return { ...state, sale: event.sale, slip: null };
    case 'sale_gone':
      return { ...state, sale: null };
    case 'restored':
      return {
        ...state,
        sale: event.sale,
        attempt: event.attempt,
        ...(event.message ? { message: event.message } : {}),
      };
    case 'held':
      return {
        ...state,
        sale: event.sale,
        attempt: event.attempt,
        slip: null,
        dialog: null,
        message: event.message,
      };
    case 'dialog_opened':
      return { ...state, dialog: event.dialog, ...(event.dismissAttempt ? { attempt: null } : {}) };
    case 'dialog_closed':
      return { ...state, dialog: null };
    case 'charge_started':
      return { ...state, attempt: event.attempt, sale: event.sale, dialog: null };
    case 'attempt_seen':
      return { ...state, attempt: event.attempt, ...(event.sale ? { sale: event.sale } : {}) };
    case 'attempt_dismissed':
      return { ...state, attempt: null };
    case 'new_sale':
      return { ...state, sale: null, attempt: null, dialog: null, message: null, slip: null };
    case 'sale_set_aside':
      return { ...state, sale: null, attempt: null, dialog: null, slip: event.slip, message: event.message };
    case 'taken_up':
      return {
        ...state,
        slip: null,
        attempt: null,
        dialog: null,
        ...(event.message ? { message: event.message } : {}),
      };
  }
}
