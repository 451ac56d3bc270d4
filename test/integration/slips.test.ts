/**
 * 小单 through the real server, on both databases: a sale that cannot be finished goes on account
 * with a provisional slip and a follow-up case due the next morning; stock follows the goods
 * (taken: out now; held: reserved); the slip is paid later at another till (or by an attempt that
 * was still being checked) and settles itself, exactly once; a manager cancels (restock) or writes
 * off (goods taken); bad input changes nothing. The stock check agrees after each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView, QueueItem, SlipView } from '../../src/exceptions';
import type { AttemptView } from '../../src/payments/attempt-view';
import { decodeEscPos } from '../../src/receipts';
import type { SaleView } from '../../src/sales';
import { checkLedger } from '../../src/stock';
import { type CardTill, cardTill } from '../support/card-till';
import { DIALECTS } from '../support/databases';
import { type ApiClient, apiClient, type TestStore } from '../support/store-server';

describe.each(DIALECTS)('provisional slips on %s', (dialect) => {
  let bed: CardTill;
  let store: TestStore;
  let till: ApiClient;
  let other: ApiClient;
  let office: ApiClient;
  let variantId = '';

  beforeAll(async () => {
    bed = await cardTill(dialect);
    ({ store, api: till } = bed);
    other = apiClient(store.url);
    await other.signInAtTill('SH01-C2', 'till_sh01_2');
    office = apiClient(store.url);
    await office.signInToBackOffice('SH01-M1');
    variantId = (await till.get<{ variants: { id: string }[] }>('/api/stores/store_sh01/variants?q=KN-301'))
      .body.variants[0]!.id;
  });
  afterAll(async () => store?.stop());

  const level = () =>
    store.ctx.db.kysely
      .selectFrom('stock_levels')
      .select(['on_hand', 'reserved'])
      .where('store_id', '=', 'store_sh01')
      .where('variant_id', '=', variantId)
      .executeTakeFirstOrThrow()
      .then((l) => ({ onHand: Number(l.on_hand), reserved: Number(l.reserved) }));
  const issue = (saleId: string, over: Record<string, string> = {}) =>
    till.post<SlipView>(`/api/sales/${saleId}/slip`, {
      reason: '卡被拒，顾客回家取钱',
      customerName: '李先生',
      customerPhone: '138 1234 5678',
      goods: 'taken',
      ...over,
    });
  const noDrift = async () => expect((await checkLedger(store.ctx.db.kysely)).drift).toEqual([]);

  it('a declined card, then a slip with the goods taken: out of stock now, on account, due next morning; paid later at another till, settled once', async () => {
    const before = await level();
    const sale = await bed.saleWithItem();
    bed.terminal.script([{ kind: 'decline', code: '51' }]);
    expect((await bed.chargeCard(sale)).status).toBe('failed');
    const issued = await issue(sale.id);
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const slip = issued.body;
    expect(slip).toMatchObject({
      status: 'issued',
      goods: 'taken',
      customerName: '李先生',
      customerPhone: '+86138****5678',
      dueFen: sale.totalFen,
      paidFen: 0,
      attemptPending: false,
      caseStatus: 'open',
      sale: { status: 'on_account' },
    });
    expect(slip.number).toMatch(/^SH01-X\d{8}-\d{4}$/);
    const issuedLocal = new Date(Date.parse(slip.issuedAt) + 8 * 3_600_000);
    const dueLocal = new Date(Date.parse(slip.dueAt) + 8 * 3_600_000);
    expect(dueLocal.getUTCDate()).not.toBe(issuedLocal.getUTCDate());
    expect([dueLocal.getUTCHours(), dueLocal.getUTCMinutes()]).toEqual([10, 0]);
    expect(await level()).toEqual({ onHand: before.onHand - 1, reserved: before.reserved });
    // Frozen: no edits; a second slip is refused.
    expect((await till.post(`/api/sales/${sale.id}/lines`, { barcode: bed.barcode })).body).toMatchObject({
      code: 'sale_not_open',
    });
    expect((await issue(sale.id)).body).toMatchObject({ code: 'sale_not_open' });

    // In the back office the next morning: the queue, the full number to call, the timeline.
    const queue = (await office.get<{ cases: QueueItem[] }>('/api/stores/store_sh01/follow-ups')).body.cases;
    const item = queue.find((c) => c.slip.number === slip.number)!;
    expect(item).toMatchObject({ status: 'open', urgency: 'later', saleNumber: sale.number });
    const contacted = await office.post<CaseView>(`/api/follow-ups/${item.caseId}/events`, {
      event: 'contacted',
      note: '已电话联系，明天来付款',
    });
    expect(contacted.body).toMatchObject({ status: 'contacted', customerPhone: '+8613812345678' });
    expect(contacted.body.timeline.map((e) => e.event)).toEqual(['opened', 'contacted']);
    // The queue shows each case's latest line.
    const requeued = (await office.get<{ cases: QueueItem[] }>('/api/stores/store_sh01/follow-ups')).body
      .cases;
    expect(requeued.find((c) => c.caseId === item.caseId)?.lastEvent).toMatchObject({
      event: 'contacted',
      note: '已电话联系，明天来付款',
    });

    // The customer comes back to another till: the slip is taken up by its number and paid.
    const found = (await other.get<SlipView>(`/api/slips/${slip.number}`)).body;
    expect(found.sale.id).toBe(sale.id);
    const paid = await other.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: sale.totalFen,
    });
    expect(paid.body.status).toBe('completed');
    const settled = (await other.get<SlipView>(`/api/slips/${slip.number}`)).body;
    // Settled: it reports what stands now — paid in full, nothing due — and still what it said when issued.
    expect(settled).toMatchObject({
      status: 'settled',
      caseStatus: 'settled',
      paidFen: sale.totalFen,
      dueFen: 0,
      asIssued: { paidFen: 0, dueFen: sale.totalFen },
    });
    // The goods left at the slip: nothing more leaves now.
    expect(await level()).toEqual({ onHand: before.onHand - 1, reserved: before.reserved });
    expect(
      (await office.get<{ cases: QueueItem[] }>('/api/stores/store_sh01/follow-ups')).body.cases.some(
        (c) => c.caseId === item.caseId,
      ),
    ).toBe(false);
    const events = (
      await till.get<{ events: { action: string }[] }>(`/api/sales/${sale.id}/audit`)
    ).body.events.map((e) => e.action);
    expect(events).toEqual(
      expect.arrayContaining(['sale.on_account', 'slip.issued', 'slip.settled', 'sale.completed']),
    );
    await noDrift();
  });

  it('a follow-up case id never issued is refused (404 case_unknown) when read, noted or closed', async () => {
    const ghost = '/api/follow-ups/case_nosuchcase0000';
    const read = await office.get(ghost);
    const noted = await office.post(`${ghost}/events`, { event: 'noted', note: 'x' });
    const closed = await office.post(`${ghost}/close`, { event: 'cancel', reason: 'x' });
    for (const answer of [read, noted, closed]) {
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({ code: 'case_unknown' });
    }
  });

  it('goods held are reserved; a part paid by card keeps the sale on account; a manager cannot write off held goods, cancels instead: restocked', async () => {
    const before = await level();
    const sale = await bed.saleWithItem();
    const slip = (await issue(sale.id, { goods: 'held' })).body;
    expect(await level()).toEqual({ onHand: before.onHand, reserved: before.reserved + 1 });
    const part = await bed.chargeCard((await bed.saleNow(sale.id)) as SaleView, 100);
    expect(part.status).toBe('succeeded');
    expect((await bed.saleNow(sale.id)).status).toBe('on_account');
    const caseId = slip.caseId;
    expect(
      (await office.post(`/api/follow-ups/${caseId}/close`, { event: 'write_off', reason: 'x' })).body,
    ).toMatchObject({
      code: 'slip_close_mismatch',
    });
    // Money was taken: it must go back first.
    expect(
      (await office.post(`/api/follow-ups/${caseId}/close`, { event: 'cancel', reason: 'x' })).body,
    ).toMatchObject({
      code: 'sale_partly_paid',
    });
    // A cashier may not close a case.
    expect(
      (await till.post(`/api/follow-ups/${caseId}/close`, { event: 'cancel', reason: 'x' })).status,
    ).toBe(403);
    const rest = await till.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: sale.totalFen - 100,
    });
    expect(rest.body.status).toBe('completed');
    // Held goods come off their reservation as they leave.
    expect(await level()).toEqual({ onHand: before.onHand - 1, reserved: before.reserved });
    await noDrift();

    const second = await bed.saleWithItem();
    const held = (await issue(second.id, { goods: 'held' })).body;
    const closed = await office.post<CaseView>(`/api/follow-ups/${held.caseId}/close`, {
      event: 'cancel',
      reason: '顾客未再联系',
    });
    expect(closed.body).toMatchObject({ status: 'cancelled', slip: { status: 'cancelled' } });
    expect((await bed.saleNow(second.id)).status).toBe('voided');
    expect(await level()).toEqual({ onHand: before.onHand - 1, reserved: before.reserved });
    expect(
      (await office.post(`/api/follow-ups/${held.caseId}/close`, { event: 'cancel', reason: 'again' })).body,
    ).toMatchObject({
      code: 'case_not_open',
    });
    await noDrift();
  });

  it('goods taken and never paid: written off, nothing more moves, and the loss is on record', async () => {
    const before = await level();
    const sale = await bed.saleWithItem();
    const slip = (await issue(sale.id)).body;
    expect(
      (await office.post(`/api/follow-ups/${slip.caseId}/close`, { event: 'cancel', reason: 'x' })).body,
    ).toMatchObject({
      code: 'slip_close_mismatch',
    });
    const closed = await office.post<CaseView>(`/api/follow-ups/${slip.caseId}/close`, {
      event: 'write_off',
      reason: '联系不上',
    });
    expect(closed.body).toMatchObject({ status: 'written_off', slip: { status: 'written_off' } });
    expect(await level()).toEqual({ onHand: before.onHand - 1, reserved: before.reserved });
    const events = (
      await till.get<{ events: { action: string }[] }>(`/api/sales/${sale.id}/audit`)
    ).body.events.map((e) => e.action);
    expect(events).toEqual(expect.arrayContaining(['slip.written_off', 'sale.written_off']));
    await noDrift();
  });

  it('a slip issued while a card payment was still being checked: it says so, and the payment settles it by itself', async () => {
    const sale = await bed.saleWithItem();
    bed.terminal.script([{ kind: 'in_progress', queries: 2, outcome: 'approve' }]);
    const card = await bed.chargeCard(sale);
    expect(card.status).toBe('unknown');
    const slip = (await issue(sale.id, { reason: '银行确认中，顾客先走' })).body;
    expect(slip).toMatchObject({ attemptPending: true, sale: { status: 'on_account' } });
    for (let i = 0; i < 4; i++) await bed.later(3_000);
    expect((await till.get<AttemptView>(`/api/attempts/${card.id}`)).body.status).toBe('succeeded');
    expect((await bed.saleNow(sale.id)).status).toBe('completed');
    expect((await till.get<SlipView>(`/api/slips/${slip.number}`)).body).toMatchObject({
      status: 'settled',
      caseStatus: 'settled',
    });
    expect(bed.terminal.moneyMoved(card.merchantOrderNo)).toBe(sale.totalFen);
    await noDrift();
  });

  it('bad input changes nothing: a malformed phone, an unknown slip, a slip for a paid sale or another store’s slip', async () => {
    const sale = await bed.saleWithItem();
    for (const phone of ['12345', 'call me', '+1 415 555 0100'])
      expect(await issue(sale.id, { customerPhone: phone })).toMatchObject({
        status: 422,
        body: { code: 'phone_invalid' },
      });
    expect((await issue(sale.id, { customerName: '' })).status).toBe(400);
    expect((await issue(sale.id, { goods: 'lost' })).status).toBe(400);
    expect((await bed.saleNow(sale.id)).status).toBe('open');
    expect((await till.get('/api/slips/SH01-X20261201-9999')).body).toMatchObject({ code: 'slip_unknown' });
    await till.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen });
    expect((await issue(sale.id)).body).toMatchObject({ code: 'sale_not_open' });
    const mine = (await issue((await bed.saleWithItem()).id)).body;
    const hangzhou = apiClient(store.url);
    await hangzhou.signInAtTill('HZ01-C1', 'till_hz01_1');
    expect((await hangzhou.get(`/api/slips/${mine.number}`)).body).toMatchObject({ code: 'other_store' });
    await noDrift();
  });

  it('prints the slip (ESC/POS, GB18030) and shows it as HTML; its QR code opens the customer’s page, which needs no sign-in', async () => {
    const sale = await bed.saleWithItem();
    const slip = (await issue(sale.id, { goods: 'held' })).body;
    const html = await till.get<string>(`/api/slips/${slip.number}/slip.html?lang=zh-CN`);
    expect(html.status).toBe(200);
    for (const text of [
      '小单（未结清）',
      slip.number,
      '李先生',
      '+86138****5678',
      '由门店保管',
      '应付余额',
      '此单不是收据',
    ])
      expect(html.body).toContain(text);
    expect(html.body).not.toContain('13812345678');
    const bytes = await fetch(`${store.url}/api/slips/${slip.number}/slip.escpos?lang=zh-CN&width=58`, {
      headers: till.authHeaders(),
    });
    expect(bytes.status).toBe(200);
    const printed = decodeEscPos(new Uint8Array(await bytes.arrayBuffer())).lines.join('\n');
    expect(printed).toContain('小单（未结清）');
    expect(printed).toContain(slip.number);
    expect(printed).toContain('应付余额');
    // The customer's page: found by the slip's secret, never by its printed number.
    const page = await fetch(`${store.url}/pay/${slip.payToken}?lang=en`);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('PROVISIONAL SLIP');
    expect(text).toContain('AMOUNT DUE');
    expect((await fetch(`${store.url}/pay/NOTAREALTOKEN000000`)).status).toBe(404);
    expect((await fetch(`${store.url}/api/slips/${slip.number}/slip.html`)).status).toBe(401);
    await office.post(`/api/follow-ups/${slip.caseId}/close`, { event: 'cancel', reason: 'test over' });
  });

  it('a slip is never paid twice: two tills paying it at once — exactly one wins, the other is told, one payment on record', async () => {
    const sale = await bed.saleWithItem();
    const slip = (await issue(sale.id, { goods: 'held' })).body;
    const answers = await Promise.all([
      till.post<{ status?: string; code?: string }>(`/api/sales/${sale.id}/payments/cash`, {
        tenderedFen: sale.totalFen,
      }),
      other.post<{ status?: string; code?: string }>(`/api/sales/${sale.id}/payments/cash`, {
        tenderedFen: sale.totalFen,
      }),
    ]);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.find((a) => a.status !== 200)?.body).toMatchObject({ code: 'sale_not_open' });
    const done = await bed.saleNow(sale.id);
    expect(done.status).toBe('completed');
    expect(done.payments).toHaveLength(1);
    expect((await till.get<SlipView>(`/api/slips/${slip.number}`)).body.status).toBe('settled');
    await noDrift();
  });

  it('the customer pays on the slip’s own page through a wallet: the slip settles; paying again, or at a till meanwhile, is refused', async () => {
    const sale = await bed.saleWithItem();
    const slip = (await issue(sale.id, { goods: 'held' })).body;
    const page = await fetch(`${store.url}/pay/${slip.payToken}?lang=en`);
    expect(await page.text()).toContain('with Alipay (sandbox)');
    const pay = (key: string, wallet = 'alipay') =>
      fetch(`${store.url}/api/pay/${slip.payToken}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ wallet }),
      });
    const first = await pay('page-1');
    expect(first.status).toBe(202);
    const replay = await pay('page-1');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    await store.payments.scheduler.idle();
    const state = (await (await fetch(`${store.url}/api/pay/${slip.payToken}`)).json()) as {
      status: string;
      dueFen: number;
    };
    expect(state).toMatchObject({ status: 'settled', dueFen: 0 });
    expect((await till.get<SlipView>(`/api/slips/${slip.number}`)).body).toMatchObject({
      status: 'settled',
      caseStatus: 'settled',
    });
    const done = await bed.saleNow(sale.id);
    expect(done.status).toBe('completed');
    expect(done.payments.map((p) => p.tender)).toEqual(['alipay']);
    // Paid: the page cannot pay again, nor can a till.
    expect(((await (await pay('page-2', 'wechat')).json()) as { code: string }).code).toBe('slip_not_open');
    expect(
      (await till.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen })).body,
    ).toMatchObject({
      code: 'sale_not_open',
    });
    expect(
      (await (await fetch(`${store.url}/api/pay/NOSUCHTOKEN0000000000`)).json()) as { code: string },
    ).toMatchObject({
      code: 'slip_unknown',
    });
    const events = (
      await till.get<{ events: { action: string; actorId: string }[] }>(`/api/sales/${sale.id}/audit`)
    ).body.events;
    expect(events.find((e) => e.action === 'payment.attempt_started')?.actorId).toBe(`customer:${slip.id}`);
    await noDrift();
  });

  it('two tills and the customer’s page paying one slip at the same moment: exactly one takes the money, the others are told why', async () => {
    for (let round = 0; round < 3; round++) {
      const sale = await bed.saleWithItem();
      const slip = (await issue(sale.id, { goods: 'held' })).body;
      const answers = await Promise.all([
        till.post<{ code?: string }>(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen }),
        other.post<{ code?: string }>(`/api/sales/${sale.id}/payments/card`, { amountFen: sale.totalFen }),
        fetch(`${store.url}/api/pay/${slip.payToken}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'idempotency-key': `race-${round}`,
          },
          body: JSON.stringify({ wallet: 'wechat' }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { code?: string } })),
      ]);
      const accepted = answers.filter((a) => a.status === 200 || a.status === 202);
      expect(accepted, JSON.stringify(answers)).toHaveLength(1);
      for (const refused of answers.filter((a) => a.status >= 400))
        expect(['sale_not_open', 'payment_in_progress', 'slip_not_open']).toContain(refused.body.code);
      await store.payments.scheduler.idle();
      for (let i = 0; i < 3; i++) await bed.later(5_000);
      const done = await bed.saleNow(sale.id);
      expect(done.status).toBe('completed');
      expect(done.payments.filter((p) => p.amountFen > 0)).toHaveLength(1);
      expect((await till.get<SlipView>(`/api/slips/${slip.number}`)).body.status).toBe('settled');
    }
    await noDrift();
  });
});
