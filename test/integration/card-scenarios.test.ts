/**
 * The card rows of docs/scenarios.md as acceptance tests: each scenario script is loaded into the till's
 * sandbox terminal through its control API, a checkout runs through the real server, and what
 * must be true afterwards is checked — against the terminal's own ledger of money moved.
 * (Scenario 12's double click and reload, and 13, the crash, have their own tests; here 12 is the
 * terminal's side of it: answers repeated and out of order.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptView } from '../../src/payments/attempt-view';
import type { SaleView } from '../../src/sales';
import type { CardTerminalEmulator } from '../../src/sandbox/card-terminal';
import { CARD_SCENARIOS, type CardScenarioName } from '../../src/sandbox/scenarios';
import { type ApiClient, apiClient, startTestStore, type TestStore } from '../support/store-server';

describe('the card scenarios of docs/scenarios.md', () => {
  let store: TestStore;
  let api: ApiClient;
  let terminal: CardTerminalEmulator;
  let barcode = '';

  beforeAll(async () => {
    store = await startTestStore('sqlite');
    api = apiClient(store.url);
    await api.signInAtTill('SH01-C1', 'till_sh01_1');
    terminal = store.payments.sandboxTerminals.get('till_sh01_1')!;
    barcode = (await api.get<{ variants: { barcode: string }[] }>('/api/stores/store_sh01/variants?q=KN-301'))
      .body.variants[0]!.barcode;
  });
  afterAll(async () => store?.stop());

  /** Loads a scenario the way a drill or a tester does: through the terminal's control API. */
  const play = async (name: CardScenarioName) => {
    const res = await fetch(`${terminal.url}/control/scenario`, {
      method: 'POST',
      body: JSON.stringify({ name }),
    });
    expect(res.status).toBe(200);
  };
  const later = async (ms: number) => {
    store.clock.advance(ms);
    await store.payments.scheduler.tick();
    await store.payments.scheduler.idle();
  };
  const newSale = async () => {
    const sale = (await api.post<SaleView>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' })).body;
    return (await api.post<SaleView>(`/api/sales/${sale.id}/lines`, { barcode })).body;
  };
  const card = async (sale: SaleView) => {
    const started = await api.post<AttemptView>(`/api/sales/${sale.id}/payments/card`, {
      amountFen: sale.totalFen - sale.paidFen,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await store.payments.scheduler.idle();
    return (await api.get<AttemptView>(`/api/attempts/${started.body.id}`)).body;
  };
  const attempt = async (id: string) => (await api.get<AttemptView>(`/api/attempts/${id}`)).body;
  const saleNow = async (id: string) => (await api.get<SaleView>(`/api/sales/${id}`)).body;
  const moved = (attempts: AttemptView[]) =>
    attempts.reduce((sum, a) => sum + terminal.moneyMoved(a.merchantOrderNo), 0);

  it('lists every scenario through the control API', async () => {
    const listed = (await (await fetch(`${terminal.url}/control/scenarios`)).json()) as {
      scenarios: Record<string, unknown>;
    };
    expect(Object.keys(listed.scenarios)).toEqual(Object.keys(CARD_SCENARIOS));
    expect(
      (await fetch(`${terminal.url}/control/scenario`, { method: 'POST', body: '{"name":"nope"}' })).status,
    ).toBe(404);
  });

  it('1 · insufficient funds: plain words, no retry of that card, cash completes; one failed, nothing moved', async () => {
    const sale = await newSale();
    await play('insufficient-funds');
    const a = await card(sale);
    expect(a).toMatchObject({ status: 'failed', category: 'insufficient_funds', mayTryCardAgain: false });
    expect(
      (await api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen })).body
        .status,
    ).toBe('completed');
    expect(moved([a])).toBe(0);
  });

  it('2 · card unreadable: one more try is allowed and reads it; one paid, one failed', async () => {
    const sale = await newSale();
    await play('card-unreadable');
    const first = await card(sale);
    expect(first).toMatchObject({ status: 'failed', category: 'card_unreadable', mayTryCardAgain: true });
    const second = await card(sale);
    expect(second.status).toBe('succeeded');
    expect((await saleNow(sale.id)).status).toBe('completed');
    expect(moved([first, second])).toBe(sale.totalFen);
  });

  it('3 · wrong PIN: a second try is allowed, never a third', async () => {
    const sale = await newSale();
    await play('wrong-pin');
    const first = await card(sale);
    expect(first).toMatchObject({ status: 'failed', category: 'wrong_pin', mayTryCardAgain: true });
    const second = await card(sale);
    expect(second).toMatchObject({ status: 'failed', category: 'wrong_pin', mayTryCardAgain: false });
    // The words follow the verdict: "once more" only while a try is left.
    expect(first.guidance?.doNext).toContain('once more');
    expect(second.guidance?.doNext).toContain('No more PIN tries');
    expect(second.guidance?.doNext).not.toContain('once more');
    const zh = (await api.get<AttemptView>(`/api/attempts/${second.id}`, { 'accept-language': 'zh-CN' }))
      .body;
    expect(zh.guidance?.doNext).toContain('不能再输入密码');
    expect(zh.guidance?.doNext).not.toContain('再输入一次');
    expect(moved([first, second])).toBe(0);
  });

  it('4 · terminal offline: found out before anything is sent, the terminal saw nothing', async () => {
    const sale = await newSale();
    const before = terminal.ledger().length;
    await play('terminal-offline');
    const a = await card(sale);
    expect(a.history.map((h) => h.event)).toEqual(['created', 'not_sent']);
    expect(terminal.ledger().length).toBe(before);
  });

  it('5 · lost after the money moved: checking, no second charge meanwhile, then paid; one charge', async () => {
    const sale = await newSale();
    await play('lost-after-money');
    const a = await card(sale);
    expect(a.status).toBe('unknown');
    expect(
      (await api.post(`/api/sales/${sale.id}/payments/card`, { amountFen: sale.totalFen })).body,
    ).toMatchObject({ code: 'payment_in_progress' });
    await later(1_000);
    expect((await attempt(a.id)).status).toBe('succeeded');
    expect((await saleNow(sale.id)).status).toBe('completed');
    expect(moved([a])).toBe(sale.totalFen);
  });

  it('5 · lost after the money moved, the answer sent later: asked at once, paid, one charge', async () => {
    const sale = await newSale();
    await play('answer-later');
    const a = await card(sale);
    expect(a.history.find((h) => h.from === 'in_flight')).toMatchObject({ event: 'lost', to: 'unknown' });
    await terminal.notificationsDelivered();
    await store.payments.scheduler.idle();
    // No time passed on the store's clock: the notice made us ask before the schedule would have.
    expect((await attempt(a.id)).status).toBe('succeeded');
    expect((await saleNow(sale.id)).status).toBe('completed');
    expect(moved([a])).toBe(sale.totalFen);
  });

  for (const name of ['duplicate-answers', 'out-of-order'] as const)
    it(`12 · ${CARD_SCENARIOS[name].title}: one attempt, one payment, one charge`, async () => {
      const sale = await newSale();
      await play(name);
      const a = await card(sale);
      expect(a.status).toBe('succeeded');
      await terminal.notificationsDelivered();
      await store.payments.scheduler.idle();
      const after = await attempt(a.id);
      expect(after.status).toBe('succeeded');
      expect(after.history.filter((h) => h.event === 'hint').length).toBeGreaterThanOrEqual(2);
      const done = await saleNow(sale.id);
      expect(done.status).toBe('completed');
      expect(done.payments).toHaveLength(1);
      expect(
        (await api.get<{ attempts: AttemptView[] }>(`/api/sales/${sale.id}/attempts`)).body.attempts,
      ).toHaveLength(1);
      expect(moved([a])).toBe(sale.totalFen);
    });

  it('6 · lost before the money moved: not found, closed; a new try under a new number pays', async () => {
    const sale = await newSale();
    await play('lost-before-money');
    const a = await card(sale);
    await later(1_000);
    expect((await attempt(a.id)).status).toBe('failed');
    const b = await card(sale);
    expect(b.status).toBe('succeeded');
    expect(b.merchantOrderNo).not.toBe(a.merchantOrderNo);
    expect(moved([a, b])).toBe(sale.totalFen);
  });

  it('8 · issuer unavailable (98): unknown, then found reversed by the host; nothing kept', async () => {
    const sale = await newSale();
    await play('issuer-timeout');
    const a = await card(sale);
    expect(a).toMatchObject({ status: 'unknown', code: '98' });
    await later(1_000);
    expect((await attempt(a.id)).status).toBe('failed');
    expect((await saleNow(sale.id)).status).toBe('open');
    expect(moved([a])).toBe(0);
  });

  it('8 · no final answer by the deadline: reversed, nothing kept, the sale open for another tender', async () => {
    const sale = await newSale();
    await play('never-final');
    const a = await card(sale);
    await later(91_000);
    await later(0);
    expect((await attempt(a.id)).status).toBe('reversed');
    expect(moved([a])).toBe(0);
    expect((await saleNow(sale.id)).status).toBe('open');
  });
});
