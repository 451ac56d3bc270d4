import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../src/receipts';
import type { SaleView } from '../../src/sales';
import { DIALECTS } from '../support/databases';
import { apiClient, startTestStore, type TestStore } from '../support/store-server';

const STORE = 'store_sh01';
const TILL = 'till_sh01_1';

describe.each(DIALECTS)('selling for cash on %s', (dialect) => {
  let store: TestStore;
  let api: ReturnType<typeof apiClient>;
  let hq: ReturnType<typeof apiClient>;
  let barcodes: { barcode: string; priceFen: number; id: string; onHand: number }[];

  beforeAll(async () => {
    store = await startTestStore(dialect);
    api = apiClient(store.url);
    await api.signInAtTill('SH01-C1', TILL);
    // Head office checks the ledger across stores.
    hq = apiClient(store.url);
    await hq.signInToBackOffice('HQ-A1');
    const found = await api.get<{
      variants: { barcode: string; priceFen: number; id: string; onHand: number }[];
    }>(`/api/stores/${STORE}/variants?q=KN-301&limit=10`);
    barcodes = found.body.variants;
  });
  afterAll(async () => store?.stop());

  const open = async (key?: string) =>
    (
      await api.post<SaleView>(
        `/api/stores/${STORE}/sales`,
        { tillId: TILL },
        key ? { 'idempotency-key': key } : {},
      )
    ).body;
  const scan = (saleId: string, barcode: string, key?: string) =>
    api.post<SaleView>(`/api/sales/${saleId}/lines`, { barcode }, key ? { 'idempotency-key': key } : {});

  it('scans three items, pays cash with change, moves stock in the same transaction, and audits each step', async () => {
    const sale = await open();
    expect(sale.number).toMatch(/^SH01-\d{8}-\d{4}$/);
    const [a, b, c] = barcodes;
    await scan(sale.id, a!.barcode);
    await scan(sale.id, b!.barcode);
    const afterScan = (await scan(sale.id, a!.barcode)).body; // a repeat scan adds to the line
    await scan(sale.id, c!.barcode);
    const view = (await api.get<SaleView>(`/api/sales/${sale.id}`)).body;
    expect(view.lines.map((l) => l.qty)).toEqual([2, 1, 1]);
    expect(afterScan.lines).toHaveLength(2);
    const expected = 2 * a!.priceFen + b!.priceFen + c!.priceFen;
    expect(view.totalFen).toBe(expected);

    const tooLittle = await api.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: expected - 1 });
    expect(tooLittle.status).toBe(422);
    expect(tooLittle.body).toMatchObject({ code: 'tendered_insufficient', dueFen: expected });

    const paid = await api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: expected + 5000,
    });
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe('completed');
    expect(paid.body.changeFen).toBe(5000);
    expect(paid.body.paidFen).toBe(expected);
    expect(paid.body.payments).toMatchObject([
      { tender: 'cash', amountFen: expected, tenderedFen: expected + 5000, changeFen: 5000 },
    ]);
    expect(paid.body.lines[0]!.onHand).toBe(a!.onHand - 2);
    expect(paid.body.lines[1]!.onHand).toBe(b!.onHand - 1);

    const movements = await api.get<{ movements: { kind: string; delta: number; onHandAfter: number }[] }>(
      `/api/stores/${STORE}/stock/${a!.id}/movements`,
    );
    expect(movements.body.movements[0]).toMatchObject({
      kind: 'sale',
      delta: -2,
      onHandAfter: a!.onHand - 2,
    });

    const audit = await api.get<{ events: { action: string }[] }>(`/api/sales/${sale.id}/audit`);
    expect(audit.body.events.map((e) => e.action)).toEqual([
      'sale.opened',
      'sale.line_added',
      'sale.line_added',
      'sale.line_added',
      'sale.line_added',
      'payment.recorded',
      'sale.completed',
    ]);

    const check = await hq.get<{ ok: boolean; drift: unknown[] }>('/api/stock/check');
    expect(check.body).toMatchObject({ ok: true, drift: [] });
  });

  it('changes quantities, removes lines, and shares line and sale discounts down to the fen', async () => {
    const sale = await open();
    const [a, b] = barcodes;
    const s1 = (await scan(sale.id, a!.barcode)).body;
    const s2 = (await scan(sale.id, b!.barcode)).body;
    const lineA = s1.lines[0]!.id;
    const lineB = s2.lines[1]!.id;
    const q = await api.patch<SaleView>(`/api/sales/${sale.id}/lines/${lineA}`, { qty: 3 });
    expect(q.body.lines[0]!.qty).toBe(3);
    const d = await api.patch<SaleView>(`/api/sales/${sale.id}/lines/${lineA}`, {
      discount: { kind: 'percent', basisPoints: 1000 },
    });
    expect(d.body.lineDiscountFen).toBe(Math.floor((3 * a!.priceFen * 1000 + 5000) / 10000));
    const sd = await api.put<SaleView>(`/api/sales/${sale.id}/discount`, {
      discount: { kind: 'amount', fen: 333 },
    });
    expect(sd.body.saleDiscountFen).toBe(333);
    expect(sd.body.lines.reduce((x, l) => x + l.saleDiscountShareFen, 0)).toBe(333);
    expect(sd.body.lines.reduce((x, l) => x + l.totalFen, 0)).toBe(sd.body.totalFen);
    const removed = await api.delete<SaleView>(`/api/sales/${sale.id}/lines/${lineB}`);
    expect(removed.body.lines).toHaveLength(1);
    expect(removed.body.totalFen).toBe(3 * a!.priceFen - d.body.lineDiscountFen - 333);
    const tooBig = await api.put(`/api/sales/${sale.id}/discount`, {
      discount: { kind: 'amount', fen: 999_999_99 },
    });
    expect(tooBig.status).toBe(422);
    expect(tooBig.body).toMatchObject({ code: 'discount_exceeds_amount' });
    expect((await api.get<SaleView>(`/api/sales/${sale.id}`)).body.saleDiscountFen).toBe(333);
  });

  it('voids an open sale, after which it cannot be changed or paid, and stock is untouched', async () => {
    const sale = await open();
    await scan(sale.id, barcodes[3]!.barcode);
    const before = (await api.get<SaleView>(`/api/sales/${sale.id}`)).body.lines[0]!.onHand;
    const voided = await api.post<SaleView>(`/api/sales/${sale.id}/void`, { reason: 'customer left' });
    expect(voided.body).toMatchObject({ status: 'voided', voidReason: 'customer left' });
    expect(voided.body.lines[0]!.onHand).toBe(before);
    const pay = await api.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: 1_000_000 });
    expect(pay.status).toBe(409);
    expect(pay.body).toMatchObject({ code: 'sale_not_open' });
    expect((await scan(sale.id, barcodes[0]!.barcode)).status).toBe(409);
  });

  it('refuses a second completion of the same sale and leaves the first payment alone', async () => {
    const sale = await open();
    await scan(sale.id, barcodes[0]!.barcode);
    const first = await api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: barcodes[0]!.priceFen,
    });
    expect(first.status).toBe(200);
    const second = await api.post(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: barcodes[0]!.priceFen,
    });
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expect(second.body).toMatchObject({
      code: 'sale_not_open',
      status: 409,
      type: 'urn:tillsafe:problem:sale_not_open',
    });
    const view = (await api.get<SaleView>(`/api/sales/${sale.id}`)).body;
    expect(view.payments).toHaveLength(1);
  });

  it('cash may be the first part of a split: part now, the card or more cash for the rest; the sale completes once', async () => {
    const sale = await open();
    await scan(sale.id, barcodes[0]!.barcode);
    const withTwo = (await scan(sale.id, barcodes[1]!.barcode)).body;
    const part = Math.floor(withTwo.totalFen / 3);
    const first = await api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: part,
      amountFen: part,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ status: 'open', paidFen: part, dueFen: withTwo.totalFen - part });
    // What was paid stays paid: the goods cannot shrink below it.
    const rest = await api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: withTwo.totalFen - part,
    });
    expect(rest.body).toMatchObject({ status: 'completed', paidFen: withTwo.totalFen, dueFen: 0 });
    expect(rest.body.payments.map((p) => p.amountFen)).toEqual([part, withTwo.totalFen - part]);
  });

  it('change of ¥100 or more needs a supervisor: ¥10,000,000 tendered for one item is not taken as typed', async () => {
    const sale = await open();
    const one = (await scan(sale.id, barcodes[0]!.barcode)).body;
    const absurd = await api.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: 1_000_000_000 });
    expect(absurd.body).toMatchObject({
      status: 403,
      code: 'approval_required',
      action: 'large_change',
      minRole: 'supervisor',
    });
    expect((await api.get<SaleView>(`/api/sales/${sale.id}`)).body).toMatchObject({
      status: 'open',
      paidFen: 0,
    });
    // Just under a ¥100 note of change: taken as it is.
    const fine = await api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: one.totalFen + 9_999,
    });
    expect(fine.body).toMatchObject({ status: 'completed', changeFen: 9_999 });
  });

  describe('idempotency keys', () => {
    it('a retried payment returns the first answer and pays once', async () => {
      const sale = await open();
      await scan(sale.id, barcodes[0]!.barcode);
      const key = `pay-${sale.id}`;
      const body = { tenderedFen: barcodes[0]!.priceFen + 500 };
      const first = await api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, body, {
        'idempotency-key': key,
      });
      const again = await api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, body, {
        'idempotency-key': key,
      });
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      expect((await api.get<SaleView>(`/api/sales/${sale.id}`)).body.payments).toHaveLength(1);
    });

    it('a retried open or scan changes nothing the second time', async () => {
      const a = await open('open-key-1');
      const b = await open('open-key-1');
      expect(b.id).toBe(a.id);
      await scan(a.id, barcodes[0]!.barcode, 'scan-key-1');
      const again = await scan(a.id, barcodes[0]!.barcode, 'scan-key-1');
      expect(again.body.lines[0]!.qty).toBe(1);
    });

    it('a key is the caller’s own: another store’s cashier sending the same key gets an answer of their own', async () => {
      const key = 'shared-key-1';
      const mine = await api.post<SaleView>(
        '/api/stores/store_sh01/sales',
        { tillId: 'till_sh01_1' },
        {
          'idempotency-key': key,
        },
      );
      const other = apiClient(store.url);
      await other.signInAtTill('HZ01-C1', 'till_hz01_1');
      const theirs = await other.post<SaleView>(
        '/api/stores/store_hz01/sales',
        { tillId: 'till_hz01_1' },
        {
          'idempotency-key': key,
        },
      );
      expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect(theirs.body.storeId).toBe('store_hz01');
    });

    it('the same key with a different request is refused with 409', async () => {
      const sale = await open();
      await scan(sale.id, barcodes[0]!.barcode, 'scan-key-2');
      const other = await scan(sale.id, barcodes[1]!.barcode, 'scan-key-2');
      expect(other.status).toBe(409);
      expect(other.body).toMatchObject({ code: 'idempotency_key_reused' });
    });

    it('a refusal is the first answer too, and is replayed', async () => {
      const sale = await open();
      const first = await scan(sale.id, '0000000000000', 'scan-key-3');
      expect(first.status).toBe(404);
      const again = await scan(sale.id, '0000000000000', 'scan-key-3');
      expect(again.status).toBe(404);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
    });

    it('a validation failure stores nothing, so the corrected request may use the key', async () => {
      const sale = await open();
      const bad = await api.post(
        `/api/sales/${sale.id}/lines`,
        { barcode: '' },
        { 'idempotency-key': 'scan-key-4' },
      );
      expect(bad.status).toBe(400);
      const good = await scan(sale.id, barcodes[0]!.barcode, 'scan-key-4');
      expect(good.status).toBe(200);
    });

    it('concurrent requests with one key (a double click) make exactly one change', async () => {
      const sale = await open();
      await scan(sale.id, barcodes[0]!.barcode);
      const body = { tenderedFen: barcodes[0]!.priceFen };
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, body, {
            'idempotency-key': `dbl-${sale.id}`,
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(new Set(answers.map((a) => a.body.payments[0]!.id)).size).toBe(1);
      expect((await api.get<SaleView>(`/api/sales/${sale.id}`)).body.payments).toHaveLength(1);
    });

    it('refuses a malformed key', async () => {
      const res = await api.post(
        `/api/stores/${STORE}/sales`,
        { tillId: TILL },
        { 'idempotency-key': 'has space' },
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'idempotency_key_invalid' });
    });
  });

  describe('receipts', () => {
    it('serves HTML and ESC/POS for 58 and 80 mm, and records prints and reprints', async () => {
      const sale = await open();
      await scan(sale.id, barcodes[0]!.barcode);
      await api.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: barcodes[0]!.priceFen });
      const html = await api.get<string>(`/api/sales/${sale.id}/receipt.html?lang=zh-CN&width=58`);
      expect(html.status).toBe(200);
      expect(html.body).toContain('羊毛圆领毛衣');
      expect(html.body).toContain(sale.number);
      for (const width of [58, 80]) {
        const res = await fetch(
          `${store.url}/api/sales/${sale.id}/receipt.escpos?lang=zh-CN&width=${width}&copy=2`,
          { headers: api.authHeaders() },
        );
        const decoded = decodeEscPos(new Uint8Array(await res.arrayBuffer()));
        const text = decoded.lines.join('\n');
        expect(text).toContain('销售小票');
        expect(text).toContain('*** 重印 ***');
        expect(text).toContain(sale.number);
        expect(decoded.qrCodes[0]).toBe(`${store.url}/r/${sale.id}`);
      }
      const p1 = await api.post(`/api/sales/${sale.id}/receipt-prints`, { format: 'escpos', widthMm: 80 });
      const p2 = await api.post(`/api/sales/${sale.id}/receipt-prints`, { format: 'html', widthMm: 58 });
      expect([p1.body, p2.body]).toEqual([
        { printNo: 1, reprint: false },
        { printNo: 2, reprint: true },
      ]);
      const ereceipt = await api.get<string>(`/r/${sale.id}?lang=en`);
      expect(ereceipt.body).toContain('SALES RECEIPT');
    });

    it('an open sale has no receipt yet', async () => {
      const sale = await open();
      const res = await api.get(`/api/sales/${sale.id}/receipt.html`);
      expect(res.status).toBe(409);
    });
  });

  describe('bad input gets a clear problem and changes nothing', () => {
    it.each([
      ['zero quantity', { barcode: 'X', qty: 0 }],
      ['negative quantity', { barcode: 'X', qty: -1 }],
      ['huge quantity', { barcode: 'X', qty: 1e9 }],
    ])('%s', async (_name, body) => {
      const sale = await open();
      const res = await api.post(`/api/sales/${sale.id}/lines`, { ...body, barcode: barcodes[0]!.barcode });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'quantity_out_of_range' });
      expect((await api.get<SaleView>(`/api/sales/${sale.id}`)).body.lines).toEqual([]);
    });

    it('malformed JSON', async () => {
      const sale = await open();
      const res = await fetch(`${store.url}/api/sales/${sale.id}/lines`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...api.authHeaders() },
        body: '{"barcode": ',
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ code: 'malformed_json' });
    });

    it('an unknown barcode, in the cashier’s language', async () => {
      const sale = await open();
      const res = await fetch(`${store.url}/api/sales/${sale.id}/lines`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN', ...api.authHeaders() },
        body: JSON.stringify({ barcode: '1234567890128' }),
      });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({
        code: 'barcode_unknown',
        title: '条码未找到，请核对吊牌或按名称搜索。',
      });
    });

    it('prices and discounts that overflow', async () => {
      const sale = await open();
      await scan(sale.id, barcodes[0]!.barcode);
      const huge = await api.put(`/api/sales/${sale.id}/discount`, {
        discount: { kind: 'amount', fen: Number.MAX_SAFE_INTEGER },
      });
      expect(huge.status).toBe(400);
      expect(huge.body).toMatchObject({ code: 'validation_failed' });
      const tendered = await api.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: 1e15 });
      expect(tendered.status).toBe(422);
      expect(tendered.body).toMatchObject({ code: 'amount_out_of_range' });
      const fractional = await api.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: 10.5 });
      expect(fractional.status).toBe(400);
      expect((await api.get<SaleView>(`/api/sales/${sale.id}`)).body.status).toBe('open');
    });

    it('unknown sale, till, store and route', async () => {
      expect((await api.get('/api/sales/sale_nope')).body).toMatchObject({
        code: 'sale_unknown',
        status: 404,
      });
      expect((await api.post(`/api/stores/${STORE}/sales`, { tillId: 'till_hz01_1' })).body).toMatchObject({
        code: 'till_unknown',
      });
      // A cashier of one store cannot even probe another: refused before the store is looked up.
      expect((await api.post('/api/stores/store_nope/sales', { tillId: TILL })).body).toMatchObject({
        code: 'other_store',
      });
      expect((await api.get('/api/nothing-here')).body).toMatchObject({ code: 'not_found', status: 404 });
    });

    it('a body that is too large', async () => {
      const sale = await open();
      const res = await api.post(`/api/sales/${sale.id}/void`, { reason: 'x'.repeat(300_000) });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ code: 'payload_too_large' });
    });
  });
});
