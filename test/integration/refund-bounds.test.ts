/**
 * Refunds after refunds, through the real server on both databases: every refund — a void, a
 * complaint's compensation, a review — is bounded by what its payment still has, net of earlier
 * refunds; a void after a partial refund gives back only the rest; a refund the provider refuses
 * goes to the review desk, never silently to "voided".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComplaintView } from '../../src/feedback';
import type { AttemptView } from '../../src/payments/attempt-view';
import type { ReviewItem } from '../../src/payments/review';
import type { SaleView } from '../../src/sales';
import { type CardTill, cardTill } from '../support/card-till';
import { DIALECTS } from '../support/databases';
import { type ApiClient, apiClient } from '../support/store-server';

describe.each(DIALECTS)('refunds bounded by what each payment still has, on %s', (dialect) => {
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

  const paidByCard = async () => {
    const sale = await bed.saleWithItem();
    const card = await bed.chargeCard(sale);
    expect(card.status).toBe('succeeded');
    return { sale, card };
  };
  const compensate = async (sale: SaleView, valueFen: number) => {
    const c = await office.post<ComplaintView>('/api/stores/store_sh01/complaints', {
      customerName: '陈女士',
      saleNumber: sale.number,
      description: '起球',
    });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    return office.post<ComplaintView>(`/api/complaints/${c.body.id}/compensations`, {
      kind: 'refund',
      valueFen,
      detail: '质量问题',
    });
  };
  const voidWithManager = async (sale: SaleView) => {
    const grant = await till.post<{ id: string }>('/api/approvals', {
      action: 'void_after_payment',
      saleId: sale.id,
      reason: 'returned',
      approver: { staffCode: 'SH01-M1', pin: '4826' },
    });
    const voided = await till.post<SaleView>(`/api/sales/${sale.id}/void`, {
      reason: 'returned',
      approvalId: grant.body.id,
    });
    expect(voided.status, JSON.stringify(voided.body)).toBe(200);
    await bed.store.payments.scheduler.idle();
    return voided.body;
  };
  const attemptsOf = async (saleId: string) =>
    (await till.get<{ attempts: AttemptView[] }>(`/api/sales/${saleId}/attempts`)).body.attempts;
  const reviews = async () =>
    (await office.get<{ reviews: ReviewItem[] }>('/api/stores/store_sh01/payment-reviews')).body.reviews;

  it('a void after a partial complaint refund gives back only what is left, and the customer nets out at nothing', async () => {
    const { sale, card } = await paidByCard();
    const part = Math.floor(sale.totalFen / 2);
    expect((await compensate(sale, part)).status).toBe(201);
    await bed.later(1_000);
    expect(bed.terminal.moneyMoved(card.merchantOrderNo)).toBe(sale.totalFen - part);

    await voidWithManager(sale);
    await bed.later(1_000);
    const refunds = (await attemptsOf(sale.id)).filter((a) => a.id !== card.id);
    // The complaint's refund, then the void's: the rest, not the whole amount again.
    expect(refunds.map((r) => [r.amountFen, r.status])).toEqual([
      [part, 'succeeded'],
      [sale.totalFen - part, 'succeeded'],
    ]);
    expect(bed.terminal.moneyMoved(card.merchantOrderNo)).toBe(0);
    const after = await bed.saleNow(sale.id);
    expect(after.status).toBe('voided');
    expect(after.payments.reduce((sum, p) => sum + p.amountFen, 0)).toBe(0);
    expect((await reviews()).filter((r) => r.sale.id === sale.id)).toEqual([]);
  });

  it('a void after the whole amount went back as compensation sends no refund at all; no compensation is given from a voided sale', async () => {
    const { sale, card } = await paidByCard();
    expect((await compensate(sale, sale.totalFen)).status).toBe(201);
    await bed.later(1_000);
    await voidWithManager(sale);
    expect((await attemptsOf(sale.id)).filter((a) => a.id !== card.id).map((a) => a.amountFen)).toEqual([
      sale.totalFen,
    ]);
    expect(bed.terminal.moneyMoved(card.merchantOrderNo)).toBe(0);
    const more = await compensate(sale, 1);
    expect(more.body).toMatchObject({ code: 'compensation_refund_unavailable' });
  });

  it('a refund the terminal refuses goes to the review desk, and the money stays owed', async () => {
    const { sale, card } = await paidByCard();
    bed.terminal.script([{ kind: 'decline', code: '57' }]);
    await voidWithManager(sale);
    const refund = (await attemptsOf(sale.id)).find((a) => a.id !== card.id)!;
    expect(refund).toMatchObject({ status: 'needs_review', amountFen: sale.totalFen, code: '57' });
    expect(bed.terminal.moneyMoved(card.merchantOrderNo)).toBe(sale.totalFen);
    expect((await reviews()).map((r) => r.attempt.id)).toContain(refund.id);
    // The cashier is told the refund is owed, not a payment's "this card was not charged".
    const zh = (await till.get<AttemptView>(`/api/attempts/${refund.id}`, { 'accept-language': 'zh-CN' }))
      .body;
    expect(zh.guidance?.tellCustomer).toContain('退款尚未退回');
    expect(zh.guidance?.tellCustomer).not.toContain('未扣款');
    expect(zh.guidance?.alternatives).toEqual([]);
    // And nothing more can be refunded of it meanwhile: the refused refund may still be given.
    const more = await compensate(sale, 1);
    expect(more.body).toMatchObject({ code: 'compensation_refund_unavailable' });
  });
});
