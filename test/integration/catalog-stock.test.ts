import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_RULES } from '../../src/access/matrix';
import { CATALOG_COLUMNS, gs1CheckDigit } from '../../src/catalog';
import { transaction } from '../../src/db';
import { writeMovements } from '../../src/stock/store';
import { DIALECTS } from '../support/databases';
import { apiClient, startTestStore, type TestStore } from '../support/store-server';

const STORE = 'store_hz01';
const ean = (n: number) => {
  const body = `692000${String(n).padStart(6, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};
const line = (n: number, over: Record<string, string> = {}) => {
  const cells: Record<string, string> = {
    style_code: 'NEW-1',
    name_zh: '新款外套',
    name_en: 'New coat',
    brand: 'Test',
    category: '外套 Outerwear',
    season: 'AW26',
    sku: `NEW-1-${n}`,
    barcode: ean(n),
    size: ['S', 'M', 'L'][n % 3]!,
    colour_zh: '黑色',
    colour_en: 'Black',
    price: '599.00',
    stock: '5',
    ...over,
  };
  return [...CATALOG_COLUMNS, 'stock'].map((c) => cells[c]).join(',');
};
const csv = (...rows: string[]) => `${[...CATALOG_COLUMNS, 'stock'].join(',')}\n${rows.join('\n')}\n`;

describe.each(DIALECTS)('catalog import and the stock ledger on %s', (dialect) => {
  let store: TestStore;
  let api: ReturnType<typeof apiClient>;
  const importCsv = (body: string | Uint8Array, query = `storeId=${STORE}`, key?: string) =>
    api.post<Record<string, unknown>>(`/api/catalog/import?${query}`, body, {
      'content-type': 'text/csv',
      ...(key ? { 'idempotency-key': key } : {}),
    });

  beforeAll(async () => {
    store = await startTestStore(dialect);
    api = apiClient(store.url);
    await api.signInToBackOffice('HQ-A1');
  });
  afterAll(async () => store?.stop());

  it('seeded two stores, 200+ SKUs with Chinese and English names, and opening stock in both', async () => {
    const stores = (await api.get<{ stores: { id: string; tills: unknown[] }[] }>('/api/stores')).body.stores;
    expect(stores.map((s) => s.id).sort()).toEqual(['store_hz01', 'store_sh01']);
    expect(stores.every((s) => s.tills.length === 2)).toBe(true);
    const count = await store.ctx.db.kysely
      .selectFrom('variants')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBeGreaterThanOrEqual(200);
    const found = (
      await api.get<{ variants: { nameZh: string; nameEn: string; onHand: number }[] }>(
        `/api/stores/${STORE}/variants?q=sweater&limit=5`,
      )
    ).body.variants;
    expect(found[0]).toMatchObject({ nameZh: '羊毛圆领毛衣', nameEn: 'Wool crew-neck sweater' });
    expect(found[0]!.onHand).toBeGreaterThan(0);
  });

  it('imports a file, receives its stock, and a re-import changes nothing', async () => {
    const file = csv(line(1), line(2), line(3));
    const first = await importCsv(file);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      rows: 3,
      products: { created: 1 },
      variants: { created: 3 },
      stockReceived: 15,
    });
    const again = await importCsv(
      csv(line(1, { stock: '' }), line(2, { stock: '' }), line(3, { stock: '' })),
    );
    expect(again.body).toMatchObject({
      products: { created: 0, updated: 0 },
      variants: { created: 0, updated: 0, unchanged: 3 },
      stockReceived: 0,
    });
    const price = await importCsv(csv(line(1, { price: '499.00', stock: '' })));
    expect(price.body).toMatchObject({ variants: { updated: 1 } });
    const audit = await store.ctx.db.kysely
      .selectFrom('audit_events')
      .select('after_json')
      .where('action', '=', 'catalog.imported')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!).priceChanges).toEqual([
      { sku: 'NEW-1-1', before: 59900, after: 49900 },
    ]);
  });

  it('rejects a file with bad rows whole, listing line, field and reason', async () => {
    const before = await store.ctx.db.kysely
      .selectFrom('variants')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await importCsv(csv(line(10), line(11, { price: 'abc' }), line(12, { barcode: ean(1) })));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'csv_rows_invalid', errors: [{ line: 3, field: 'price' }] });
    const conflict = await importCsv(csv(line(10), line(12, { barcode: ean(1) })));
    expect(conflict.body).toMatchObject({
      code: 'csv_rows_invalid',
      errors: [{ line: 3, field: 'barcode', reason: 'already belongs to SKU NEW-1-1' }],
    });
    const after = await store.ctx.db.kysely
      .selectFrom('variants')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('rejects wrong columns and a wrong encoding, and reads GB18030 when told', async () => {
    const cols = await importCsv('sku,barcode\nA,B\n');
    expect(cols.body).toMatchObject({ code: 'csv_columns_invalid' });
    const gbk = iconv.encode(csv(line(20)), 'gb18030');
    expect((await importCsv(gbk)).body).toMatchObject({ code: 'csv_encoding_invalid' });
    const ok = await importCsv(gbk, `storeId=${STORE}&encoding=gb18030`);
    expect(ok.body).toMatchObject({ variants: { created: 1 } });
    const found = (
      await api.get<{ variants: { nameZh: string }[] }>(`/api/stores/${STORE}/variants?q=${ean(20)}`)
    ).body.variants;
    expect(found[0]!.nameZh).toBe('新款外套');
  });

  it('an import retried with its key is replayed, not applied twice', async () => {
    const file = csv(line(30));
    const a = await importCsv(file, `storeId=${STORE}`, 'import-30');
    const b = await importCsv(file, `storeId=${STORE}`, 'import-30');
    expect(b.body).toEqual(a.body);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    const onHand = (
      await api.get<{ variants: { onHand: number }[] }>(`/api/stores/${STORE}/variants?q=${ean(30)}`)
    ).body.variants[0]!.onHand;
    expect(onHand).toBe(5);
  });

  it('records receive, adjust and count movements, with audit events, and refuses bad ones', async () => {
    const variant = (
      await api.get<{ variants: { id: string; onHand: number }[] }>(
        `/api/stores/${STORE}/variants?q=${ean(2)}`,
      )
    ).body.variants[0]!;
    const post = (body: object) =>
      api.post<{ delta: number; onHandAfter: number; code?: string }>(
        `/api/stores/${STORE}/stock/movements`,
        { variantId: variant.id, ...body },
      );
    expect((await post({ kind: 'receive', qty: 10 })).body).toMatchObject({
      delta: 10,
      onHandAfter: variant.onHand + 10,
    });
    expect((await post({ kind: 'adjust', delta: -3, note: 'damaged' })).body).toMatchObject({ delta: -3 });
    expect((await post({ kind: 'count', counted: 4 })).body).toMatchObject({
      delta: 4 - (variant.onHand + 7),
      onHandAfter: 4,
    });
    expect((await post({ kind: 'count', counted: -1 })).status).toBe(422);
    expect((await post({ kind: 'receive', qty: 0 })).body).toMatchObject({ code: 'quantity_out_of_range' });
    expect((await post({ kind: 'teleport', qty: 1 })).status).toBe(400);
    const ledger = (
      await api.get<{ movements: { kind: string }[] }>(`/api/stores/${STORE}/stock/${variant.id}/movements`)
    ).body.movements;
    expect(ledger.slice(0, 3).map((m) => m.kind)).toEqual(['count', 'adjust', 'receive']);
    const actions = await store.ctx.db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', variant.id)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['stock.receive', 'stock.adjust', 'stock.count']);
  });

  it('concurrent counts of one item land on one of the counted figures, never on a mix', async () => {
    const variant = (
      await api.get<{ variants: { id: string }[] }>(`/api/stores/${STORE}/variants?q=6901230000010`)
    ).body.variants[0]!;
    for (let round = 0; round < 5; round++) {
      const counted = [4, 7, 11, 2];
      await Promise.all(
        counted.map((n) =>
          api.post(`/api/stores/${STORE}/stock/movements`, {
            variantId: variant.id,
            kind: 'count',
            counted: n,
          }),
        ),
      );
      const onHand = (
        await api.get<{ variants: { onHand: number }[] }>(`/api/stores/${STORE}/variants?q=6901230000010`)
      ).body.variants[0]!.onHand;
      expect(counted).toContain(onHand);
    }
    expect((await api.get('/api/stock/check')).body).toMatchObject({ ok: true });
  });

  it('the ledger check agrees, then names the drift when a figure is edited behind its back', async () => {
    expect((await api.get('/api/stock/check')).body).toMatchObject({ ok: true, drift: [] });
    const level = await store.ctx.db.kysely
      .selectFrom('stock_levels')
      .select(['store_id', 'variant_id', 'on_hand'])
      .where('store_id', '=', STORE)
      .limit(1)
      .executeTakeFirstOrThrow();
    await sql`update stock_levels set on_hand = on_hand + 1 where store_id = ${level.store_id} and variant_id = ${level.variant_id}`.execute(
      store.ctx.db.kysely,
    );
    const check = (
      await api.get<{ ok: boolean; drift: { variantId: string; ledgerSum: number; onHand: number }[] }>(
        '/api/stock/check',
      )
    ).body;
    expect(check.ok).toBe(false);
    expect(check.drift).toEqual([
      expect.objectContaining({
        variantId: level.variant_id,
        ledgerSum: level.on_hand,
        onHand: level.on_hand + 1,
      }),
    ]);
    await sql`update stock_levels set on_hand = on_hand - 1 where store_id = ${level.store_id} and variant_id = ${level.variant_id}`.execute(
      store.ctx.db.kysely,
    );
  });

  it('reserving and releasing goods move the reserved figure only; the check agrees; more released than reserved is refused whole', async () => {
    const ctx = store.ctx;
    const level = await ctx.db.kysely
      .selectFrom('stock_levels')
      .select(['store_id', 'variant_id', 'on_hand', 'reserved'])
      .where('store_id', '=', STORE)
      .limit(1)
      .executeTakeFirstOrThrow();
    const move = (kind: 'reserve' | 'release', delta: number) => ({
      storeId: level.store_id,
      variantId: level.variant_id,
      kind,
      delta,
      refType: 'test',
      refId: 'hold_1',
      actorId: 'staff_hz01_manager',
    });
    await transaction(ctx.db, 'full', (tx) =>
      writeMovements(tx, { ...ctx, db: { ...ctx.db, kysely: tx } }, [move('reserve', 2)], {
        action: 'stock.reserved',
        entityType: 'test',
        entityId: 'hold_1',
      }),
    );
    const read = () =>
      ctx.db.kysely
        .selectFrom('stock_levels')
        .select(['on_hand', 'reserved'])
        .where('store_id', '=', level.store_id)
        .where('variant_id', '=', level.variant_id)
        .executeTakeFirstOrThrow();
    expect(await read()).toEqual({ on_hand: level.on_hand, reserved: Number(level.reserved) + 2 });
    expect((await api.get('/api/stock/check')).body).toMatchObject({ ok: true, drift: [] });
    // Giving back more than was set aside is a bug: the whole transaction is refused.
    await expect(
      transaction(ctx.db, 'full', (tx) =>
        writeMovements(
          tx,
          { ...ctx, db: { ...ctx.db, kysely: tx } },
          [move('release', -1), move('release', -5)],
          null,
        ),
      ),
    ).rejects.toThrow(/invariant: reserved stock/);
    await expect(
      transaction(ctx.db, 'full', (tx) =>
        writeMovements(tx, { ...ctx, db: { ...ctx.db, kysely: tx } }, [move('reserve', -1)], null),
      ),
    ).rejects.toThrow(/goes the wrong way/);
    expect(await read()).toEqual({ on_hand: level.on_hand, reserved: Number(level.reserved) + 2 });
    await transaction(ctx.db, 'full', (tx) =>
      writeMovements(tx, { ...ctx, db: { ...ctx.db, kysely: tx } }, [move('release', -2)], null),
    );
    expect(await read()).toEqual({ on_hand: level.on_hand, reserved: Number(level.reserved) });
    expect((await api.get('/api/stock/check')).body).toMatchObject({ ok: true, drift: [] });
    // A reserved figure edited behind the ledger's back is drift.
    await sql`update stock_levels set reserved = reserved + 3 where store_id = ${level.store_id} and variant_id = ${level.variant_id}`.execute(
      ctx.db.kysely,
    );
    const check = (
      await api.get<{ ok: boolean; drift: { variantId: string; reserved: number }[] }>('/api/stock/check')
    ).body;
    expect(check.ok).toBe(false);
    expect(check.drift).toEqual([
      expect.objectContaining({ variantId: level.variant_id, reserved: Number(level.reserved) + 3 }),
    ]);
    await sql`update stock_levels set reserved = reserved - 3 where store_id = ${level.store_id} and variant_id = ${level.variant_id}`.execute(
      ctx.db.kysely,
    );
  });

  it('serves its OpenAPI document and health', async () => {
    const doc = (
      await api.get<{ openapi: string; paths: Record<string, Record<string, unknown>> }>('/api/openapi.json')
    ).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/stores/{storeId}/sales',
      '/api/sales/{saleId}/lines',
      '/api/sales/{saleId}/payments/cash',
      '/api/catalog/import',
      '/api/sales/{saleId}/receipt.escpos',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    // Every route the gate knows is described (the exception desk, feedback and complaints too).
    const undocumented = Object.keys(ROUTE_RULES)
      .map((key) => key.split(' ') as [string, string])
      .filter(([, url]) => url !== '/api/openapi.json')
      .filter(([method, url]) => !doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()])
      .map(([method, url]) => `${method} ${url}`);
    expect(undocumented).toEqual([]);
    expect(JSON.stringify(doc.paths['/api/sales/{saleId}/payments/cash'])).toContain('idempotency-key');
    // Who may call each route is documented from the matrix the gate enforces.
    const pay = doc.paths['/api/sales/{saleId}/payments/cash']!.post as {
      description: string;
      security: unknown[];
    };
    expect(pay.description).toContain('Who: cashier and above, signed in at the till');
    expect(pay.security).toEqual([{ session: [], csrf: [] }]);
    const signIn = doc.paths['/api/session/pin']!.post as { description: string; security: unknown[] };
    expect(signIn.security).toEqual([]);
    expect(signIn.description).toContain('Public');
    for (const path of [
      '/api/session/password',
      '/api/approvals',
      '/api/audit',
      '/api/stores/{storeId}/staff',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
    expect((await api.get('/api/health')).body).toMatchObject({ status: 'ok', database: dialect });
  });
});
