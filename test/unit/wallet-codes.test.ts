/**
 * The wallets' codes: which wallet a scanned code belongs to, and what every Alipay sub_code and
 * WeChat Pay err_code of docs/providers.md means for the money — never paid by a code alone, never a
 * decline for anything unlisted, guidance for every category in both languages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORY_GUIDANCE } from '../../src/payments/failure-taxonomy';
import {
  ALIPAY_GATEWAY_CODES,
  ALIPAY_SUB_CODES,
  classifyAlipay,
  classifyWechat,
  WECHAT_ERR_CODES,
  walletOfCode,
} from '../../src/payments/providers/wallet-codes';

describe('which wallet a scanned code belongs to', () => {
  it.each([
    ['134567890123456789', 'wechat'],
    ['101234567890123456', 'wechat'],
    ['159999999999999999', 'wechat'],
    ['2812345678901234', 'alipay'],
    ['281234567890123456', 'alipay'],
    ['251234567890123456789012', 'alipay'],
    ['301234567890123456', 'alipay'],
  ])('%s is %s', (code, wallet) => expect(walletOfCode(code)).toBe(wallet));

  it.each([
    ['6901230000010', 'an EAN-13 item barcode'],
    ['6222021000112214', 'a bank card number'],
    ['16123456789012345', 'WeChat prefix, 17 digits'],
    ['161234567890123456', 'prefix 16, 18 digits'],
    ['311234567890123456', 'prefix 31'],
    ['2512345678901234567890123', 'Alipay prefix, 25 digits'],
    ['281234567890123', 'Alipay prefix, 15 digits'],
    ['13456789012345678a', 'a letter'],
    [' 134567890123456789', 'a space'],
    ['', 'nothing'],
  ])('%s (%s) is neither', (code) => expect(walletOfCode(code)).toBeNull());

  it('never claims a code for both wallets, and only all-digit codes (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (code) => {
        const wallet = walletOfCode(code);
        if (wallet) expect(code).toMatch(/^\d{16,24}$/);
        if (wallet === 'wechat') expect(code).toMatch(/^1[0-5]\d{16}$/);
        if (wallet === 'alipay') expect(code).toMatch(/^(2[5-9]|30)\d{14,22}$/);
      }),
    );
  });
});

describe('Alipay codes', () => {
  it('only 10000 is paid; 10003 is the customer still confirming; 20000 is asked at once', () => {
    expect(classifyAlipay('10000', undefined).outcome).toBe('paid');
    expect(classifyAlipay('10003', undefined)).toMatchObject({
      outcome: 'unknown',
      category: 'customer_still_paying',
    });
    expect(classifyAlipay('20000', undefined)).toMatchObject({ outcome: 'unknown', queryAtOnce: true });
    expect(classifyAlipay('40001', undefined)).toMatchObject({ outcome: 'failed', ourBug: true });
  });

  it.each(Object.keys(ALIPAY_SUB_CODES))(
    '40004 with %s has a meaning and a category with guidance',
    (sub) => {
      const meaning = classifyAlipay('40004', sub);
      expect(meaning.outcome).not.toBe('paid');
      expect(meaning.category).not.toBeNull();
      expect(CATEGORY_GUIDANCE[meaning.category!].tellCustomer.zh.length).toBeGreaterThan(0);
    },
  );

  it('reads the cases the cashier must treat specially', () => {
    expect(classifyAlipay('40004', 'ACQ.BUYER_BALANCE_NOT_ENOUGH').category).toBe('insufficient_funds');
    expect(classifyAlipay('40004', 'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH').category).toBe(
      'insufficient_funds',
    );
    expect(classifyAlipay('40004', 'ACQ.PAYMENT_AUTH_CODE_INVALID').category).toBe('wallet_code_invalid');
    expect(classifyAlipay('40004', 'ACQ.PULL_MOBILE_CASHIER_FAIL').category).toBe('wallet_code_invalid');
    expect(classifyAlipay('40004', 'ACQ.SYSTEM_ERROR')).toMatchObject({
      outcome: 'unknown',
      queryAtOnce: true,
    });
    // "Already paid" for our order is confirmed by a query (and its amount), never taken on its word.
    expect(classifyAlipay('40004', 'ACQ.TRADE_HAS_SUCCESS')).toMatchObject({
      outcome: 'unknown',
      queryAtOnce: true,
    });
    expect(classifyAlipay('40004', 'ACQ.CONTEXT_INCONSISTENT')).toMatchObject({
      outcome: 'unknown',
      ourBug: true,
    });
    expect(classifyAlipay('40004', 'ACQ.TRADE_HAS_CLOSE').outcome).toBe('failed');
  });

  it.each([
    [undefined, undefined],
    ['40004', 'ACQ.SOMETHING_NEW'],
    ['99999', undefined],
    ['', ''],
    [10000, null],
    ['40004', '__proto__'],
  ])('an unknown code (%s / %s) is an unknown outcome', (code, sub) =>
    expect(classifyAlipay(code, sub)).toMatchObject({ outcome: 'unknown', category: 'unknown' }),
  );

  it('no code but 10000 is ever paid (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 30 }), (code, sub) => {
        if (classifyAlipay(code, sub).outcome === 'paid') expect(code.trim()).toBe('10000');
      }),
    );
    for (const [code, meaning] of Object.entries(ALIPAY_GATEWAY_CODES))
      if (meaning.outcome === 'paid') expect(code).toBe('10000');
  });
});

describe('WeChat Pay codes', () => {
  it.each(Object.keys(WECHAT_ERR_CODES))(
    '%s has a meaning and a category with guidance, and is never paid',
    (code) => {
      const meaning = classifyWechat(code);
      expect(meaning.outcome).not.toBe('paid');
      expect(CATEGORY_GUIDANCE[meaning.category!].doNext.en.length).toBeGreaterThan(0);
    },
  );

  it('reads the documented unknowns as unknown and the documented refusals as failed', () => {
    for (const code of ['SYSTEMERROR', 'BANKERROR', 'USERPAYING', 'ORDERPAID'])
      expect(classifyWechat(code).outcome).toBe('unknown');
    expect(classifyWechat('USERPAYING').category).toBe('customer_still_paying');
    for (const code of ['AUTHCODEEXPIRE', 'AUTH_CODE_ERROR', 'AUTH_CODE_INVALID'])
      expect(classifyWechat(code).category).toBe('wallet_code_invalid');
    expect(classifyWechat('NOTENOUGH').category).toBe('insufficient_funds');
    for (const code of [
      'NOTSUPORTCARD',
      'ORDERCLOSED',
      'ORDERREVERSED',
      'BUYER_MISMATCH',
      'PARAM_ERROR',
      'NOAUTH',
      'SIGNERROR',
    ])
      expect(classifyWechat(code).outcome).toBe('failed');
  });

  it.each([undefined, null, '', 'WHATEVER', '__proto__', 'constructor'])(
    'an unknown err_code (%s) is an unknown outcome',
    (code) => expect(classifyWechat(code)).toMatchObject({ outcome: 'unknown', category: 'unknown' }),
  );
});
