/**
 * Customers' feedback and complaints through the real server on both databases: a rating from the
 * e-receipt's page and from the slip's page (public, once per visit, retry-safe); the back office
 * sees it, low ratings first to look at, and opens a complaint from it; a manager compensates — a
 * coupon, a gift, money back through the card terminal that took it (never more than the payment
 * has left) — resolves and reopens it; every step audited; bad input changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlipView } from '../../src/exceptions';
import type { ComplaintView, FeedbackView } from '../../src/feedback';
import type { AttemptView } from '../../src/payments/attempt-view';
import { type CardTill, cardTill } from '../support/card-till';
import { DIALECTS } from '../support/databases';
import { type ApiClient, apiClient, type TestStore } from '../support/store-server';

describe.each(DIALECTS)('feedback and complaints on %s', (dialect) => {
  let bed: CardTill;
  let store: TestStore;
  let till: ApiClient;
  let office: ApiClient;
  let supervisor: ApiClient;
  let customer: ApiClient;

  beforeAll(async () => {
    bed = await cardTill(dialect);
    ({ store, api: till } = bed);
    office = apiClient(store.url);
    await office.signInToBackOffice('SH01-M1');
    supervisor = apiClient(store.url);
    await supervisor.signInToBackOffice('SH01-S1');
    customer = apiClient(store.url); // no session: the customer's phone
  });
  afterAll(async () => store?.stop());

  const cashSale = async () => {
    const sale = await bed.saleWithItem();
    await till.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen });
    return sale;
  };
  const cardSale = async () => {
    const sale = await bed.saleWithItem();
    const card = await bed.chargeCard(sale);
    expect(card.status).toBe('succeeded');
    return { sale, card };
  };
  const feedbackList = async (query = '') =>
    (await office.get<{ feedback: FeedbackView[] }>(`/api/stores/store_sh01/feedback${query}`)).body.feedback;

  it('the e-receipt’s page asks for a rating; the customer gives it once (a retry answers the same), and the back office sees it', async () => {
    const sale = await cashSale();
    const page = await customer.get<string>(`/r/${sale.id}?lang=zh-CN`);
    expect(page.body).toContain('data-testid="feedback"');
    expect(page.body).toContain('为本次购物评分');
    const key = { 'idempotency-key': `fb-${sale.id}` };
    const first = await customer.post(
      `/api/feedback/receipt/${sale.id}`,
      { rating: 2, comment: '试衣间排队太久' },
      key,
    );
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const again = await customer.post(
      `/api/feedback/receipt/${sale.id}`,
      { rating: 2, comment: '试衣间排队太久' },
      key,
    );
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(await customer.post(`/api/feedback/receipt/${sale.id}`, { rating: 5, comment: '' })).toMatchObject(
      {
        status: 409,
        body: { code: 'feedback_already_given' },
      },
    );
    const mine = (await feedbackList()).find((f) => f.saleId === sale.id)!;
    expect(mine).toMatchObject({
      rating: 2,
      comment: '试衣间排队太久',
      via: 'receipt',
      wantsAttention: true,
      complaintId: null,
    });
    expect((await feedbackList('?attention=true')).every((f) => f.rating <= 2)).toBe(true);
    const actions = (
      await till.get<{ events: { action: string; actorId: string }[] }>(`/api/sales/${sale.id}/audit`)
    ).body.events;
    expect(actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'feedback.received', actorId: `customer:${sale.id}` }),
      ]),
    );
  });

  it('the slip’s page asks too, by its secret; bad ratings and unknown visits are refused and nothing is kept', async () => {
    const sale = await bed.saleWithItem();
    const slip = (
      await till.post<SlipView>(`/api/sales/${sale.id}/slip`, {
        reason: '顾客回家取钱',
        customerName: '周女士',
        customerPhone: '13612345678',
        goods: 'held',
      })
    ).body;
    expect((await customer.get<string>(`/pay/${slip.payToken}`)).body).toContain('data-testid="feedback"');
    expect(
      (await customer.post(`/api/feedback/slip/${slip.payToken}`, { rating: 4, comment: '店员很耐心' }))
        .status,
    ).toBe(201);
    const before = (await feedbackList()).length;
    for (const bad of [{ rating: 0 }, { rating: 6 }, { rating: 3.5 }, { rating: 'five' }, {}])
      expect((await customer.post(`/api/feedback/slip/${slip.payToken}`, bad)).status).toBe(400);
    expect((await customer.post(`/api/feedback/slip/${slip.payToken}`, { rating: 3 })).body).toMatchObject({
      code: 'feedback_already_given',
    });
    const open = await bed.saleWithItem();
    expect((await customer.post(`/api/feedback/receipt/${open.id}`, { rating: 3 })).body).toMatchObject({
      code: 'feedback_not_yet',
    });
    expect(
      (await customer.post('/api/feedback/receipt/sale_nosuchsale00000000000', { rating: 3 })).body,
    ).toMatchObject({ code: 'sale_unknown' });
    expect(
      (await customer.post('/api/feedback/slip/NOSUCHTOKEN0000000000', { rating: 3 })).body,
    ).toMatchObject({
      code: 'slip_unknown',
    });
    expect((await feedbackList()).length).toBe(before);
  });

  it('a complaint from a low rating: a coupon, then money back through the terminal that took it (never more than is left); resolved, reopened; all audited', async () => {
    const { sale, card } = await cardSale();
    await customer.post(`/api/feedback/receipt/${sale.id}`, { rating: 1, comment: '毛衣洗一次就起球' });
    const fb = (await feedbackList()).find((f) => f.saleId === sale.id)!;
    const opened = await supervisor.post<ComplaintView>('/api/stores/store_sh01/complaints', {
      customerName: '陈女士',
      customerPhone: '139-1234-5678',
      feedbackId: fb.id,
      description: '毛衣洗一次就起球，要求退部分款',
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const c = opened.body;
    expect(c).toMatchObject({
      status: 'open',
      saleId: sale.id,
      saleNumber: sale.number,
      customerPhone: '+86139****5678',
      compensations: [],
    });
    expect(c.number).toMatch(/^SH01-K\d{8}-\d{4}$/);
    expect((await feedbackList()).find((f) => f.id === fb.id)).toMatchObject({ complaintNumber: c.number });
    // One complaint per feedback.
    expect(
      (
        await supervisor.post('/api/stores/store_sh01/complaints', {
          customerName: '陈女士',
          feedbackId: fb.id,
          description: 'again',
        })
      ).status,
    ).toBe(400);

    // Compensation is a manager's.
    expect(
      (
        await supervisor.post(`/api/complaints/${c.id}/compensations`, {
          kind: 'coupon',
          valueFen: 2000,
          detail: 'Q-2026-0001',
        })
      ).status,
    ).toBe(403);
    const coupon = await office.post<ComplaintView>(`/api/complaints/${c.id}/compensations`, {
      kind: 'coupon',
      valueFen: 2000,
      detail: 'Q-2026-0001',
    });
    expect(coupon.status, JSON.stringify(coupon.body)).toBe(201);
    const part = Math.floor(sale.totalFen / 2);
    const refund = await office.post<ComplaintView>(`/api/complaints/${c.id}/compensations`, {
      kind: 'refund',
      valueFen: part,
      detail: '质量问题，退一半',
    });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    const given = refund.body.compensations[1]!;
    expect(given).toMatchObject({ kind: 'refund', valueFen: part });
    for (let i = 0; i < 3; i++) await bed.later(1_000);
    expect((await till.get<AttemptView>(`/api/attempts/${given.refundAttemptId}`)).body).toMatchObject({
      status: 'succeeded',
      amountFen: part,
    });
    expect(bed.terminal.moneyMoved(card.merchantOrderNo)).toBe(sale.totalFen - part);
    const after = (await office.get<ComplaintView>(`/api/complaints/${c.id}`)).body;
    expect(after).toMatchObject({ totalCompensationFen: 2000 + part });
    expect(after.compensations[1]).toMatchObject({ refundStatus: 'succeeded' });
    const payments = (await bed.saleNow(sale.id)).payments;
    expect(payments).toEqual(
      expect.arrayContaining([expect.objectContaining({ tender: 'card', amountFen: -part })]),
    );

    // More than the payment has left: refused, nothing given.
    expect(
      await office.post(`/api/complaints/${c.id}/compensations`, {
        kind: 'refund',
        valueFen: sale.totalFen - part + 1,
      }),
    ).toMatchObject({ status: 409, body: { code: 'compensation_refund_unavailable' } });

    const resolved = await office.post<ComplaintView>(`/api/complaints/${c.id}/resolve`, {
      text: '退一半货款并赠 20 元券，顾客满意',
    });
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolution: '退一半货款并赠 20 元券，顾客满意',
    });
    expect(
      (
        await office.post(`/api/complaints/${c.id}/compensations`, {
          kind: 'gift',
          valueFen: 500,
          detail: '袜子一双',
        })
      ).body,
    ).toMatchObject({ code: 'complaint_not_open' });
    const reopened = await office.post<ComplaintView>(`/api/complaints/${c.id}/reopen`, {
      text: '顾客再次来电',
    });
    expect(reopened.body).toMatchObject({ status: 'open', resolvedAt: null });
    expect(
      (
        await office.post(`/api/complaints/${c.id}/compensations`, {
          kind: 'gift',
          valueFen: 500,
          detail: '袜子一双',
        })
      ).status,
    ).toBe(201);
    const final = (await office.get<ComplaintView>(`/api/complaints/${c.id}`)).body;
    expect(final.history.map((h) => h.action)).toEqual([
      'complaint.opened',
      'complaint.compensated',
      'complaint.compensated',
      'complaint.resolved',
      'complaint.reopened',
      'complaint.compensated',
    ]);
    const list = (
      await office.get<{ complaints: { id: string; totalCompensationFen: number }[] }>(
        '/api/stores/store_sh01/complaints?status=open',
      )
    ).body.complaints;
    expect(list.find((x) => x.id === c.id)).toMatchObject({ totalCompensationFen: 2000 + part + 500 });
  });

  it('bad input changes nothing: a malformed phone, an unknown sale, amounts out of range, a coupon without its code, a refund without a sale or of cash', async () => {
    const complaint = (body: Record<string, unknown>) =>
      office.post<ComplaintView>('/api/stores/store_sh01/complaints', {
        customerName: '刘先生',
        description: '电话投诉：店员态度',
        ...body,
      });
    expect(await complaint({ customerPhone: '12345' })).toMatchObject({
      status: 422,
      body: { code: 'phone_invalid' },
    });
    expect(await complaint({ saleNumber: 'SH01-20261201-9999' })).toMatchObject({
      status: 404,
      body: { code: 'sale_unknown' },
    });
    expect((await complaint({ description: '' })).status).toBe(400);
    const bare = (await complaint({})).body;
    expect(bare).toMatchObject({ status: 'open', saleId: null, customerPhone: null });
    const give = (id: string, body: Record<string, unknown>) =>
      office.post(`/api/complaints/${id}/compensations`, body);
    expect((await give(bare.id, { kind: 'coupon', valueFen: 0, detail: 'Q1' })).status).toBe(400);
    expect(await give(bare.id, { kind: 'coupon', valueFen: 500_001, detail: 'Q1' })).toMatchObject({
      status: 422,
      body: { code: 'amount_out_of_range' },
    });
    expect(await give(bare.id, { kind: 'coupon', valueFen: 1000 })).toMatchObject({ status: 400 });
    expect(await give(bare.id, { kind: 'refund', valueFen: 1000 })).toMatchObject({ status: 400 });
    expect((await give(bare.id, { kind: 'voucher', valueFen: 1000, detail: 'x' })).status).toBe(400);
    const cash = await cashSale();
    const onCash = (await complaint({ saleNumber: cash.number })).body;
    expect(await give(onCash.id, { kind: 'refund', valueFen: 100 })).toMatchObject({
      status: 409,
      body: { code: 'compensation_refund_unavailable' },
    });
    for (const id of [bare.id, onCash.id])
      expect((await office.get<ComplaintView>(`/api/complaints/${id}`)).body.compensations).toEqual([]);
    expect((await office.get('/api/complaints/cmp_nosuchcomplaint0000000')).body).toMatchObject({
      code: 'complaint_unknown',
    });
    // Another store's manager sees none of it.
    const hangzhou = apiClient(store.url);
    await hangzhou.signInToBackOffice('HZ01-M1');
    expect((await hangzhou.get(`/api/complaints/${bare.id}`)).status).toBe(403);
  });
});
