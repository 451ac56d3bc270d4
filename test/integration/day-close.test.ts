/**
 * 日结 through the real server on both databases: a till's day — cash and card takings, a payment
 * still being checked, a slip open — previewed, refused until the manager acknowledges the
 * unknown payment, closed with the drawer counted by denomination (short by ¥1) and the terminal's
 * batch total; then it cannot be closed again or changed, and its Z report prints (ESC/POS, HTML).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DayCloseView } from '../../src/dayclose';
import { displayYuan } from '../../src/kernel';
import { decodeEscPos } from '../../src/receipts';
import { type CardTill, cardTill } from '../support/card-till';
import { DIALECTS } from '../support/databases';
import { type ApiClient, apiClient, type TestStore } from '../support/store-server';

describe.each(DIALECTS)('the day close on %s', (dialect) => {
  let bed: CardTill;
  let store: TestStore;
  let office: ApiClient;
  const today = () => new Date(store.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    bed = await cardTill(dialect);
    store = bed.store;
    office = apiClient(store.url);
    await office.signInToBackOffice('SH01-M1');
  });
  afterAll(async () => store?.stop());

  it('refused while a payment is still being checked, closed once acknowledged; over/short and the terminal batch on the report; never twice', async () => {
    const cash1 = await bed.saleWithItem();
    await bed.api.post(`/api/sales/${cash1.id}/payments/cash`, { tenderedFen: cash1.totalFen + 5_000 });
    const cash2 = await bed.saleWithItem();
    await bed.api.post(`/api/sales/${cash2.id}/payments/cash`, { tenderedFen: cash2.totalFen });
    const card = await bed.chargeCard(await bed.saleWithItem());
    expect(card.status).toBe('succeeded');
    const slipSale = await bed.saleWithItem();
    await bed.api.post(`/api/sales/${slipSale.id}/slip`, {
      reason: '明天来付',
      customerName: '郑',
      customerPhone: '13712345678',
      goods: 'held',
    });
    // Last: while the bank is checked this till opens no other sale.
    bed.terminal.script([{ kind: 'in_progress', queries: 50, outcome: 'approve' }]);
    const checking = await bed.chargeCard(await bed.saleWithItem());
    expect(checking.status).toBe('unknown');

    const preview = (
      await office.get<{
        tenders: { tender: string; salesCount: number; netFen: number }[];
        unknownAttempts: { id: string }[];
        openSlips: number;
        closed: null;
      }>(`/api/tills/till_sh01_1/day-close?day=${today()}`)
    ).body;
    expect(preview.tenders.map((t) => [t.tender, t.salesCount, t.netFen])).toEqual([
      ['cash', 2, cash1.totalFen + cash2.totalFen],
      ['card', 1, card.amountFen],
    ]);
    expect(preview.unknownAttempts.map((a) => a.id)).toEqual([checking.id]);
    expect(preview.openSlips).toBe(1);

    const expected = 50_000 + cash1.totalFen + cash2.totalFen;
    // Counted: ¥1 short, in notes and coins (the float is ¥500).
    const shortBy = expected - 100;
    const count: Record<string, number> = { '10000': Math.floor(shortBy / 10_000) };
    let rest = shortBy % 10_000;
    for (const d of [5_000, 2_000, 1_000, 500, 100, 50, 10]) {
      count[String(d)] = Math.floor(rest / d);
      rest %= d;
    }
    const body = {
      day: today(),
      floatFen: 50_000,
      count,
      terminalBatchFen: card.amountFen,
      acknowledged: [] as string[],
    };
    expect(await office.post(`/api/tills/till_sh01_1/day-close`, body)).toMatchObject({
      status: 409,
      body: { code: 'day_close_unknown_attempts', unacknowledged: [checking.id] },
    });
    const closed = await office.post<DayCloseView>(`/api/tills/till_sh01_1/day-close`, {
      ...body,
      acknowledged: [checking.id],
      note: '一笔刷卡仍在核实',
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(201);
    expect(closed.body.report).toMatchObject({
      cashExpectedFen: expected,
      cashCountedFen: shortBy,
      overShortFen: -100,
      cardRecordedFen: card.amountFen,
      batchDifferenceFen: 0,
      acknowledgedIds: [checking.id],
      openSlips: 1,
    });
    expect(
      await office.post(`/api/tills/till_sh01_1/day-close`, { ...body, acknowledged: [checking.id] }),
    ).toMatchObject({
      status: 409,
      body: { code: 'day_close_done' },
    });
    // The till sells nothing more that day: its report is final.
    const late = await bed.api.post('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' });
    expect(late).toMatchObject({ status: 409, body: { code: 'till_day_closed' } });
    const again = (
      await office.get<{ closed: DayCloseView }>(`/api/tills/till_sh01_1/day-close?day=${today()}`)
    ).body.closed;
    expect(again.report).toEqual(closed.body.report);

    const esc = await office.raw<string>(
      'GET',
      `/api/day-closes/${closed.body.id}/report.escpos?lang=zh-CN&width=58`,
    );
    expect(esc.status).toBe(200);
    const html = (await office.get<string>(`/api/day-closes/${closed.body.id}/report.html?lang=en`)).body;
    expect(html).toContain('DAY CLOSE (Z REPORT)');
    expect(html).toContain('Short');
    const store = (
      await office.get<{ tills: { tillId: string; closed: DayCloseView | null }[] }>(
        `/api/stores/store_sh01/day-closes?day=${today()}`,
      )
    ).body;
    expect(store.tills.map((t) => [t.tillId, t.closed !== null])).toEqual([
      ['till_sh01_1', true],
      ['till_sh01_2', false],
    ]);
    const audit = await bed.store.ctx.db.kysely
      .selectFrom('audit_events')
      .select(['action', 'entity_id', 'actor_id'])
      .where('action', '=', 'day.closed')
      .execute();
    expect(audit).toEqual([
      { action: 'day.closed', entity_id: closed.body.id, actor_id: 'staff_sh01_manager' },
    ]);
  });

  it('prints the Z report as ESC/POS bytes in GB18030 within the paper’s width', async () => {
    const closes = (
      await office.get<{ tills: { closed: DayCloseView | null }[] }>(
        `/api/stores/store_sh01/day-closes?day=${today()}`,
      )
    ).body;
    const id = closes.tills.find((t) => t.closed)!.closed!.id;
    const response = await fetch(`${store.url}/api/day-closes/${id}/report.escpos?lang=zh-CN&width=58`, {
      headers: office.authHeaders(),
    });
    const decoded = decodeEscPos(new Uint8Array(await response.arrayBuffer()));
    const text = decoded.lines.join('\n');
    expect(text).toContain('日结报表');
    expect(text).toContain('短款');
    expect(decoded.cuts).toBe(1);
  });

  it('bad counts and days change nothing: an unknown denomination, a negative count, a day not begun', async () => {
    const base = { day: today(), floatFen: 0, count: {}, acknowledged: [] };
    for (const bad of [
      { count: { '3000': 1 } },
      { count: { '100': -1 } },
      { floatFen: -1 },
      { day: '23/11/2026' },
    ])
      expect((await office.post('/api/tills/till_sh01_2/day-close', { ...base, ...bad })).status).toBe(400);
    expect(
      (await office.post('/api/tills/till_sh01_2/day-close', { ...base, day: '2099-01-01' })).status,
    ).toBe(400);
    expect((await office.post('/api/tills/till_nosuch/day-close', base)).status).toBe(404);
    expect(
      (await office.get<{ closed: null }>(`/api/tills/till_sh01_2/day-close?day=${today()}`)).body.closed,
    ).toBeNull();
  });

  it('the store’s Z report (全店日结): its closed tills added up, those not closed named; once all are closed it says so; none closed is refused', async () => {
    const report = (q: string) => office.get<string>(`/api/stores/store_sh01/day-closes/report.html?${q}`);
    expect((await report('day=2026-01-01&lang=en')).status).toBe(404);
    const first = (await report(`day=${today()}&lang=en`)).body;
    const tills = (
      await office.get<{ tills: { tillId: string; name: string; closed: DayCloseView | null }[] }>(
        `/api/stores/store_sh01/day-closes?day=${today()}`,
      )
    ).body.tills;
    const [one, two] = tills;
    expect(first).toContain(`Whole store (${tills.length} tills)`);
    expect(first).toContain(`Tills not closed yet: ${two!.name}`);
    expect(first).toContain(displayYuan(one!.closed!.report.floatFen));

    // The second till's day: no sales, a float of ¥200 counted back.
    const closed = await office.post<DayCloseView>('/api/tills/till_sh01_2/day-close', {
      day: today(),
      floatFen: 20_000,
      count: { '10000': 2 },
      acknowledged: [],
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(201);
    const all = (await report(`day=${today()}&lang=zh-CN`)).body;
    expect(all).toContain('全部收银台已日结');
    expect(all).toContain(displayYuan(one!.closed!.report.floatFen + 20_000));
    const response = await fetch(
      `${store.url}/api/stores/store_sh01/day-closes/report.escpos?day=${today()}&lang=zh-CN&width=58`,
      { headers: office.authHeaders() },
    );
    const decoded = decodeEscPos(new Uint8Array(await response.arrayBuffer()));
    expect(decoded.lines.join('\n')).toContain(`全店（${tills.length} 台收银台）`);
    expect(decoded.cuts).toBe(1);
  });
});
