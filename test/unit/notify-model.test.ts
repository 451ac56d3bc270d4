/** The notifier's pure rules: messages in both languages, the retry schedule, the channel a message takes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  channelFor,
  composeMessage,
  MAX_TRIES,
  NOTIFICATION_KINDS,
  PUBLIC_URL,
  RETRY_DELAYS_MS,
} from '../../src/notify';

const facts = {
  storeName: '静安旗舰店',
  customerName: '李先生',
  slipNumber: 'SH01-X20261201-0003',
  dueFen: 12_345,
  dueDate: '2026-12-02',
  payToken: 'abcdefghij0123456789',
};

describe('messages to the customer', () => {
  for (const kind of NOTIFICATION_KINDS)
    it(`${kind}: names the slip in both languages, Chinese first`, () => {
      const m = composeMessage(kind, facts);
      expect(m.subject).toContain(facts.slipNumber);
      expect(m.body.indexOf('您好')).toBeGreaterThanOrEqual(0);
      expect(m.body.indexOf('您好')).toBeLessThan(m.body.indexOf('Dear'));
    });

  it('the issued slip and the reminder carry the amount due and the pay-later link, whose address is filled in at sending', () => {
    for (const kind of ['slip_issued', 'payment_reminder'] as const) {
      const m = composeMessage(kind, facts);
      expect(m.body).toContain(`${PUBLIC_URL}/pay/${facts.payToken}`);
      expect(m.body).toContain('123.45');
    }
    expect(composeMessage('slip_issued', facts).body).toContain(facts.dueDate);
  });
});

describe('the retry schedule', () => {
  it('waits 30 s, 2 min, 10 min, 1 h, 6 h, then gives up after the sixth try', () => {
    const now = 1_000_000;
    expect([1, 2, 3, 4, 5].map((t) => afterFailure(t, now, false))).toEqual(
      RETRY_DELAYS_MS.map((d) => ({ next: 'retry', at: now + d })),
    );
    expect(afterFailure(MAX_TRIES, now, false)).toEqual({ next: 'give_up' });
  });

  it('a permanent failure gives up at once, whatever the count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        (tries) => afterFailure(tries, 0, true).next === 'give_up',
      ),
    );
  });

  it('never waits less after more failures, and never retries past the last try', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 2 ** 40 }), (tries, now) => {
        const a = afterFailure(tries, now, false);
        const b = afterFailure(tries + 1, now, false);
        if (tries >= MAX_TRIES) return a.next === 'give_up';
        if (a.next !== 'retry') return false;
        return b.next === 'give_up' || (b.next === 'retry' && b.at >= a.at && a.at > now);
      }),
    );
  });
});

describe('which channel carries a message', () => {
  it('e-mail only to an address and only when e-mail is set up; else the case timeline', () => {
    expect(channelFor('li@example.com', new Set(['timeline', 'smtp']))).toBe('smtp');
    expect(channelFor('li@example.com', new Set(['timeline']))).toBe('timeline');
    expect(channelFor('', new Set(['timeline', 'smtp']))).toBe('timeline');
  });
});
