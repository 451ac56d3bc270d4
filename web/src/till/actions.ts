/**
 * What a cashier can do from the keyboard, as data: name, keys, when it is available, what it
 * does. The screen draws buttons from these and one key handler dispatches them.
 */
import { walletOfCode } from '../../../src/shared';
import { newKey } from '../api/client';
import type { SaleAction } from '../api/types';
import type { MessageKey } from '../i18n';
import type { TillApi, TillState } from './use-till';

export interface TillAction {
  name: string;
  keys: string[];
  label: MessageKey;
  available(state: TillState): boolean;
  perform(till: TillApi): void;
}

/** Free to act: nothing being sent, no dialog open. */
const idle = (s: TillState) => !s.busy && s.dialog === null;
/**
 * The server's verdict on the sale on screen (its `allowed`): no tender while a card attempt may
 * still succeed, a slip when it cannot finish now, a park only before money is taken, and so on.
 */
const allows = (action: SaleAction) => (s: TillState) => idle(s) && s.sale?.allowed.includes(action) === true;

/**
 * Every way a dialog opens, in one place: the key bindings below, the attempt panel's other ways to
 * pay, a cart line's discount button. A fresh idempotency key is made as a payment dialog opens,
 * so a double click or a retry inside it sends the same payment.
 */
export const OPEN = {
  cash: (till: TillApi, from: { attempt?: boolean } = {}) =>
    till.openDialog({ kind: 'cash', payKey: newKey() }, { dismissAttempt: from.attempt === true }),
  card: (till: TillApi, from: { attempt?: boolean } = {}) =>
    till.openDialog({ kind: 'card', payKey: newKey() }, { dismissAttempt: from.attempt === true }),
  /** A wallet: for what is due, or (after a wallet attempt failed) for that attempt's amount. */
  wallet: (till: TillApi, from: { attempt?: boolean; amountFen?: number } = {}) =>
    till.openDialog(
      {
        kind: 'wallet',
        payKey: newKey(),
        ...(from.amountFen !== undefined ? { amountFen: from.amountFen } : {}),
      },
      { dismissAttempt: from.attempt === true },
    ),
  slip: (till: TillApi) => till.openDialog({ kind: 'slip', key: newKey() }),
  parked: (till: TillApi) => till.openDialog({ kind: 'parked' }),
  discount: (till: TillApi, lineId: string | null) => till.openDialog({ kind: 'discount', lineId }),
  void: (till: TillApi) => till.openDialog({ kind: 'void' }),
} as const;

export const TILL_ACTIONS: readonly TillAction[] = [
  {
    name: 'payCash',
    keys: ['F2'],
    label: 'payCash',
    available: allows('pay'),
    perform: (till) => OPEN.cash(till),
  },
  {
    name: 'payCard',
    keys: ['F3'],
    label: 'payCard',
    available: allows('pay'),
    perform: (till) => OPEN.card(till),
  },
  {
    name: 'payWallet',
    keys: ['F5'],
    label: 'payWallet',
    available: allows('pay'),
    perform: (till) => OPEN.wallet(till),
  },
  {
    name: 'parkSale',
    keys: ['F6'],
    label: 'parkSale',
    available: allows('park'),
    perform: (till) => void till.parkSale(),
  },
  {
    name: 'issueSlip',
    keys: ['F10'],
    label: 'issueSlip',
    // When the checkout cannot finish now: nothing works, or an attempt is still being checked.
    available: allows('slip'),
    perform: (till) => OPEN.slip(till),
  },
  {
    name: 'parkedSales',
    keys: ['F7'],
    label: 'parkedSales',
    // Between customers: nothing on the till that a take-up would push aside.
    available: (s) =>
      !s.busy &&
      s.dialog === null &&
      (s.sale === null || s.sale.status !== 'open' || s.sale.lines.length === 0),
    perform: (till) => OPEN.parked(till),
  },
  {
    name: 'saleDiscount',
    keys: ['F8'],
    label: 'saleDiscountButton',
    available: allows('discount'),
    perform: (till) => OPEN.discount(till, null),
  },
  {
    name: 'voidSale',
    keys: ['F4'],
    label: 'voidSale',
    // After payment too: the server then asks for a manager's approval.
    available: allows('void'),
    perform: (till) => OPEN.void(till),
  },
  {
    name: 'newSale',
    keys: ['F9'],
    label: 'newSale',
    available: (s) => s.sale !== null && s.sale.status !== 'open' && !s.busy,
    perform: (till) => till.newSale(),
  },
];

export function actionForKey(key: string, state: TillState): TillAction | undefined {
  return TILL_ACTIONS.find((a) => a.keys.includes(key) && a.available(state));
}

export function actionNamed(name: string): TillAction {
  const action = TILL_ACTIONS.find((a) => a.name === name);
  if (!action) throw new Error(`no till action ${name}`);
  return action;
}

/** A provisional slip's number as printed: `SH01-X20261123-0001`. */
const SLIP_NUMBER = /^[A-Z0-9]+-X\d{8}-\d{4}$/;
/** A scanner types the code fast and ends with Enter; codes are letters, digits and dashes. */
const looksLikeBarcode = (text: string) => /^[0-9A-Za-z-]{4,32}$/.test(text) && /\d{4,}/.test(text);

/**
 * What the scan field's text asks for: a slip taken up, a wallet charged for all that is due (one
 * action, when a tender may be taken), an item added, or a search.
 */
export type Scanned =
  | { kind: 'slip'; number: string }
  | { kind: 'wallet'; code: string; amountFen: number }
  | { kind: 'item'; barcode: string }
  | { kind: 'search'; text: string };

export function readScan(text: string, state: TillState): Scanned {
  if (SLIP_NUMBER.test(text.toUpperCase())) return { kind: 'slip', number: text.toUpperCase() };
  if (walletOfCode(text) && state.sale && actionNamed('payWallet').available(state))
    return { kind: 'wallet', code: text, amountFen: state.sale.dueFen };
  if (looksLikeBarcode(text)) return { kind: 'item', barcode: text };
  return { kind: 'search', text };
}
