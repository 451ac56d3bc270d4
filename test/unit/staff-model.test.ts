import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/kernel';
import {
  atLeast,
  checkApproval,
  DEFAULT_THROTTLE,
  delayAfter,
  FRESH_THROTTLE,
  GUARDED_ACTIONS,
  type GuardedAction,
  gateAttempt,
  hashSecret,
  needsRehash,
  passwordProblem,
  pinProblem,
  ROLES,
  recordFailure,
  recordSuccess,
  type StaffMember,
  type ThrottleState,
  verifySecret,
} from '../../src/staff';

const ACTIONS = Object.keys(GUARDED_ACTIONS) as GuardedAction[];

describe('approvals', () => {
  it('every action × approver role × scope × state gives the declared verdict (exhaustive)', () => {
    const requester = { id: 'u_cashier' };
    for (const action of ACTIONS)
      for (const role of ROLES)
        for (const storeId of ['s1', 's2', null])
          for (const active of [true, false])
            for (const self of [true, false]) {
              const approver: StaffMember = { id: self ? requester.id : 'u_other', role, storeId, active };
              const verdict = checkApproval(action, requester, approver, 's1');
              const expected = self
                ? 'approval_self'
                : !active
                  ? 'approval_inactive'
                  : storeId === 's2'
                    ? 'approval_other_store'
                    : !atLeast(role, GUARDED_ACTIONS[action])
                      ? 'approval_role_too_low'
                      : null;
              expect(verdict.ok ? null : verdict.code).toBe(expected);
            }
  });

  it('a cashier approves nothing, and a void after payment needs a manager', () => {
    for (const action of ACTIONS)
      expect(
        checkApproval(action, { id: 'a' }, { id: 'b', role: 'cashier', storeId: 's1', active: true }, 's1')
          .ok,
      ).toBe(false);
    const supervisor: StaffMember = { id: 'b', role: 'supervisor', storeId: 's1', active: true };
    expect(checkApproval('void_after_payment', { id: 'a' }, supervisor, 's1')).toEqual({
      ok: false,
      code: 'approval_role_too_low',
    });
    expect(checkApproval('refund', { id: 'a' }, supervisor, 's1')).toEqual({ ok: true });
  });
});

describe('sign-in throttle', () => {
  const policy = DEFAULT_THROTTLE;

  it('the delay never shrinks as failures grow, and never exceeds its cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), (n) => {
        expect(delayAfter(n + 1)).toBeGreaterThanOrEqual(delayAfter(n));
        expect(delayAfter(n)).toBeLessThanOrEqual(policy.maxDelayMs);
      }),
    );
    expect([0, 1, 2, 3].map((n) => delayAfter(n))).toEqual([0, 0, 0, 0]);
    expect(delayAfter(4)).toBe(policy.baseDelayMs);
  });

  it('a guesser who tries whenever allowed is locked, and gets at most ~1,000 guesses a day', () => {
    let state: ThrottleState = FRESH_THROTTLE;
    let now = 0;
    let attempts = 0;
    let locks = 0;
    while (now < 24 * 3600_000) {
      const gate = gateAttempt(state, now);
      if (!gate.allowed) {
        now = gate.retryAt;
        continue;
      }
      attempts++;
      const next = recordFailure(state, now);
      if (next.lockedNow) locks++;
      state = next;
    }
    expect(locks).toBeGreaterThan(80);
    expect(attempts).toBeLessThanOrEqual(1000);
    // A 4-digit PIN has 10,000 values: a day of guessing finds it with a chance under 10 %.
    expect(attempts / 10_000).toBeLessThan(0.1);
  });

  it('any sequence of attempts: locked means refused until the lock ends, and success forgets all', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 20 * 60_000 }), right: fc.boolean() }), {
          maxLength: 60,
        }),
        (attempts) => {
          let state: ThrottleState = FRESH_THROTTLE;
          let now = 0;
          for (const { gap, right } of attempts) {
            now += gap;
            const gate = gateAttempt(state, now);
            if (state.lockedUntil !== null && now < state.lockedUntil) expect(gate.allowed).toBe(false);
            if (!gate.allowed) {
              expect(gate.retryAt).toBeGreaterThan(now);
              continue;
            }
            state = right ? recordSuccess() : recordFailure(state, now);
            if (right) expect(gateAttempt(state, now)).toEqual({ allowed: true });
            expect(state.failures).toBeLessThanOrEqual(policy.lockAfter);
          }
        },
      ),
    );
  });

  it('failures older than the window are forgotten', () => {
    let state: ThrottleState = FRESH_THROTTLE;
    for (let i = 0; i < 5; i++) state = recordFailure(state, i * 60_000);
    expect(gateAttempt(state, 4 * 60_000 + 500).allowed).toBe(false); // 5 failures: 2 s delay
    const later = 4 * 60_000 + policy.windowMs;
    expect(gateAttempt(state, later)).toEqual({ allowed: true });
    expect(recordFailure(state, later).failures).toBe(1);
  });
});

describe('secrets', () => {
  it('PINs: 4–6 digits, not one digit repeated, not a straight run', () => {
    expect(['2580', '135790', '8901', '1357'].map(pinProblem)).toEqual([null, null, null, null]);
    expect(['123', '1234567', '12a4', ' 1234', '１２３４'].map(pinProblem)).toEqual(
      Array(5).fill('pin_format'),
    );
    expect(['0000', '1234', '9876', '456789'].map(pinProblem)).toEqual(Array(4).fill('pin_too_simple'));
  });

  it('passwords: at least 10 characters, not only digits', () => {
    expect(passwordProblem('short')).toBe('password_too_short');
    expect(passwordProblem('1234567890')).toBe('password_too_simple');
    expect(passwordProblem('收银台的密码很长很长')).toBe(null);
  });

  const cheap = { N: 2 ** 10, r: 8, p: 1 };

  it('a hash verifies its secret only, and the same secret hashes differently each time', async () => {
    const random = seededRandom(42);
    const stored = await hashSecret('2580', random, cheap);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain('2580');
    expect(await verifySecret('2580', stored)).toBe(true);
    expect(await verifySecret('2581', stored)).toBe(false);
    expect(await hashSecret('2580', random, cheap)).not.toBe(stored);
  });

  it('Unicode passwords verify whichever way the keyboard composed them (NFC)', async () => {
    const stored = await hashSecret('Caf\u00e9-Shanghai-1', seededRandom(1), cheap);
    expect(await verifySecret('Cafe\u0301-Shanghai-1', stored)).toBe(true);
  });

  it('a tampered or foreign hash is a wrong secret, never a crash', async () => {
    const stored = await hashSecret('2580', seededRandom(3), cheap);
    const parts = stored.split('$');
    const tampered = [
      '',
      'plain-text-pin',
      stored.replace('scrypt$', 'bcrypt$'),
      [...parts.slice(0, 5), Buffer.alloc(32).toString('base64')].join('$'),
      [parts[0], 2 ** 30, ...parts.slice(2)].join('$'), // a cost that would exhaust memory
      [parts[0], 1000, ...parts.slice(2)].join('$'), // not a power of two
      parts.slice(0, 5).join('$'),
    ];
    for (const bad of tampered) expect(await verifySecret('2580', bad)).toBe(false);
  });

  it('hashes below today’s cost are marked for rehash at the next sign-in', async () => {
    const old = await hashSecret('2580', seededRandom(5), cheap);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(old, cheap)).toBe(false);
    expect(needsRehash('garbage')).toBe(true);
  });
});
