/**
 * The failure taxonomy and the card codes: every code of docs/providers.md, restated here, means what
 * the document says; every category speaks both languages; retries stay within their policy.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CATEGORY_GUIDANCE,
  FAILURE_CATEGORIES,
  guidanceFor,
  guidanceText,
  maySameCardRetry,
  WRONG_PIN_LIMIT,
} from '../../src/payments/failure-taxonomy';
import { CARD_CODES, classifyCardCode, mayTryCardAgain } from '../../src/payments/providers/card-codes';

// docs/providers.md, "Card terminal": approved, unknown, and everything else a definitive decline.
const APPROVED = ['00', '10', '11'];
const UNKNOWN = ['68', '91', '96', '98', '94'];
const DECLINED = [
  '01',
  '03',
  '04',
  '05',
  '12',
  '13',
  '14',
  '30',
  '41',
  '43',
  '51',
  '54',
  '55',
  '57',
  '58',
  '61',
  '65',
  '75',
  '99',
  'A0',
];
const RETAIN = ['04', '41', '43'];

describe('card response codes', () => {
  it('lists exactly the codes docs/providers.md names', () => {
    expect(Object.keys(CARD_CODES).sort()).toEqual([...APPROVED, ...UNKNOWN, ...DECLINED].sort());
  });

  it.each(APPROVED)('%s is paid', (code) =>
    expect(classifyCardCode(code)).toMatchObject({ outcome: 'paid', category: null }),
  );
  it.each(UNKNOWN)('%s is an unknown outcome, to be queried, never a decline', (code) =>
    expect(classifyCardCode(code).outcome).toBe('unknown'),
  );
  it.each(DECLINED)('%s is a definitive decline with a category', (code) => {
    const meaning = classifyCardCode(code);
    expect(meaning.outcome).toBe('failed');
    expect(FAILURE_CATEGORIES).toContain(meaning.category);
  });

  it('names the cases the cashier must treat specially', () => {
    expect(classifyCardCode('51').category).toBe('insufficient_funds');
    expect(classifyCardCode('55').category).toBe('wrong_pin');
    expect(classifyCardCode('98')).toMatchObject({ reversalNeeded: true });
    expect(classifyCardCode('94')).toMatchObject({ queryFirst: true });
    for (const code of RETAIN) expect(classifyCardCode(code).retainCard).toBe(true);
  });

  it.each([null, undefined, '', '7Z', '0', '000', '__proto__', 'constructor', ' 51x'])(
    'an unknown or malformed code (%s) is an unknown outcome',
    (code) => {
      expect(classifyCardCode(code)).toMatchObject({ outcome: 'unknown', category: 'unknown' });
    },
  );

  it('reads codes as the terminal may send them (case, spaces)', () => {
    expect(classifyCardCode(' a0 ').meaning).toContain('MAC');
    expect(classifyCardCode('00 ').outcome).toBe('paid');
  });

  it('never reads anything but 00, 10 or 11 as paid (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 4 }), (code) => {
        if (classifyCardCode(code).outcome === 'paid') expect(APPROVED).toContain(code.trim().toUpperCase());
      }),
    );
  });
});

describe('retrying the same card', () => {
  it('never after a retained card, a decline by the bank or insufficient funds', () => {
    for (const code of [...RETAIN, '05', '51', '54', '75'])
      expect(mayTryCardAgain(classifyCardCode(code), 0, true)).toBe(false);
  });

  it(`allows ${WRONG_PIN_LIMIT} PIN tries in all, so the customer's card is never locked by us`, () => {
    const wrongPin = classifyCardCode('55');
    expect(mayTryCardAgain(wrongPin, 0, true)).toBe(true);
    expect(mayTryCardAgain(wrongPin, WRONG_PIN_LIMIT - 1, true)).toBe(false);
  });

  it('allows one more read of an unreadable card, and a terminal fault only once it has signed in again', () => {
    expect(mayTryCardAgain(classifyCardCode('14'), 0, true)).toBe(true);
    expect(mayTryCardAgain(classifyCardCode('14'), 1, true)).toBe(false);
    expect(mayTryCardAgain(classifyCardCode('A0'), 0, false)).toBe(false);
    expect(mayTryCardAgain(classifyCardCode('A0'), 0, true)).toBe(true);
  });

  it('never for a paid or unknown answer: those are not declines', () => {
    expect(mayTryCardAgain(classifyCardCode('00'), 0, true)).toBe(false);
    expect(mayTryCardAgain(classifyCardCode('98'), 0, true)).toBe(false);
  });

  it('a policy never allows more tries as failures grow (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('never', 'once', 'pin_limit', 'after_sign_in' as const),
        fc.nat(10),
        fc.boolean(),
        (policy, n, signedIn) => {
          if (!maySameCardRetry(policy, n, signedIn))
            expect(maySameCardRetry(policy, n + 1, signedIn)).toBe(false);
        },
      ),
    );
  });
});

describe('guidance for the cashier', () => {
  it.each(FAILURE_CATEGORIES)(
    '%s: what to tell the customer and what to do, in both languages, with alternatives',
    (category) => {
      const g = CATEGORY_GUIDANCE[category];
      for (const text of [g.tellCustomer, g.doNext]) {
        expect(guidanceText(text, 'en')).toMatch(/^[A-Z].*[.!]$/s);
        expect(guidanceText(text, 'zh-CN')).toMatch(/[\u4e00-\u9fff]/);
        expect(text.en).not.toBe(text.zh);
      }
      expect(g.alternatives.length).toBeGreaterThan(0);
    },
  );
});

describe('guidance at a wallet', () => {
  it('never speaks of a card or the bank at a wallet where the words differ; the card keeps its own', () => {
    for (const category of FAILURE_CATEGORIES)
      for (const wallet of ['alipay', 'wechat'] as const) {
        const g = guidanceFor(category, wallet);
        expect(g.alternatives).toEqual(CATEGORY_GUIDANCE[category].alternatives);
        if (CATEGORY_GUIDANCE[category].wallet) {
          expect(g.tellCustomer.en).not.toMatch(/\bcard\b/i);
          expect(g.tellCustomer.zh).not.toContain('此卡');
          expect(g.tellCustomer.zh.length).toBeGreaterThan(0);
          expect(g.doNext.en.length).toBeGreaterThan(0);
        }
      }
    expect(guidanceFor('insufficient_funds', 'card').tellCustomer.en).toContain('card');
    expect(guidanceFor('insufficient_funds', 'wechat').tellCustomer.zh).toContain('钱包');
  });
});
