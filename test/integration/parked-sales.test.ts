/**
 * 挂单 through the real server, on both databases: a sale parked at one till reserves its goods
 * (on hand unchanged, available less), cannot be changed or paid while parked, is taken up at
 * another till of the store and paid there; a sale not taken up in time gives its goods back and
 * ends; two tills taking up the same sale at once — exactly one wins. The stock check agrees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParkedSaleView, SaleView } from '../../src/sales';
import { expireParkedSales } from '../../src/sales';
import { checkLedger } from '../../src/stock';
import { DIALECTS } from '../support/databases';
import { type ApiClient, apiClient, startTestStore, type TestStore } from '../support/store-server';

describe.each(DIALECTS)('parked sales on %s', (dialect) => {
  let store: TestStore;
  let till1: ApiClient;
  let till2: ApiClient;
  let barcode = '';
  let variantId = '';

  beforeAll(async () => {
    store = await startTestStore(dialect);
    till1 = apiClient(store.url);
    await till1.signInAtTill('SH01-C1', 'till_sh01_1');
    till2 = apiClient(store.url);
    await till2.signInAtTill('SH01-C2', 'till_sh01_2');
    const found = await till1.get<{ variants: { id: string; barcode: string }[] }>(
      '/api/stores/store_sh01/variants?q=KN-301',
    );
    barcode = found.body.variants[0]!.barcode;
    variantId = found.body.variants[0]!.id;
  });
  afterAll(async () => store?.stop());

  const saleWithItems = async (qty = 2) => {
    const sale = (await till1.post<SaleView>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' })).body;
    return (await till1.post<SaleView>(`/api/sales/${sale.id}/lines`, { barcode, qty })).body;
  };
  const level = () =>
    store.ctx.db.kysely
      .selectFrom('stock_levels')
      .select(['on_hand', 'reserved'])
      .where('store_id', '=', 'store_sh01')
      .where('variant_id', '=', variantId)
      .executeTakeFirstOrThrow();
  const parked = async () =>
    (await till1.get<{ parked: ParkedSaleView[] }>('/api/stores/store_sh01/parked-sales')).body.parked;

  it('parks a sale: its goods are reserved, not sold; it cannot be changed or paid until taken up; another till takes it up and is paid', async () => {
    const before = await level();
    const sale = await saleWithItems(2);
    const key = { 'idempotency-key': `park-${sale.id}` };
    const park = await till1.post<SaleView>(`/api/sales/${sale.id}/park`, { note: '顾客去取钱' }, key);
    expect(park.status, JSON.stringify(park.body)).toBe(200);
    expect(park.body.status).toBe('parked');
    expect(
      (await till1.post<SaleView>(`/api/sales/${sale.id}/park`, { note: '顾客去取钱' }, key)).headers.get(
        'idempotent-replayed',
      ),
    ).toBe('true');
    expect(await level()).toEqual({ on_hand: before.on_hand, reserved: Number(before.reserved) + 2 });

    const listed = (await parked()).find((p) => p.saleId === sale.id)!;
    expect(listed).toMatchObject({
      number: sale.number,
      totalFen: sale.totalFen,
      note: '顾客去取钱',
      parkedTillId: 'till_sh01_1',
    });
    expect(listed.parkedBy.name).toBe('王芳');
    expect(Date.parse(listed.expiresAt) - Date.parse(listed.parkedAt)).toBeLessThanOrEqual(4 * 3_600_000);

    for (const [path, body] of [
      [`/api/sales/${sale.id}/lines`, { barcode }],
      [`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen }],
      [`/api/sales/${sale.id}/payments/card`, { amountFen: sale.totalFen }],
      [`/api/sales/${sale.id}/void`, { reason: 'x' }],
    ] as const)
      expect((await till1.post(path, body)).body, path).toMatchObject({ code: 'sale_parked' });

    const resumed = await till2.post<SaleView>(`/api/sales/${sale.id}/resume`, {});
    expect(resumed.body).toMatchObject({ status: 'open', tillId: 'till_sh01_2' });
    expect(await level()).toEqual({ on_hand: before.on_hand, reserved: Number(before.reserved) });
    expect((await parked()).some((p) => p.saleId === sale.id)).toBe(false);
    const paid = await till2.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: sale.totalFen,
    });
    expect(paid.body.status).toBe('completed');
    expect(await level()).toEqual({ on_hand: before.on_hand - 2, reserved: Number(before.reserved) });
    const events = (
      await till1.get<{ events: { action: string }[] }>(`/api/sales/${sale.id}/audit`)
    ).body.events.map((e) => e.action);
    expect(events).toEqual(expect.arrayContaining(['sale.parked', 'sale.resumed', 'sale.completed']));
    expect((await till1.get('/api/stock/check')).status).toBe(403); // a cashier may not run the check…
    expect(
      await store.ctx.db.kysely
        .selectFrom('stock_levels')
        .select('reserved')
        .where('reserved', '<', 0)
        .execute(),
    ).toEqual([]);
  });

  it('a sale not taken up in time gives its goods back and ends; it cannot be taken up afterwards', async () => {
    const before = await level();
    const sale = await saleWithItems(1);
    await till1.post(`/api/sales/${sale.id}/park`, {});
    expect((await level()).reserved).toBe(Number(before.reserved) + 1);
    store.clock.advance(5 * 3_600_000);
    // Hours later the tills' sessions have lapsed too: the cashiers sign in again.
    await till1.signInAtTill('SH01-C1', 'till_sh01_1');
    await till2.signInAtTill('SH01-C2', 'till_sh01_2');
    expect(await expireParkedSales(store.ctx)).toEqual([sale.id]);
    expect(await expireParkedSales(store.ctx)).toEqual([]); // once
    const ended = (await till1.get<SaleView>(`/api/sales/${sale.id}`)).body;
    expect(ended).toMatchObject({ status: 'voided', voidReason: 'parked sale not taken up in time' });
    expect(await level()).toEqual({ on_hand: before.on_hand, reserved: Number(before.reserved) });
    expect((await till2.post(`/api/sales/${sale.id}/resume`, {})).body).toMatchObject({
      code: 'sale_not_open',
    });
  });

  it('refuses to park an empty sale or one with money taken, and to take up a sale of another store', async () => {
    const empty = (await till1.post<SaleView>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' }))
      .body;
    expect((await till1.post(`/api/sales/${empty.id}/park`, {})).body).toMatchObject({ code: 'sale_empty' });
    const part = await saleWithItems(1);
    const paid = await till1.post<{ status: string }>(`/api/sales/${part.id}/payments/card`, {
      amountFen: 100,
    });
    expect(paid.status).toBe(202);
    await store.payments.scheduler.idle();
    expect((await till1.post(`/api/sales/${part.id}/park`, {})).body).toMatchObject({
      code: 'sale_partly_paid',
    });
    const sale = await saleWithItems(1);
    await till1.post(`/api/sales/${sale.id}/park`, {});
    const hangzhou = apiClient(store.url);
    await hangzhou.signInAtTill('HZ01-C1', 'till_hz01_1');
    expect((await hangzhou.post(`/api/sales/${sale.id}/resume`, {})).body).toMatchObject({
      code: 'other_store',
    });
    await till1.post(`/api/sales/${sale.id}/resume`, {});
  });

  it('two tills taking up the same parked sale at once: exactly one wins, the other is told', async () => {
    const before = await level();
    const sale = await saleWithItems(1);
    await till1.post(`/api/sales/${sale.id}/park`, {});
    const answers = await Promise.all([
      till1.post<{ status?: string; code?: string }>(`/api/sales/${sale.id}/resume`, {}),
      till2.post<{ status?: string; code?: string }>(`/api/sales/${sale.id}/resume`, {}),
    ]);
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    expect(answers.find((a) => a.status !== 200)?.body).toMatchObject({ code: 'sale_not_open' });
    // Parked once, taken up once: the reservation is back exactly where it was, nothing sold.
    expect(await level()).toEqual({ on_hand: before.on_hand, reserved: Number(before.reserved) });
    expect((await checkLedger(store.ctx.db.kysely)).drift).toEqual([]);
    // Taken up, it can be parked again (by whoever has it now) and taken up once more.
    const holder = won[0] === answers[0] ? till1 : till2;
    expect((await holder.post<SaleView>(`/api/sales/${sale.id}/park`, { note: 'again' })).body.status).toBe(
      'parked',
    );
    expect((await parked()).find((p) => p.saleId === sale.id)?.note).toBe('again');
    expect((await holder.post<SaleView>(`/api/sales/${sale.id}/resume`, {})).body.status).toBe('open');
    expect((await checkLedger(store.ctx.db.kysely)).drift).toEqual([]);
  });
});
