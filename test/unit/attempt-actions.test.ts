/**
 * What the till may offer about an attempt is the server's verdict (attempt-actions.ts): held here
 * for every state, tender, failure and whether the sale still waits, against what each action means.
 */
import { describe, expect, it } from 'vitest';
import { ATTEMPT_ACTIONS, attemptActions, saysNoSecondCharge } from '../../src/payments/attempt-actions';
import { AT_THE_PROVIDER } from '../../src/payments/attempt-model';
import { FAILURE_CATEGORIES, guidanceFor } from '../../src/payments/failure-taxonomy';
import { ATTEMPT_STATUSES, TENDERS } from '../../src/shared';

const every = ATTEMPT_STATUSES.flatMap((status) =>
  TENDERS.filter((t) => t !== 'cash').flatMap((tender) =>
    [null, ...FAILURE_CATEGORIES].flatMap((category) =>
      [true, false].map((saleWaits) => ({
        status,
        tender,
        category,
        alternatives: category ? guidanceFor(category, tender).alternatives : (['cash'] as const),
        saleWaits,
      })),
    ),
  ),
);

describe('what the till may offer about an attempt', () => {
  it('names each action at most once, in the declared order', () => {
    for (const f of every) {
      const actions = attemptActions(f);
      expect(new Set(actions).size).toBe(actions.length);
      const order = actions.map((a) => ATTEMPT_ACTIONS.indexOf(a));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('offers no other tender while the provider may still take the money, except a release the manager approves', () => {
    for (const f of every.filter((f) => AT_THE_PROVIDER.has(f.status)))
      expect(attemptActions(f).filter((a) => a.startsWith('pay_') || a === 'rescan')).toEqual([]);
    for (const f of every)
      expect(attemptActions(f).includes('release')).toBe(f.status === 'unknown' && f.saleWaits);
  });

  it('dismisses only a paid attempt, and offers nothing else for it', () => {
    for (const f of every.filter((f) => f.status === 'succeeded'))
      expect(attemptActions(f)).toEqual(['dismiss']);
    for (const f of every.filter((f) => f.status !== 'succeeded'))
      expect(attemptActions(f)).not.toContain('dismiss');
  });

  it('cancels a charge in flight, and a wallet payment still unknown (cancelled at the wallet)', () => {
    for (const f of every)
      expect(attemptActions(f).includes('cancel')).toBe(
        f.status === 'in_flight' || (f.tender !== 'card' && f.status === 'unknown'),
      );
  });

  it('after a reversal (nothing charged) offers the same tender again, and cash', () => {
    for (const f of every.filter((f) => f.status === 'reversed')) {
      const actions = attemptActions(f);
      expect(actions).toContain(f.tender === 'card' ? 'pay_card' : 'pay_wallet');
      if (f.alternatives.includes('cash')) expect(actions).toContain('pay_cash');
    }
  });

  it('offers a fresh wallet code only after an invalid one, and a slip whenever the checkout may not finish', () => {
    for (const f of every) {
      const actions = attemptActions(f);
      expect(actions.includes('rescan')).toBe(
        f.tender !== 'card' &&
          f.category === 'wallet_code_invalid' &&
          !AT_THE_PROVIDER.has(f.status) &&
          f.status !== 'succeeded',
      );
      expect(actions.includes('slip')).toBe(!['succeeded', 'created', 'in_flight'].includes(f.status));
    }
  });

  it('a declined card: cash and the card alternatives its guidance names', () => {
    expect(
      attemptActions({
        status: 'failed',
        tender: 'card',
        category: 'insufficient_funds',
        alternatives: guidanceFor('insufficient_funds', 'card').alternatives,
        saleWaits: false,
      }),
    ).toEqual(['pay_cash', 'pay_card', 'pay_wallet', 'slip']);
  });

  it('says "no second charge" while the bank is asked and the sale waits for it, not before it is sent or after a release', () => {
    const say = (status: (typeof ATTEMPT_STATUSES)[number], saleWaits: boolean) =>
      saysNoSecondCharge({ status, saleWaits });
    expect([say('in_flight', true), say('unknown', true), say('reversing', true)]).toEqual([
      true,
      true,
      true,
    ]);
    expect([
      say('created', true),
      say('unknown', false),
      say('failed', true),
      say('succeeded', true),
    ]).toEqual([false, false, false, false]);
  });
});
