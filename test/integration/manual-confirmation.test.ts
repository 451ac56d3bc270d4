/**
 * "My bank says I paid", through the real server on both databases: a manager records the
 * customer's proof on a follow-up case; the case and the sale wait for the statement, and no
 * tender — a till, the pay-later page — can take the money meanwhile. The statement decides
 * (the hook reconciliation calls): it holds the money, and the sale completes (stock once) and the
 * slip settles; it does not, and all is payable again. Bad proof changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseView, decideManualConfirmation, type SlipView } from '../../src/exceptions';
import type { SaleView } from '../../src/sales';
import { checkLedger } from '../../src/stock';
import { type CardTill, cardTill } from '../support/card-till';
import { DIALECTS } from '../support/databases';
import { type ApiClient, apiClient, type TestStore } from '../support/store-server';

describe.each(DIALECTS)('manual confirmation of a payment on %s', (dialect) => {
  let bed: CardTill;
  let store: TestStore;
  let till: ApiClient;
  let office: ApiClient;
  let supervisor: ApiClient;

  beforeAll(async () => {
    bed = await cardTill(dialect);
    ({ store, api: till } = bed);
    office = apiClient(store.url);
    await office.signInToBackOffice('SH01-M1');
    supervisor = apiClient(store.url);
    await supervisor.signInToBackOffice('SH01-S1');
  });
  afterAll(async () => store?.stop());

  const slipFor = async (goods: 'taken' | 'held' = 'taken') => {
    const sale = await bed.saleWithItem();
    bed.terminal.script([{ kind: 'decline', code: '51' }]);
    expect((await bed.chargeCard(sale)).status).toBe('failed');
    const slip = await till.post<SlipView>(`/api/sales/${sale.id}/slip`, {
      reason: '卡被拒，顾客说已转账',
      customerName: '王女士',
      customerPhone: '13912345678',
      goods,
    });
    expect(slip.status, JSON.stringify(slip.body)).toBe(201);
    return { sale, slip: slip.body };
  };
  const proof = (slip: SlipView, over: Record<string, unknown> = {}) => ({
    tender: 'alipay',
    amountFen: slip.dueFen,
    paidOn: '2026-12-01',
    reference: '2026120122001412345678901234',
    evidence: '顾客出示支付宝账单截图，付款给本店，金额一致',
    ...over,
  });
  const noDrift = async () => expect((await checkLedger(store.ctx.db.kysely)).drift).toEqual([]);

  it('the proof puts the case and the sale to wait for the statement: no till, no pay-later page can take the money meanwhile', async () => {
    const { sale, slip } = await slipFor();
    const recorded = await office.post<CaseView>(
      `/api/follow-ups/${slip.caseId}/manual-confirmation`,
      proof(slip),
    );
    expect(recorded.status, JSON.stringify(recorded.body)).toBe(200);
    expect(recorded.body).toMatchObject({ status: 'awaiting_statement', slip: { status: 'issued' } });
    expect(recorded.body.confirmations).toMatchObject([
      { tender: 'alipay', amountFen: slip.dueFen, status: 'awaiting_statement', paidOn: '2026-12-01' },
    ]);
    expect(recorded.body.timeline.map((e) => e.event)).toEqual(['opened', 'manual_confirmation']);
    expect((await bed.saleNow(sale.id)).status).toBe('awaiting_statement');

    expect(
      await till.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: slip.dueFen }),
    ).toMatchObject({
      status: 409,
      body: { code: 'sale_awaiting_statement' },
    });
    expect(
      (await till.post(`/api/sales/${sale.id}/payments/card`, { amountFen: slip.dueFen })).body,
    ).toMatchObject({
      code: 'sale_awaiting_statement',
    });
    const page = apiClient(store.url);
    expect((await page.get<{ status: string }>(`/api/pay/${slip.payToken}`)).body.status).toBe(
      'awaiting_statement',
    );
    expect((await page.post(`/api/pay/${slip.payToken}`, { wallet: 'alipay' })).body).toMatchObject({
      code: 'sale_awaiting_statement',
    });
    // Nor can it be closed or proved twice while the statement is awaited.
    expect(
      (await office.post(`/api/follow-ups/${slip.caseId}/close`, { event: 'write_off', reason: '不来了' }))
        .body,
    ).toMatchObject({ code: 'case_not_open' });
    expect(
      (await office.post(`/api/follow-ups/${slip.caseId}/manual-confirmation`, proof(slip))).body,
    ).toMatchObject({ code: 'case_not_open' });
    // A manager's act: a supervisor may not.
    expect(
      (await supervisor.post(`/api/follow-ups/${slip.caseId}/manual-confirmation`, proof(slip))).status,
    ).toBe(403);

    // The statement holds the money: recorded against the sale, which completes; the slip settles.
    const [waiting] = recorded.body.confirmations;
    const decided = await decideManualConfirmation(store.ctx, waiting!.id, {
      holds: true,
      statementRef: 'alipay:2026120122001412345678901234',
    });
    expect(decided).toMatchObject({
      status: 'confirmed',
      statementRef: 'alipay:2026120122001412345678901234',
    });
    const done = await bed.saleNow(sale.id);
    expect(done).toMatchObject({ status: 'completed', paidFen: sale.totalFen, dueFen: 0 });
    expect(done.payments).toEqual(
      expect.arrayContaining([expect.objectContaining({ tender: 'alipay', amountFen: sale.totalFen })]),
    );
    const after = (await office.get<CaseView>(`/api/follow-ups/${slip.caseId}`)).body;
    expect(after).toMatchObject({ status: 'settled', slip: { status: 'settled' } });
    expect(after.timeline.map((e) => e.event)).toEqual([
      'opened',
      'manual_confirmation',
      'statement_confirms',
    ]);
    await expect(
      decideManualConfirmation(store.ctx, waiting!.id, { holds: false, why: 'again' }),
    ).rejects.toMatchObject({ code: 'confirmation_not_awaiting' });
    const actions = (
      await till.get<{ events: { action: string }[] }>(`/api/sales/${sale.id}/audit`)
    ).body.events.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'follow_up.manual_confirmation',
        'sale.awaiting_statement',
        'manual_confirmation.confirmed',
        'payment.recorded',
        'slip.settled',
        'sale.completed',
      ]),
    );
    // Returned at once: the transfer cannot go back through a terminal; the void says so, nothing changes.
    const grant = await till.post<{ id: string }>('/api/approvals', {
      action: 'void_after_payment',
      saleId: sale.id,
      reason: 'returned at once',
      approver: { staffCode: 'SH01-M1', pin: '4826' },
    });
    expect(
      await till.post(`/api/sales/${sale.id}/void`, {
        reason: 'returned at once',
        approvalId: grant.body.id,
      }),
    ).toMatchObject({ status: 409, body: { code: 'refund_outside_providers' } });
    expect((await bed.saleNow(sale.id)).status).toBe('completed');
    await noDrift();
  });

  it('the statement does not hold it: the case is open again and the sale payable; goods held stay reserved until paid', async () => {
    const { sale, slip } = await slipFor('held');
    const recorded = await office.post<CaseView>(
      `/api/follow-ups/${slip.caseId}/manual-confirmation`,
      proof(slip, { tender: 'bank_transfer', reference: 'ICBC 转账 尾号 0042' }),
    );
    expect(recorded.body.status).toBe('awaiting_statement');
    await decideManualConfirmation(store.ctx, recorded.body.confirmations[0]!.id, {
      holds: false,
      why: 'not on the 2026-12-01 statement',
    });
    const reopened = (await office.get<CaseView>(`/api/follow-ups/${slip.caseId}`)).body;
    expect(reopened).toMatchObject({ status: 'open', confirmations: [{ status: 'disagreed' }] });
    expect(reopened.timeline.map((e) => e.event)).toEqual([
      'opened',
      'manual_confirmation',
      'statement_disagrees',
    ]);
    expect((await bed.saleNow(sale.id)).status).toBe('on_account');
    const paid = await till.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: slip.dueFen,
    });
    expect(paid.body.status).toBe('completed');
    expect((await till.get<SlipView>(`/api/slips/${slip.number}`)).body).toMatchObject({
      status: 'settled',
      caseStatus: 'settled',
    });
    await noDrift();
  });

  it('bad proof changes nothing: another amount, a payment still being checked, a malformed date, an unknown case; a card number is never kept', async () => {
    const { sale, slip } = await slipFor();
    expect(
      await office.post(
        `/api/follow-ups/${slip.caseId}/manual-confirmation`,
        proof(slip, { amountFen: slip.dueFen - 1 }),
      ),
    ).toMatchObject({ status: 422, body: { code: 'confirmation_amount_mismatch' } });
    for (const bad of [{ paidOn: '1 Dec' }, { tender: 'cash' }, { amountFen: 1.5 }, { reference: '' }])
      expect(
        (await office.post(`/api/follow-ups/${slip.caseId}/manual-confirmation`, proof(slip, bad))).status,
      ).toBe(400);
    expect(
      (await office.post('/api/follow-ups/case_nosuchcase0000000000/manual-confirmation', proof(slip))).body,
    ).toMatchObject({ code: 'case_unknown' });
    const unchanged = (await office.get<CaseView>(`/api/follow-ups/${slip.caseId}`)).body;
    expect(unchanged).toMatchObject({ status: 'open', confirmations: [] });
    expect((await bed.saleNow(sale.id)).status).toBe('on_account');

    // A card number typed into the proof is masked before anything keeps it.
    const withPan = await office.post<CaseView>(
      `/api/follow-ups/${slip.caseId}/manual-confirmation`,
      proof(slip, {
        tender: 'card',
        reference: 'POS 参考号 123456',
        evidence: '银行短信 卡号 6222 0212 3456 7890 128 扣款成功',
      }),
    );
    expect(withPan.status).toBe(200);
    expect(JSON.stringify(withPan.body)).not.toContain('6222021234567890128');
    expect(JSON.stringify(withPan.body)).not.toContain('6222 0212 3456 7890 128');

    // While a payment on the sale may still succeed, its answer comes first.
    const pendingSale = await bed.saleWithItem();
    bed.terminal.script([{ kind: 'in_progress', queries: 50, outcome: 'approve' }]);
    const card = await bed.chargeCard(pendingSale);
    expect(card.status).toBe('unknown');
    const pendingSlip = (
      await till.post<SlipView>(`/api/sales/${pendingSale.id}/slip`, {
        reason: '银行确认中',
        customerName: '赵先生',
        customerPhone: '13712345678',
        goods: 'taken',
      })
    ).body;
    expect(
      await office.post(`/api/follow-ups/${pendingSlip.caseId}/manual-confirmation`, proof(pendingSlip)),
    ).toMatchObject({ status: 409, body: { code: 'attempt_still_pending' } });
  });
});
