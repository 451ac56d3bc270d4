/**
 * Walks every API route with every kind of caller — no session, each role at a till and in the
 * back office — and compares each answer with the declared matrix (src/access/matrix.ts): a
 * denied call gets 401 (no session) or 403 (signed in), an allowed one gets past the gate (any
 * other status). Also: the matrix names no route that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_RULES, type RouteRule } from '../../src/access/matrix';
import { atLeast, type Role } from '../../src/staff/model';
import { DIALECTS } from '../support/databases';
import { type ApiClient, apiClient, startTestStore, type TestStore } from '../support/store-server';

interface Identity {
  label: string;
  caller: { role: Role; surface: 'till' | 'backoffice'; storeId: string | null } | null;
  api: ApiClient;
}

/** The matrix's meaning, stated independently of the code that enforces it. */
function expectedFor(rule: RouteRule, identity: Identity): 'allowed' | 401 | 403 {
  if (rule.access === 'public') return 'allowed';
  const c = identity.caller;
  if (!c) return 401;
  if (!rule.surfaces.includes(c.surface)) return 403;
  if (!atLeast(c.role, rule.minRole)) return 403;
  if (rule.scope === 'chain' && c.storeId !== null) return 403;
  return 'allowed';
}

describe.each(DIALECTS)('the permission matrix on %s', (dialect) => {
  let store: TestStore;
  const identities: Identity[] = [];
  let saleId = '';

  beforeAll(async () => {
    store = await startTestStore(dialect);
    // A third till, so three roles can be signed in at tills of one store at once.
    await store.ctx.db.kysely
      .insertInto('tills')
      .values({
        id: 'till_sh01_3',
        store_id: 'store_sh01',
        code: 'T3',
        name: 'Till 3',
        created_at: '2026-11-23T00:00:00Z',
      })
      .execute();
    const manager = apiClient(store.url);
    await manager.signInToBackOffice('SH01-M1');
    // A cashier with a password (to try the back office), and a staff member for the staff routes.
    expect(
      (await manager.put('/api/staff/staff_sh01_cashier2/password', { secret: 'cashier-two-pass' })).status,
    ).toBe(200);
    expect(
      (await manager.post('/api/stores/store_sh01/staff', { code: 'SH01-X1', name: 'Temp', role: 'cashier' }))
        .status,
    ).toBe(201);

    const till = async (code: string, tillId: string, role: Role) => {
      const api = apiClient(store.url);
      await api.signInAtTill(code, tillId);
      identities.push({
        label: `${role} at a till`,
        caller: { role, surface: 'till', storeId: 'store_sh01' },
        api,
      });
      return api;
    };
    const office = async (code: string, role: Role, storeId: string | null, password?: string) => {
      const api = apiClient(store.url);
      if (password) {
        const answer = await api.post('/api/session/password', { staffCode: code, password });
        expect(answer.status).toBe(200);
      } else await api.signInToBackOffice(code);
      identities.push({
        label: `${role} in the back office`,
        caller: { role, surface: 'backoffice', storeId },
        api,
      });
    };
    identities.push({ label: 'no session', caller: null, api: apiClient(store.url) });
    const cashier = await till('SH01-C1', 'till_sh01_1', 'cashier');
    await till('SH01-S1', 'till_sh01_2', 'supervisor');
    await till('SH01-M1', 'till_sh01_3', 'manager');
    await office('SH01-C2', 'cashier', 'store_sh01', 'cashier-two-pass');
    await office('SH01-S1', 'supervisor', 'store_sh01');
    await office('SH01-M1', 'manager', 'store_sh01');
    await office('HQ-A1', 'admin', null);
    saleId = (await cashier.post<{ id: string }>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' }))
      .body.id;
  });
  afterAll(async () => store?.stop());

  const PARAMS: Record<string, () => string> = {
    storeId: () => 'store_sh01',
    saleId: () => saleId,
    lineId: () => 'line_none',
    variantId: () => 'var_none',
    barcode: () => '0000000000000',
    staffId: () => 'staff_sh01_x1_unknown',
    approvalId: () => 'apr_none',
    attemptId: () => 'att_none',
    tillId: () => 'till_sh01_1',
    tender: () => 'card',
    slipNumber: () => 'SH01-X20261201-0000',
    caseId: () => 'case_none',
    complaintId: () => 'cmp_none',
    provider: () => 'card',
    closeId: () => 'zday_none',
    returnId: () => 'ret_none',
    token: () => 'NOSUCHTOKEN0000000000',
  };
  const urlOf = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => PARAMS[name]!());
  // Signing out ends the caller's session: walked last.
  const routes = Object.entries(ROUTE_RULES).sort(([a], [b]) =>
    a === 'POST /api/session/sign-out' ? 1 : b === 'POST /api/session/sign-out' ? -1 : 0,
  );

  it('declares only routes that exist', () => {
    for (const [key] of routes) {
      const [method, url] = key.split(' ') as [string, string];
      expect(store.app.hasRoute({ method: method as 'GET', url }), key).toBe(true);
    }
  });

  it('answers every route, for every caller, as the matrix says', async () => {
    const differences: string[] = [];
    for (const [key, rule] of routes) {
      const [method, path] = key.split(' ') as [string, string];
      for (const identity of identities) {
        const answer = await identity.api.raw(method, urlOf(path), method === 'GET' ? undefined : {});
        const expected = expectedFor(rule, identity);
        const got = answer.status;
        const code = (answer.body as { code?: string } | null)?.code;
        const ok = expected === 'allowed' ? got !== 401 && got !== 403 && got < 500 : got === expected;
        if (!ok)
          differences.push(`${key} as ${identity.label}: expected ${expected}, got ${got} ${code ?? ''}`);
        // Without a session nothing that changes anything ever succeeds.
        if (!identity.caller && method !== 'GET' && rule.access !== 'public' && got < 300)
          differences.push(`${key} without a session answered ${got}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it('keeps store-bound staff out of another store’s data', async () => {
    // Fresh sessions: the walk above ended its callers' sessions by signing out last.
    const cashier = { api: apiClient(store.url) };
    await cashier.api.signInAtTill('SH01-C1', 'till_sh01_1');
    const manager = { api: apiClient(store.url) };
    await manager.api.signInToBackOffice('SH01-M1');
    const other = [
      ['GET', '/api/stores/store_hz01/variants?q=KN'],
      ['GET', '/api/stores/store_hz01/sales'],
      ['POST', '/api/stores/store_hz01/sales'],
    ] as const;
    for (const [method, url] of other) {
      const answer = await cashier.api.raw(
        method,
        url,
        method === 'GET' ? undefined : { tillId: 'till_hz01_1' },
      );
      expect([answer.status, (answer.body as { code: string }).code], url).toEqual([403, 'other_store']);
    }
    expect((await manager.api.get('/api/stores/store_hz01/staff')).body).toMatchObject({
      code: 'other_store',
    });
    expect((await manager.api.patch('/api/staff/staff_hq_admin', { name: 'x' })).body).toMatchObject({
      code: 'other_store',
    });
    expect((await manager.api.get('/api/audit?storeId=store_hz01')).status).toBe(403);
    expect((await manager.api.get('/api/stores/store_hz01/payment-reviews')).body).toMatchObject({
      code: 'other_store',
    });
  });
});
