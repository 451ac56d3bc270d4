/**
 * The access rules without I/O: when a session counts, what the matrix decides for every kind of
 * caller, when an approval grant may be spent, when a discount needs one, who may manage whom.
 */
import fc from 'fast-check';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { readCookie, registerGuard } from '../../src/access/guard';
import {
  type Caller,
  decide,
  ROUTE_RULES,
  type RouteRule,
  type Scope,
  type Surface,
} from '../../src/access/matrix';
import { SESSION_LIMITS, sessionVerdict, TOUCH_EVERY_MS } from '../../src/access/session-policy';
import { displayStatus, grantProblem } from '../../src/approvals/model';
import type { Ctx } from '../../src/context';
import { discountNeedsApproval, discountShareBp } from '../../src/sales/model';
import { canManage, ROLES, type Role, roleRank } from '../../src/staff/model';

const SURFACES: Surface[] = ['till', 'backoffice'];
const T0 = Date.parse('2026-11-23T02:00:00Z');

describe('when a session counts', () => {
  const fresh = (surface: Surface) => ({
    surface,
    createdAt: T0,
    lastSeenAt: T0,
    endedAt: null,
    staffActive: true,
  });

  it.each(SURFACES)('a %s session lasts until its idle limit, and no longer', (surface) => {
    const { idleMs } = SESSION_LIMITS[surface];
    expect(sessionVerdict(fresh(surface), T0 + idleMs - 1)).toMatchObject({ ok: true });
    expect(sessionVerdict(fresh(surface), T0 + idleMs)).toEqual({ ok: false, code: 'session_expired' });
  });

  it.each(SURFACES)('a busy %s session still ends at its absolute limit', (surface) => {
    const { absoluteMs } = SESSION_LIMITS[surface];
    const busy = { ...fresh(surface), lastSeenAt: T0 + absoluteMs - 1000 };
    expect(sessionVerdict(busy, T0 + absoluteMs - 1)).toMatchObject({ ok: true });
    expect(sessionVerdict(busy, T0 + absoluteMs)).toEqual({ ok: false, code: 'session_expired' });
  });

  it('an ended session stays ended, and a removed person’s session is revoked even if young', () => {
    expect(sessionVerdict({ ...fresh('till'), endedAt: T0 }, T0 + 1)).toEqual({
      ok: false,
      code: 'session_ended',
    });
    expect(sessionVerdict({ ...fresh('till'), staffActive: false }, T0 + 1)).toEqual({
      ok: false,
      code: 'session_revoked',
    });
  });

  it('records activity at most once a minute', () => {
    expect(sessionVerdict(fresh('till'), T0 + TOUCH_EVERY_MS - 1)).toEqual({ ok: true, touch: false });
    expect(sessionVerdict(fresh('till'), T0 + TOUCH_EVERY_MS)).toEqual({ ok: true, touch: true });
  });

  it('never lets a session count past either limit (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SURFACES),
        fc.nat(20 * 3_600_000),
        fc.nat(20 * 3_600_000),
        (surface, seenAfter, nowAfter) => {
          const s = { ...fresh(surface), lastSeenAt: T0 + seenAfter };
          const now = T0 + seenAfter + nowAfter;
          const verdict = sessionVerdict(s, now);
          const { absoluteMs, idleMs } = SESSION_LIMITS[surface];
          expect(verdict.ok).toBe(now < T0 + absoluteMs && now < s.lastSeenAt + idleMs);
        },
      ),
    );
  });
});

describe('the matrix decides', () => {
  const callers: (Caller | null)[] = [null];
  for (const role of ROLES)
    for (const surface of SURFACES)
      for (const storeId of ['store_a', null]) callers.push({ role, surface, storeId });
  const scopes: Scope[] = ['store', 'sale', 'staff', 'approval', 'attempt', 'chain', 'none'];
  const surfaceSets: Surface[][] = [['till'], ['backoffice'], ['till', 'backoffice']];
  const touched: (string | null | undefined)[] = ['store_a', 'store_b', null, undefined];

  it('every combination of rule, caller and touched store as stated (exhaustive)', () => {
    let cases = 0;
    for (const minRole of ROLES)
      for (const surfaces of surfaceSets)
        for (const scope of scopes) {
          const rule: RouteRule = { access: 'staff', minRole, surfaces, scope };
          for (const caller of callers)
            for (const storeId of touched) {
              cases++;
              const d = decide(rule, caller, storeId);
              let expected: string;
              if (!caller) expected = 'unauthenticated';
              else if (!surfaces.includes(caller.surface)) expected = 'wrong_surface';
              else if (roleRank(caller.role) < roleRank(minRole)) expected = 'forbidden';
              else if (scope === 'chain') expected = caller.storeId === null ? 'allow' : 'forbidden';
              else if (scope === 'none' || caller.storeId === null || storeId === undefined)
                expected = 'allow';
              else expected = storeId === caller.storeId ? 'allow' : 'other_store';
              expect(d.allow ? 'allow' : d.code, JSON.stringify({ rule, caller, storeId })).toBe(expected);
            }
        }
    expect(cases).toBe(4 * 3 * scopes.length * callers.length * touched.length);
  });

  it('a public route is open to anyone, and no route that changes anything is public except signing in, a terminal’s notices (which only make us ask it), a customer paying their own slip by its secret, and a customer rating their own visit', () => {
    for (const caller of callers)
      expect(decide({ access: 'public', why: 'x' }, caller, 'store_b')).toEqual({ allow: true });
    const publicChanges = Object.entries(ROUTE_RULES)
      .filter(([key, rule]) => rule.access === 'public' && !key.startsWith('GET '))
      .map(([key]) => key);
    expect(publicChanges.sort()).toEqual([
      'POST /api/feedback/receipt/:saleId',
      'POST /api/feedback/slip/:token',
      'POST /api/pay/:token',
      'POST /api/session/password',
      'POST /api/session/pin',
      'POST /api/tills/:tillId/notifications/:tender',
    ]);
  });

  it('refuses to start with a route that has no rule (deny by default)', async () => {
    const app = Fastify();
    registerGuard(app, {} as Ctx);
    expect(() => app.post('/api/not-in-the-matrix', async () => ({}))).toThrow(/has no rule/);
    expect(() => app.post('/not-api', async () => ({}))).toThrow(/outside \/api/);
    await app.close();
  });
});

describe('reading the session cookie', () => {
  it.each([
    [undefined, null],
    ['other=1', null],
    ['tillsafe_session=abcdefghijklmnopqrstuvwxyz0123456789-_AB', 'abcdefghijklmnopqrstuvwxyz0123456789-_AB'],
    ['a=1; tillsafe_session=abcdefghijklmnopqrstuvwxyz0123; b=2', 'abcdefghijklmnopqrstuvwxyz0123'],
    ["tillsafe_session=' OR 1=1 --", ''],
    ['tillsafe_session=short', ''],
  ])('%s → %s', (header, expected) => {
    expect(readCookie(header, 'tillsafe_session')).toBe(expected);
  });
});

describe('spending an approval grant', () => {
  const grant = {
    status: 'granted' as const,
    action: 'void_after_payment' as const,
    storeId: 'store_a',
    saleId: 'sale_1',
    requestedBy: 'staff_c',
    expiresAt: T0 + 300_000,
  };
  const use = {
    action: 'void_after_payment' as const,
    storeId: 'store_a',
    saleId: 'sale_1',
    requesterId: 'staff_c',
  };

  it('is allowed once: for that action, that sale, that cashier, in time', () => {
    expect(grantProblem(grant, use, T0)).toBeNull();
    expect(grantProblem({ ...grant, status: 'used' }, use, T0)).toBe('not_granted');
    expect(grantProblem({ ...grant, status: 'pending' }, use, T0)).toBe('not_granted');
    expect(grantProblem({ ...grant, status: 'denied' }, use, T0)).toBe('not_granted');
    expect(grantProblem(grant, use, grant.expiresAt)).toBe('expired');
    expect(grantProblem(grant, { ...use, action: 'refund' }, T0)).toBe('other_action');
    expect(grantProblem(grant, { ...use, saleId: 'sale_2' }, T0)).toBe('other_sale');
    expect(grantProblem(grant, { ...use, storeId: 'store_b' }, T0)).toBe('other_sale');
    expect(grantProblem(grant, { ...use, requesterId: 'staff_d' }, T0)).toBe('other_requester');
  });

  it('shows waiting and granted requests past their time as expired', () => {
    expect(displayStatus('pending', T0, T0)).toBe('expired');
    expect(displayStatus('granted', T0 + 1, T0)).toBe('granted');
    expect(displayStatus('used', T0, T0 + 1)).toBe('used');
  });
});

describe('the discount limit', () => {
  it('asks for approval only when a change lifts the discount above the limit', () => {
    expect(
      discountNeedsApproval(
        { subtotalFen: 10000, discountFen: 0 },
        { subtotalFen: 10000, discountFen: 2000 },
        2000,
      ),
    ).toBe(false);
    expect(
      discountNeedsApproval(
        { subtotalFen: 10000, discountFen: 0 },
        { subtotalFen: 10000, discountFen: 2001 },
        2000,
      ),
    ).toBe(true);
    // An approved 30 % stays approved when another item is added at 30 %.
    expect(
      discountNeedsApproval(
        { subtotalFen: 10000, discountFen: 3000 },
        { subtotalFen: 20000, discountFen: 6000 },
        2000,
      ),
    ).toBe(false);
    // Removing a full-price item raises the share: that needs approval again.
    expect(
      discountNeedsApproval(
        { subtotalFen: 20000, discountFen: 3000 },
        { subtotalFen: 10000, discountFen: 3000 },
        2000,
      ),
    ).toBe(true);
    expect(discountShareBp(0, 0)).toBe(0);
  });

  it('never asks when the result is within the limit (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(1e9),
        fc.nat(1e9),
        fc.nat(1e9),
        fc.nat(1e9),
        fc.nat(10_000),
        (sb, db, sa, da, limit) => {
          const after = { subtotalFen: sa, discountFen: Math.min(da, sa) };
          const needs = discountNeedsApproval(
            { subtotalFen: sb, discountFen: Math.min(db, sb) },
            after,
            limit,
          );
          if (discountShareBp(after.subtotalFen, after.discountFen) <= limit) expect(needs).toBe(false);
        },
      ),
    );
  });
});

describe('who manages whom', () => {
  it.each(ROLES.flatMap((a) => ROLES.map((b) => [a, b] as [Role, Role])))('%s → %s', (actor, target) => {
    expect(canManage(actor, target)).toBe(actor === 'admin' || roleRank(target) < roleRank(actor));
  });
});
