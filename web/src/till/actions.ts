/**
 * What a cashier can do from the keyboard, as data: name, keys, when it is available, what it
 * does. The screen draws buttons from these and one key handler dispatches them.
 */
import { newKey } from '../api/client';
import type { MessageKey } from '../i18n';
import type { TillApi, TillState } from './use-till';

export interface TillAction {
  name: string;
  keys: string[];
  label: MessageKey;
  available(state: TillState): boolean;
  perform(till: TillApi): void;
}

const saleOpenWithItems = (s: TillState) =>
  s.sale?.status === 'open' && s.sale.lines.length > 0 && !s.busy && s.dialog === null;
/**
 * No tender while a card attempt may still succeed: the sale then waits (not open) until it ends,
 * or until a manager lifts the lock for this sale. A sale on account (a slip) is paid like an open one.
 */
const mayTakeTender = (s: TillState) =>
  (saleOpenWithItems(s) || (s.sale?.status === 'on_account' && !s.busy && s.dialog === null)) &&
  (s.sale?.dueFen ?? 0) > 0;

export const TILL_ACTIONS: readonly TillAction[] = [
  {
    name: 'payCash',
    keys: ['F2'],
    label: 'payCash',
    available: mayTakeTender,
    perform: (till) => till.patch({ dialog: { kind: 'cash', payKey: newKey() } }),
  },
  {
    name: 'payCard',
    keys: ['F3'],
    label: 'payCard',
    available: mayTakeTender,
    perform: (till) => till.patch({ dialog: { kind: 'card', payKey: newKey() } }),
  },
  {
    name: 'payWallet',
    keys: ['F5'],
    label: 'payWallet',
    available: mayTakeTender,
    perform: (till) => till.patch({ dialog: { kind: 'wallet', payKey: newKey() } }),
  },
  {
    name: 'parkSale',
    keys: ['F6'],
    label: 'parkSale',
    // Only before any money is taken: a partly paid sale gets a provisional slip instead.
    available: (s) => saleOpenWithItems(s) && s.sale?.paidFen === 0,
    perform: (till) => void till.parkSale(),
  },
  {
    name: 'issueSlip',
    keys: ['F10'],
    label: 'issueSlip',
    // When the checkout cannot finish now: nothing works, or an attempt is still being checked.
    available: (s) =>
      !s.busy &&
      s.dialog === null &&
      (s.sale?.status === 'open' || s.sale?.status === 'awaiting_payment') &&
      s.sale.lines.length > 0 &&
      s.sale.dueFen > 0,
    perform: (till) => till.patch({ dialog: { kind: 'slip', key: newKey() } }),
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
    perform: (till) => till.patch({ dialog: { kind: 'parked' } }),
  },
  {
    name: 'saleDiscount',
    keys: ['F8'],
    label: 'saleDiscountButton',
    available: saleOpenWithItems,
    perform: (till) => till.patch({ dialog: { kind: 'discount', lineId: null } }),
  },
  {
    name: 'voidSale',
    keys: ['F4'],
    label: 'voidSale',
    // After payment too: the server then asks for a manager's approval.
    available: (s) =>
      (s.sale?.status === 'open' || s.sale?.status === 'completed') && !s.busy && s.dialog === null,
    perform: (till) => till.patch({ dialog: { kind: 'void' } }),
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
