/**
 * Card payments through the orchestrator, over real HTTP, against the sandbox terminal of each
 * till: paid; declined with guidance then cash; the answer lost after the money moved (checking
 * with the bank, no second charge, then paid); lost before (not found, a new order number); never
 * final (reversed at the deadline); the terminal offline (nothing sent); a split with cash. After
 * each, the terminal's own ledger and the sale agree on the money.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptView } from '../../src/payments/attempt-view';
import type { SaleView } from '../../src/sales';
import type { CardTerminalEmulator } from '../../src/sandbox/card-terminal';
import { type CardTill, cardTill } from '../support/card-till';
import { DIALECTS } from '../support/databases';
import type { ApiClient, TestStore } from '../support/store-server';

describe.each(DIALECTS)('card payments on %s', (dialect) => {
  let bed: CardTill;
  let store: TestStore;
  let api: ApiClient;
  let terminal: CardTerminalEmulator;
  let barcode = '';

  beforeAll(async () => {
    bed = await cardTill(dialect);
    ({ store, api, terminal, barcode } = bed);
  });
  afterAll(async () => store?.stop());

  const saleWithItem = () => bed.saleWithItem();
  const chargeCard = (sale: SaleView, amountFen?: number) => bed.chargeCard(sale, amountFen);
  const saleNow = (id: string) => bed.saleNow(id);
  const later = (ms: number) => bed.later(ms);

  it('a card pays the sale: completed, the payment names its attempt, the card is masked, the terminal moved exactly that', async () => {
    const sale = await saleWithItem();
    const attempt = await chargeCard(sale);
    expect(attempt).toMatchObject({
      status: 'succeeded',
      maskedPan: '622202******2214',
      brand: 'UnionPay',
      code: '00',
    });
    const after = await saleNow(sale.id);
    expect(after.status).toBe('completed');
    expect(after.payments).toEqual([expect.objectContaining({ tender: 'card', amountFen: sale.totalFen })]);
    expect(terminal.moneyMoved(attempt.merchantOrderNo)).toBe(sale.totalFen);
    expect(attempt.history.map((h) => h.to)).toEqual(['created', 'in_flight', 'succeeded']);
  });

  it('a decline for insufficient funds says what to do, leaves the sale open, and cash then completes it', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'decline', code: '51' }]);
    const attempt = await chargeCard(sale);
    expect(attempt).toMatchObject({ status: 'failed', code: '51', category: 'insufficient_funds' });
    expect(attempt.guidance?.doNext).toContain('Do not retry this card');
    expect(attempt.guidance?.alternatives).toEqual(expect.arrayContaining(['alipay', 'wechat', 'cash']));
    expect((await saleNow(sale.id)).status).toBe('open');
    const cash = await api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: sale.totalFen,
    });
    expect(cash.body.status).toBe('completed');
    expect(terminal.moneyMoved(attempt.merchantOrderNo)).toBe(0);
  });

  it('an answer lost after the money moved: checking with the bank, no second charge meanwhile, then paid', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'lose_answer_after_money' }]);
    const attempt = await chargeCard(sale);
    expect(attempt.status).toBe('unknown');
    expect((await saleNow(sale.id)).status).toBe('awaiting_payment');
    // Neither cash nor another card while the first may still have succeeded.
    expect(
      (await api.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen })).body,
    ).toMatchObject({
      code: 'payment_in_progress',
    });
    expect(
      (await api.post(`/api/sales/${sale.id}/payments/card`, { amountFen: sale.totalFen })).body,
    ).toMatchObject({
      code: 'payment_in_progress',
    });
    expect((await api.post(`/api/sales/${sale.id}/lines`, { barcode })).body).toMatchObject({
      code: 'payment_in_progress',
    });
    await later(1_000);
    const resolved = (await api.get<AttemptView>(`/api/attempts/${attempt.id}`)).body;
    expect(resolved.status).toBe('succeeded');
    expect((await saleNow(sale.id)).status).toBe('completed');
    expect(terminal.moneyMoved(attempt.merchantOrderNo)).toBe(sale.totalFen);
  });

  it('an answer lost before anything happened: not found, closed; the next try gets a new order number and pays', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'lose_answer_before_money' }]);
    const first = await chargeCard(sale);
    expect(first.status).toBe('unknown');
    await later(1_000);
    expect((await api.get<AttemptView>(`/api/attempts/${first.id}`)).body.status).toBe('failed');
    expect((await saleNow(sale.id)).status).toBe('open');
    const second = await chargeCard(sale);
    expect(second.status).toBe('succeeded');
    expect(second.merchantOrderNo).not.toBe(first.merchantOrderNo);
    expect(terminal.moneyMoved(first.merchantOrderNo) + terminal.moneyMoved(second.merchantOrderNo)).toBe(
      sale.totalFen,
    );
  });

  it('never final by the deadline: reversed, nothing kept, the sale open again; the till told to follow it until then', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'in_progress', queries: 1000, outcome: 'approve' }]);
    const attempt = await chargeCard(sale);
    expect(attempt.status).toBe('unknown');
    expect(attempt.checkAgainInMs).toBe(500);
    await later(3_000);
    expect((await api.get<AttemptView>(`/api/attempts/${attempt.id}`)).body.status).toBe('unknown');
    await later(90_000); // past the deadline: reversing
    await later(0); // the reversal itself
    const ended = (await api.get<AttemptView>(`/api/attempts/${attempt.id}`)).body;
    expect(ended.status).toBe('reversed');
    expect(ended.checkAgainInMs).toBeNull();
    expect(terminal.moneyMoved(attempt.merchantOrderNo)).toBe(0);
    expect((await saleNow(sale.id)).status).toBe('open');
  });

  it('a terminal that is offline is found out before anything is sent', async () => {
    const sale = await saleWithItem();
    const before = terminal.ledger().length;
    terminal.script([{ kind: 'offline', requests: 1 }]);
    const attempt = await chargeCard(sale);
    expect(attempt).toMatchObject({ status: 'failed', category: 'network' });
    expect(attempt.history.map((h) => h.event)).toEqual(['created', 'not_sent']);
    expect(terminal.ledger().length).toBe(before);
  });

  it('splits a sale between card and cash: the card part stays paid, cash takes the rest', async () => {
    const sale = await saleWithItem();
    const part = Math.floor(sale.totalFen / 3);
    const attempt = await chargeCard(sale, part);
    expect(attempt.status).toBe('succeeded');
    const open = await saleNow(sale.id);
    expect(open).toMatchObject({ status: 'open', paidFen: part, dueFen: sale.totalFen - part });
    // What was paid stays paid: the sale cannot be voided as if unpaid.
    expect((await api.post(`/api/sales/${sale.id}/void`, { reason: 'x' })).body).toMatchObject({
      code: 'sale_partly_paid',
    });
    const cash = await api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: sale.totalFen - part,
    });
    expect(cash.body).toMatchObject({ status: 'completed', paidFen: sale.totalFen });
  });

  it('only a manager lifts the no-second-charge lock; if the first attempt then turns out paid, it goes to review', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'in_progress', queries: 3, outcome: 'approve' }]);
    const attempt = await chargeCard(sale);
    expect(attempt.status).toBe('unknown');
    expect((await api.post(`/api/sales/${sale.id}/release`, {})).body).toMatchObject({
      code: 'approval_required',
      action: 'second_charge_override',
      minRole: 'manager',
    });
    const grant = await api.post<{ id: string }>('/api/approvals', {
      action: 'second_charge_override',
      saleId: sale.id,
      reason: 'customer must leave; pays cash',
      approver: { staffCode: 'SH01-M1', pin: '4826' },
    });
    expect(
      (await api.post<SaleView>(`/api/sales/${sale.id}/release`, { approvalId: grant.body.id })).body.status,
    ).toBe('open');
    const cash = await api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: sale.totalFen,
    });
    expect(cash.body.status).toBe('completed');
    // The card attempt goes on, and turns out paid: a second charge, so a person must look.
    for (let i = 0; i < 5; i++) await later(3_000);
    const ended = (await api.get<AttemptView>(`/api/attempts/${attempt.id}`)).body;
    expect(ended.status).toBe('needs_review');
    expect(ended.checkAgainInMs).toBe(3000); // a manager's review: the till asks, more slowly
    expect(terminal.moneyMoved(attempt.merchantOrderNo)).toBe(sale.totalFen);
    const events = (
      await api.get<{ events: { action: string }[] }>(`/api/sales/${sale.id}/audit`)
    ).body.events.map((e) => e.action);
    expect(events).toEqual(
      expect.arrayContaining(['approval.used', 'sale.charge_released', 'payment.attempt_conflict']),
    );
  });

  it('voiding a card-paid sale, with a manager’s approval, gives the money back through the terminal — even when its answer is lost', async () => {
    const sale = await saleWithItem();
    const paid = await chargeCard(sale);
    expect(paid.status).toBe('succeeded');
    expect((await api.post(`/api/sales/${sale.id}/void`, { reason: 'returned at once' })).body).toMatchObject(
      {
        code: 'approval_required',
      },
    );
    const grant = await api.post<{ id: string }>('/api/approvals', {
      action: 'void_after_payment',
      saleId: sale.id,
      reason: 'returned at once',
      approver: { staffCode: 'SH01-M1', pin: '4826' },
    });
    // The refund's own answer is lost: it is queried like any attempt, never sent twice.
    terminal.script([{ kind: 'lose_answer_after_money' }]);
    const voided = await api.post<SaleView>(`/api/sales/${sale.id}/void`, {
      reason: 'returned at once',
      approvalId: grant.body.id,
    });
    expect(voided.body.status).toBe('voided');
    await store.payments.scheduler.idle();
    const attempts = (await api.get<{ attempts: AttemptView[] }>(`/api/sales/${sale.id}/attempts`)).body
      .attempts;
    expect(attempts.map((a) => a.status)).toEqual(['succeeded', 'unknown']);
    await later(1_000);
    const after = (await api.get<{ attempts: AttemptView[] }>(`/api/sales/${sale.id}/attempts`)).body
      .attempts;
    expect(after.map((a) => a.status)).toEqual(['succeeded', 'succeeded']);
    expect(terminal.moneyMoved(paid.merchantOrderNo)).toBe(0);
    const final = await saleNow(sale.id);
    expect(final.payments.map((p) => p.amountFen)).toEqual([sale.totalFen, -sale.totalFen]);
    const events = (
      await api.get<{ events: { action: string }[] }>(`/api/sales/${sale.id}/audit`)
    ).body.events.map((e) => e.action);
    expect(events).toEqual(
      expect.arrayContaining(['sale.voided_after_payment', 'payment.refund_started', 'payment.refunded']),
    );
  });

  it('a refund the terminal never processed goes out again under a new number', async () => {
    const sale = await saleWithItem();
    const paid = await chargeCard(sale);
    const grant = await api.post<{ id: string }>('/api/approvals', {
      action: 'void_after_payment',
      saleId: sale.id,
      reason: 'returned',
      approver: { staffCode: 'SH01-M1', pin: '4826' },
    });
    terminal.script([{ kind: 'lose_answer_before_money' }]);
    await api.post(`/api/sales/${sale.id}/void`, { reason: 'returned', approvalId: grant.body.id });
    await store.payments.scheduler.idle();
    await later(1_000); // the query: not found — nothing was given back yet
    await later(0); // the new refund goes out
    const attempts = (await api.get<{ attempts: AttemptView[] }>(`/api/sales/${sale.id}/attempts`)).body
      .attempts;
    expect(attempts.map((a) => a.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(attempts[1]!.merchantOrderNo).not.toBe(attempts[2]!.merchantOrderNo);
    expect(terminal.moneyMoved(paid.merchantOrderNo)).toBe(0);
    expect((await saleNow(sale.id)).payments.reduce((sum, p) => sum + p.amountFen, 0)).toBe(0);
  });

  it('refuses amounts above what is due, and keeps every step in the audit log', async () => {
    const sale = await saleWithItem();
    expect(
      (await api.post(`/api/sales/${sale.id}/payments/card`, { amountFen: sale.totalFen + 1 })).body,
    ).toMatchObject({
      code: 'amount_exceeds_due',
    });
    const attempt = await chargeCard(sale);
    const events = (
      await api.get<{ events: { action: string }[] }>(`/api/sales/${sale.id}/audit`)
    ).body.events.map((e) => e.action);
    expect(events).toEqual(
      expect.arrayContaining([
        'payment.attempt_started',
        'payment.attempt_in_flight',
        'payment.attempt_succeeded',
        'payment.recorded',
        'sale.completed',
      ]),
    );
    expect(attempt.status).toBe('succeeded');
  });
});
