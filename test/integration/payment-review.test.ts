/**
 * The review desk through the real server and the till's sandbox terminal (docs/scenarios.md, 14 and the
 * reversal nobody acknowledged): a manager in the back office asks the terminal, sees which
 * decisions agree with its word, and settles the attempt — a double charge refunded through the
 * same terminal, a stuck payment confirmed paid, a refund confirmed done. The terminal's own ledger
 * and the sale's books agree afterwards, and every step is in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptView } from '../../src/payments/attempt-view';
import type { ReviewCheck, ReviewItem } from '../../src/payments/review';
import type { SaleView } from '../../src/sales';
import type { CardTerminalEmulator } from '../../src/sandbox/card-terminal';
import { type CardTill, cardTill } from '../support/card-till';
import { DIALECTS } from '../support/databases';
import { type ApiClient, apiClient, type TestStore } from '../support/store-server';

describe.each(DIALECTS)('the payment review desk on %s', (dialect) => {
  let bed: CardTill;
  let store: TestStore;
  let till: ApiClient;
  let office: ApiClient;
  let terminal: CardTerminalEmulator;

  beforeAll(async () => {
    bed = await cardTill(dialect);
    ({ store, api: till, terminal } = bed);
    office = apiClient(store.url);
    await office.signInToBackOffice('SH01-M1');
  });
  afterAll(async () => store?.stop());

  const saleWithItem = () => bed.saleWithItem();
  const chargeCard = (sale: SaleView) => bed.chargeCard(sale);
  const attemptNow = (id: string) => bed.attemptNow(id);
  const saleNow = (id: string) => bed.saleNow(id);
  const later = (ms: number) => bed.later(ms);
  const reviews = async () =>
    (await office.get<{ reviews: ReviewItem[] }>('/api/stores/store_sh01/payment-reviews')).body.reviews;
  const check = async (attemptId: string) =>
    (await office.post<ReviewCheck>(`/api/attempts/${attemptId}/review/check`)).body;
  const auditOf = async (saleId: string) =>
    (
      await office.get<{ events: { action: string; actorId: string; after: unknown }[] }>(
        `/api/audit?saleId=${saleId}&limit=200`,
      )
    ).body.events;
  const grantRelease = async (saleId: string) =>
    (
      await till.post<{ id: string }>('/api/approvals', {
        action: 'second_charge_override',
        saleId,
        reason: 'customer must leave; pays cash',
        approver: { staffCode: 'SH01-M1', pin: '4826' },
      })
    ).body.id;

  it('14 · charged twice: the manager sees it, the terminal confirms it, and it is refunded through the terminal once', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'in_progress', queries: 3, outcome: 'approve' }]);
    const card = await chargeCard(sale);
    expect(card.status).toBe('unknown');
    // The customer cannot wait: a manager lifts the lock, the customer pays cash.
    await till.post(`/api/sales/${sale.id}/release`, { approvalId: await grantRelease(sale.id) });
    expect(
      (await till.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen })).body
        .status,
    ).toBe('completed');
    for (let i = 0; i < 5; i++) await later(3_000);
    expect((await attemptNow(card.id)).status).toBe('needs_review');
    expect(terminal.moneyMoved(card.merchantOrderNo)).toBe(sale.totalFen);

    // On the desk: the attempt, its sale (paid another way), and why it is here.
    const listed = await reviews();
    const item = listed.find((r) => r.attempt.id === card.id)!;
    expect(item).toMatchObject({
      sale: { id: sale.id, status: 'completed', paidFen: sale.totalFen },
      cause: { meaning: 'conflict' },
    });
    // Asked now, the terminal says paid: the only decision that agrees is to give it back.
    const asked = await check(card.id);
    expect(asked).toMatchObject({ provider: 'paid', options: ['refund'] });
    const keep = await office.post(`/api/attempts/${card.id}/review`, {
      decision: 'confirm_paid',
      reason: 'x',
    });
    expect(keep).toMatchObject({ status: 409, body: { code: 'review_sale_moved_on' } });
    const deny = await office.post(`/api/attempts/${card.id}/review`, {
      decision: 'confirm_not_paid',
      reason: 'x',
    });
    expect(deny).toMatchObject({ status: 409, body: { code: 'review_provider_disagrees' } });
    // A cashier at the till may not decide; nor may the manager without a reason.
    expect(
      (await till.post(`/api/attempts/${card.id}/review`, { decision: 'refund', reason: 'x' })).status,
    ).toBe(403);
    expect((await office.post(`/api/attempts/${card.id}/review`, { decision: 'refund' })).status).toBe(400);

    const key = { 'idempotency-key': `review-${card.id}` };
    const body = { decision: 'refund', reason: 'paid twice: card and cash; card refunded' };
    const decided = await office.post<AttemptView>(`/api/attempts/${card.id}/review`, body, key);
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    expect(decided.body.status).toBe('succeeded');
    const again = await office.post<AttemptView>(`/api/attempts/${card.id}/review`, body, key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(decided.body);
    await store.payments.scheduler.idle();

    const attempts = (await till.get<{ attempts: AttemptView[] }>(`/api/sales/${sale.id}/attempts`)).body
      .attempts;
    expect(attempts.map((a) => [a.status, a.merchantOrderNo.slice(0, 2)])).toEqual([
      ['succeeded', 'TS'],
      ['succeeded', 'RF'],
    ]);
    // The terminal gave it back, once; the sale's books: the cash, and the card in and out again.
    expect(terminal.moneyMoved(card.merchantOrderNo)).toBe(0);
    const books = await saleNow(sale.id);
    expect(books).toMatchObject({ status: 'completed', paidFen: sale.totalFen });
    expect(books.payments.map((p) => [p.tender, p.status, p.amountFen])).toEqual([
      ['cash', 'succeeded', sale.totalFen],
      ['card', 'duplicate', sale.totalFen],
      ['card', 'duplicate_refunded', -sale.totalFen],
    ]);
    const events = await auditOf(sale.id);
    const decision = events.find((e) => e.action === 'payment.review_decided')!;
    expect(decision.actorId).toBe('staff_sh01_manager');
    expect(decision.after).toMatchObject({
      decision: 'refund',
      provider: 'paid',
      decidedBy: { name: '刘洋' },
    });
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'payment.duplicate_recorded',
        'payment.refund_started',
        'payment.duplicate_refunded',
      ]),
    );
    expect((await reviews()).some((r) => r.attempt.id === card.id)).toBe(false);
    // Settled: no second decision, and the receipt shows only what the customer paid for the goods.
    expect(
      (await office.post(`/api/attempts/${card.id}/review`, { decision: 'refund', reason: 'again' })).body,
    ).toMatchObject({ code: 'review_not_pending' });
    const receipt = await till.get<string>(`/api/sales/${sale.id}/receipt.html?lang=en`);
    expect(receipt.body).toContain('Cash');
    expect(receipt.body).not.toContain('Bank card');
  });

  it('a reversal never acknowledged: nothing is decided while the terminal cannot answer; once it does, paid is confirmed and the sale completes', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'in_progress', queries: 3, outcome: 'approve' }]);
    const card = await chargeCard(sale);
    expect(card.status).toBe('unknown');
    // The terminal drops off the network for a long while: no query, no reversal gets through.
    terminal.script([{ kind: 'offline', requests: 70 }]);
    for (let i = 0; i < 60 && (await attemptNow(card.id)).status !== 'needs_review'; i++) await later(3_000);
    const stuck = await attemptNow(card.id);
    expect(stuck.status).toBe('needs_review');
    // The reversal was tried again and again before a person was asked.
    expect(stuck.history.filter((h) => h.from === 'reversing').length).toBeGreaterThanOrEqual(20);
    expect((await saleNow(sale.id)).status).toBe('awaiting_payment');

    const unreachable = await check(card.id);
    expect(unreachable).toMatchObject({ provider: 'unreachable', options: [] });
    expect(
      (
        await office.post(`/api/attempts/${card.id}/review`, {
          decision: 'confirm_not_paid',
          reason: 'guess',
        })
      ).body,
    ).toMatchObject({ code: 'review_provider_unclear' });
    expect((await attemptNow(card.id)).status).toBe('needs_review');

    // Back on the network, the terminal finishes the payment it still held.
    let asked = unreachable;
    for (let i = 0; i < 30 && asked.provider !== 'paid'; i++) asked = await check(card.id);
    expect(asked).toMatchObject({ provider: 'paid', options: ['confirm_paid', 'refund'] });
    const decided = await office.post<AttemptView>(`/api/attempts/${card.id}/review`, {
      decision: 'confirm_paid',
      reason: 'terminal confirms the approval',
    });
    expect(decided.body.status).toBe('succeeded');
    const done = await saleNow(sale.id);
    expect(done).toMatchObject({ status: 'completed', paidFen: sale.totalFen });
    expect(done.payments.map((p) => [p.tender, p.status])).toEqual([['card', 'succeeded']]);
    expect(terminal.moneyMoved(card.merchantOrderNo)).toBe(sale.totalFen);
    expect((await auditOf(sale.id)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['payment.review_decided', 'payment.recorded', 'sale.completed']),
    );
  });

  it('a refund whose answer never came: confirmed done once the terminal says so, and the books net out', async () => {
    const sale = await saleWithItem();
    const paid = await chargeCard(sale);
    const grant = await till.post<{ id: string }>('/api/approvals', {
      action: 'void_after_payment',
      saleId: sale.id,
      reason: 'returned',
      approver: { staffCode: 'SH01-M1', pin: '4826' },
    });
    terminal.script([{ kind: 'lose_answer_after_money' }]);
    await till.post(`/api/sales/${sale.id}/void`, { reason: 'returned', approvalId: grant.body.id });
    await store.payments.scheduler.idle();
    terminal.script([{ kind: 'offline', requests: 30 }]);
    const refundId = (await till.get<{ attempts: AttemptView[] }>(`/api/sales/${sale.id}/attempts`)).body
      .attempts[1]!.id;
    for (let i = 0; i < 40 && (await attemptNow(refundId)).status !== 'needs_review'; i++) await later(3_000);
    expect((await attemptNow(refundId)).status).toBe('needs_review');
    const item = (await reviews()).find((r) => r.attempt.id === refundId)!;
    expect(item.refundOf).toBe(paid.merchantOrderNo);

    let asked = await check(refundId);
    for (let i = 0; i < 30 && asked.provider !== 'paid'; i++) asked = await check(refundId);
    // A refund is never refunded: it is confirmed done (or, had nothing moved, sent again).
    expect(asked).toMatchObject({ provider: 'paid', options: ['confirm_paid'] });
    expect(
      (await office.post(`/api/attempts/${refundId}/review`, { decision: 'refund', reason: 'x' })).body,
    ).toMatchObject({ code: 'review_not_a_payment' });
    const decided = await office.post<AttemptView>(`/api/attempts/${refundId}/review`, {
      decision: 'confirm_paid',
      reason: 'terminal shows the refund',
    });
    expect(decided.body.status).toBe('succeeded');
    expect(terminal.moneyMoved(paid.merchantOrderNo)).toBe(0);
    const books = await saleNow(sale.id);
    expect(books.status).toBe('voided');
    expect(books.payments.reduce((sum, p) => sum + p.amountFen, 0)).toBe(0);
  });

  it('a sale on account (a slip issued while the card was unclear) still takes that card’s money when a manager confirms it: the slip settles', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'in_progress', queries: 3, outcome: 'approve' }]);
    const card = await chargeCard(sale);
    expect(card.status).toBe('unknown');
    terminal.script([{ kind: 'offline', requests: 70 }]);
    const slip = await till.post<{ number: string; attemptPending: boolean }>(`/api/sales/${sale.id}/slip`, {
      reason: '银行确认中',
      customerName: '周先生',
      customerPhone: '13900000000',
      goods: 'taken',
    });
    expect(slip.body.attemptPending).toBe(true);
    for (let i = 0; i < 60 && (await attemptNow(card.id)).status !== 'needs_review'; i++) await later(3_000);
    expect((await attemptNow(card.id)).status).toBe('needs_review');
    let asked = await check(card.id);
    for (let i = 0; i < 40 && asked.provider !== 'paid'; i++) asked = await check(card.id);
    expect(asked).toMatchObject({ provider: 'paid', options: ['confirm_paid', 'refund'] });
    const decided = await office.post<AttemptView>(`/api/attempts/${card.id}/review`, {
      decision: 'confirm_paid',
      reason: 'terminal confirms; the slip is paid by it',
    });
    expect(decided.body.status).toBe('succeeded');
    expect((await saleNow(sale.id)).status).toBe('completed');
    expect((await till.get<{ status: string }>(`/api/slips/${slip.body.number}`)).body.status).toBe(
      'settled',
    );
  });
});
