/**
 * A till held by a sale waiting at the bank, through the real server on both databases: while a
 * sale's card charge at a till may still succeed, that till opens no other sale, takes up no
 * parked one and takes money for no other sale — a clear 409 naming the sale it waits for and what
 * it may do (wait, a manager's release, a slip). Another till sells on. Once a manager releases
 * the sale the till moves on; a charge that then turns out paid goes to the review desk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewItem } from '../../src/payments/review';
import type { SaleView } from '../../src/sales';
import { CARD_TILL, type CardTill, cardTill } from '../support/card-till';
import { DIALECTS } from '../support/databases';
import { type ApiClient, apiClient } from '../support/store-server';

describe.each(DIALECTS)('a till held by a sale waiting for the bank, on %s', (dialect) => {
  let bed: CardTill;
  let till: ApiClient;
  let office: ApiClient;

  beforeAll(async () => {
    bed = await cardTill(dialect);
    till = bed.api;
    office = apiClient(bed.store.url);
    await office.signInToBackOffice('SH01-M1');
  });
  afterAll(async () => bed?.store.stop());

  const heldProblem = {
    status: 409,
    body: {
      code: 'till_held',
      allowed: ['wait', 'release', 'slip'],
    },
  };

  it('refuses a new sale, a take-up and a tender for another sale while the bank is checked; another till sells on', async () => {
    // A sale parked before, to try to take up while the till is held.
    const parkedOne = await bed.saleWithItem();
    expect((await till.post(`/api/sales/${parkedOne.id}/park`, {})).status).toBe(200);

    const sale = await bed.saleWithItem();
    bed.terminal.script([{ kind: 'in_progress', queries: 3, outcome: 'approve' }]);
    const attempt = await bed.chargeCard(sale);
    expect(attempt.status).toBe('unknown');

    const opened = await till.post(
      '/api/stores/store_sh01/sales',
      { tillId: CARD_TILL },
      { 'accept-language': 'zh-CN' },
    );
    expect(opened).toMatchObject(heldProblem);
    expect(opened.body).toMatchObject({
      heldBy: { saleId: sale.id, saleNumber: sale.number, attemptId: attempt.id, tender: 'card' },
    });
    expect((opened.body as { title: string }).title).toContain('切勿再次向顾客收款');
    expect(await till.post(`/api/sales/${parkedOne.id}/resume`, {})).toMatchObject(heldProblem);
    // The till asks before it starts anything new (F9), and hears the same verdict.
    const hold = await till.get<{ held: { code: string; heldBy: { saleId: string } } | null }>(
      `/api/tills/${CARD_TILL}/hold`,
    );
    expect(hold.body.held).toMatchObject({ code: 'till_held', heldBy: { saleId: sale.id } });

    // Another till of the store is not held.
    const other = apiClient(bed.store.url);
    await other.signInAtTill('SH01-C2', 'till_sh01_2');
    const elsewhere = await other.post<SaleView>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_2' });
    expect(elsewhere.status).toBe(201);
    expect((await other.get<{ held: null }>('/api/tills/till_sh01_2/hold')).body.held).toBeNull();
    // Nor may it take money for the held till's other sales: the parked one stays parked.
    expect((await bed.saleNow(parkedOne.id)).status).toBe('parked');

    // The manager releases the waiting sale: the till moves on, and the parked sale is taken up.
    const grant = await till.post<{ id: string }>('/api/approvals', {
      action: 'second_charge_override',
      saleId: sale.id,
      reason: 'customer cannot wait',
      approver: { staffCode: 'SH01-M1', pin: '4826' },
    });
    expect(
      (await till.post<SaleView>(`/api/sales/${sale.id}/release`, { approvalId: grant.body.id })).status,
    ).toBe(200);
    expect((await till.get<{ held: null }>(`/api/tills/${CARD_TILL}/hold`)).body.held).toBeNull();
    const next = await till.post<SaleView>('/api/stores/store_sh01/sales', { tillId: CARD_TILL });
    expect(next.status).toBe(201);
    expect((await till.post(`/api/sales/${parkedOne.id}/resume`, {})).status).toBe(200);

    // The released charge then turns out paid: it does not complete a sale nobody waits for —
    // it is on the review desk, for the customer to get it back.
    for (let i = 0; i < 5; i++) await bed.later(3_000);
    expect((await bed.attemptNow(attempt.id)).status).toBe('needs_review');
    const reviews = (await office.get<{ reviews: ReviewItem[] }>('/api/stores/store_sh01/payment-reviews'))
      .body.reviews;
    expect(reviews.map((r) => r.attempt.id)).toContain(attempt.id);
    // And the till that moved on is told, in its language, until a manager settles it.
    const notices = (
      await till.get<{ notices: { kind: string; saleNumber: string; text: string }[] }>(
        `/api/tills/${CARD_TILL}/notices`,
        { 'accept-language': 'zh-CN' },
      )
    ).body.notices;
    expect(notices).toEqual([
      expect.objectContaining({
        kind: 'on_review_desk',
        saleNumber: sale.number,
        text: expect.stringContaining('支付核查'),
      }),
    ]);
  });

  it('a slip for the waiting sale frees the till too (the charge may still settle it)', async () => {
    const sale = await bed.saleWithItem();
    bed.terminal.script([{ kind: 'in_progress', queries: 3, outcome: 'approve' }]);
    const attempt = await bed.chargeCard(sale);
    expect(attempt.status, JSON.stringify(attempt)).toBe('unknown');
    expect(await till.post('/api/stores/store_sh01/sales', { tillId: CARD_TILL })).toMatchObject(heldProblem);
    const slip = await till.post(`/api/sales/${sale.id}/slip`, {
      reason: '银行确认中，顾客先走',
      customerName: '王先生',
      customerPhone: '13800001111',
      goods: 'held',
    });
    expect(slip.status, JSON.stringify(slip.body)).toBe(201);
    expect((await till.post('/api/stores/store_sh01/sales', { tillId: CARD_TILL })).status).toBe(201);
    // The bank's answer comes: paid — it settles the slip (the customer owes nothing).
    for (let i = 0; i < 5; i++) await bed.later(3_000);
    expect((await bed.attemptNow(attempt.id)).status).toBe('succeeded');
    expect((await bed.saleNow(sale.id)).status).toBe('completed');
    // The till is told the slip settled by itself (the customer owes nothing), for a while.
    const notices = async () =>
      (await till.get<{ notices: { kind: string; saleNumber: string }[] }>(`/api/tills/${CARD_TILL}/notices`))
        .body.notices;
    expect(await notices()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'slip_settled_late', saleNumber: sale.number }),
      ]),
    );
    bed.store.clock.advance(16 * 60_000);
    expect((await notices()).filter((n) => n.kind === 'slip_settled_late')).toEqual([]);
  });

  it('refuses a slip while the card is at the terminal; once the card has answered, the sale is paid and no slip is needed', async () => {
    const sale = await bed.saleWithItem();
    bed.terminal.script([{ kind: 'slow', ms: 600 }]);
    const started = await till.post<{ id: string }>(`/api/sales/${sale.id}/payments/card`, {
      amountFen: sale.dueFen,
    });
    expect(started.status).toBe(202);
    await expect.poll(async () => (await bed.attemptNow(started.body.id)).status).toBe('in_flight');
    const slip = await till.post(`/api/sales/${sale.id}/slip`, {
      reason: '顾客赶时间',
      customerName: '刘女士',
      customerPhone: '13800002222',
      goods: 'taken',
    });
    expect(slip).toMatchObject({ status: 409, body: { code: 'slip_attempt_at_terminal' } });
    await bed.store.payments.scheduler.idle();
    expect((await bed.attemptNow(started.body.id)).status).toBe('succeeded');
    expect((await bed.saleNow(sale.id)).status).toBe('completed');
  });
});
