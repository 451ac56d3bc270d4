import { describe, expect, it } from 'vitest';
import type { SaleView } from '../../src/api-shapes';
import { saleActions } from '../../src/sales';
import { readScan } from '../../web/src/till/actions';
import { INITIAL_TILL, type TillState, tillReducer } from '../../web/src/till/till-state';

/** A sale as the server shows it, with the server's own verdict on what the till may do. */
const sale = (over: Partial<SaleView> = {}) => {
  const s = {
    id: 'sale_1',
    status: 'open',
    lines: [{ id: 'l1' }],
    dueFen: 29_900,
    paidFen: 0,
    returnedFen: 0,
    ...over,
  } as SaleView;
  return { ...s, allowed: saleActions({ ...s, lineCount: s.lines.length }) };
};

describe('the till’s state', () => {
  it('clears the last message when work starts, and keeps it when work ends', () => {
    const told = tillReducer(INITIAL_TILL, { type: 'told', message: { tone: 'error', title: 'no' } });
    expect(tillReducer(told, { type: 'work_started' })).toMatchObject({ busy: true, message: null });
    const busy = tillReducer(INITIAL_TILL, { type: 'work_started' });
    const again = tillReducer(busy, { type: 'told', message: { tone: 'info', title: 'ok' } });
    expect(tillReducer(again, { type: 'work_ended' })).toMatchObject({
      busy: false,
      message: { title: 'ok' },
    });
  });

  it('shows a sale by putting away the slip of the last customer', () => {
    const withSlip: TillState = { ...INITIAL_TILL, slip: { id: 'slip_1' } as TillState['slip'] };
    expect(tillReducer(withSlip, { type: 'sale_shown', sale: sale() })).toMatchObject({
      slip: null,
      sale: { id: 'sale_1' },
    });
  });

  it('opens a payment dialog from the attempt panel by putting the attempt away', () => {
    const state: TillState = { ...INITIAL_TILL, attempt: { id: 'att_1' } as TillState['attempt'] };
    const dialog = { kind: 'cash', payKey: 'k1' } as const;
    expect(tillReducer(state, { type: 'dialog_opened', dialog })).toMatchObject({
      dialog,
      attempt: { id: 'att_1' },
    });
    expect(tillReducer(state, { type: 'dialog_opened', dialog, dismissAttempt: true })).toMatchObject({
      dialog,
      attempt: null,
    });
  });

  it('frees the till for the next customer on F9, a slip or a parking', () => {
    const busy: TillState = {
      ...INITIAL_TILL,
      sale: sale(),
      attempt: { id: 'att_1' } as TillState['attempt'],
      dialog: { kind: 'void' },
    };
    expect(tillReducer(busy, { type: 'new_sale' })).toEqual({ ...INITIAL_TILL });
    const slip = { id: 'slip_1' } as TillState['slip'];
    expect(
      tillReducer(busy, { type: 'sale_set_aside', slip, message: { tone: 'info', title: 'x' } }),
    ).toMatchObject({ sale: null, attempt: null, dialog: null, slip });
  });
});

describe('what the scan field asks for', () => {
  const open: TillState = { ...INITIAL_TILL, sale: sale() };
  it('reads a slip number (any case) before anything else', () => {
    expect(readScan('sh01-x20261123-0001', open)).toEqual({ kind: 'slip', number: 'SH01-X20261123-0001' });
  });
  it('charges a wallet for all that is due when a tender may be taken, else adds it as an item', () => {
    expect(readScan('134567890123456789', open)).toEqual({
      kind: 'wallet',
      code: '134567890123456789',
      amountFen: 29_900,
    });
    const waiting: TillState = { ...INITIAL_TILL, sale: sale({ status: 'awaiting_payment' }) };
    expect(readScan('134567890123456789', waiting)).toEqual({ kind: 'item', barcode: '134567890123456789' });
  });
  it('adds a barcode, and searches for anything else', () => {
    expect(readScan('6901234567892', open)).toEqual({ kind: 'item', barcode: '6901234567892' });
    expect(readScan('cashmere', open)).toEqual({ kind: 'search', text: 'cashmere' });
  });
});
