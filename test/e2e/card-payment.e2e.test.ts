/**
 * Card payments at the till in real Chromium, against the till's sandbox terminal: a decline for
 * insufficient funds says what to do and cash finishes the sale; an answer lost after the money
 * moved shows "checking with the bank", allows no other charge, and ends paid by itself; an
 * attempt never confirmed is reversed at its deadline and a new card attempt then pays; a customer
 * charged twice is found on the back office's review desk and refunded through the terminal.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptView } from '../../src/payments/attempt-view';
import type { SaleView } from '../../src/sales';
import { type ApiClient, apiClient, type TestStore } from '../support/store-server';
import { OfficeDriver } from './office-driver';
import { textOf } from './poll-text';
import { findChromium, startBrowserSuite, stopBrowserSuite, TillDriver } from './till-driver';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('card payments at the till in real Chromium', () => {
  let store: TestStore;
  let browser: Browser;
  let barcode = '';
  let hq: ApiClient;

  beforeAll(async () => {
    ({ store, browser, hq, barcode } = await startBrowserSuite(chromiumPath!, {
      scheduler: 100,
      itemOf: 'JN-601',
    }));
  }, 120_000);
  afterAll(() => stopBrowserSuite({ browser, store }));

  it('a card declined for insufficient funds: plain words, what to do, and cash in one action', async () => {
    const till = await TillDriver.open(browser, store.url, { lang: 'zh-CN' });
    await till.scan(barcode);
    store.payments.sandboxTerminals.get('till_sh01_1')!.script([{ kind: 'decline', code: '51' }]);
    await till.payByCard();
    const panel = await till.attemptReaches('failed');
    expect(panel).toContain('银行提示此卡余额不足');
    expect(panel).toContain('不要重试此卡');
    await till.screenshot('card-declined-guidance-zh');
    await till.page.getByTestId('attempt-panel').getByRole('button', { name: '现金' }).click();
    const dialog = till.page.getByRole('dialog');
    await dialog.getByRole('button', { name: /刚好|Exact/ }).click();
    await dialog.getByRole('textbox').press('Enter');
    await till.waitForPaid();
    await till.page.context().close();
  });

  it('an answer lost after the money moved: checking with the bank, no second charge, then paid', async () => {
    const till = await TillDriver.open(browser, store.url, {
      lang: 'en',
      tillId: 'till_sh01_2',
      signInAs: 'SH01-C2',
    });
    await till.scan(barcode);
    store.payments.sandboxTerminals.get('till_sh01_2')!.script([{ kind: 'lose_answer_after_money' }]);
    await till.payByCard();
    const checking = await till.attemptReaches('unknown');
    expect(checking).toContain('Checking with the bank');
    expect(checking).toContain('No other charge is possible');
    // Neither cash nor card can be started meanwhile.
    expect(await till.page.getByRole('button', { name: /^Cash/ }).first().isDisabled()).toBe(true);
    expect(await till.page.getByRole('button', { name: /^Card/ }).isDisabled()).toBe(true);
    expect(await till.page.getByRole('button', { name: /^Void sale/ }).isDisabled()).toBe(true);
    expect(await till.page.getByRole('button', { name: /^Sale discount/ }).isDisabled()).toBe(true);
    await till.screenshot('card-checking-with-bank-en');
    store.clock.advance(1_000); // the first query is due
    const paid = await till.attemptReaches('succeeded');
    expect(paid).toContain('Card paid');
    await till.screenshot('card-paid-after-check-en');
    const saleId = await till.page.evaluate(() => localStorage.getItem('tillsafe.sale.till_sh01_2'));
    const sale = (await hq.get<SaleView>(`/api/sales/${saleId}`)).body;
    expect(sale.status).toBe('completed');
    expect(sale.payments).toHaveLength(1);
    await till.page.context().close();
  });

  it('never confirmed by the deadline: reversed by itself, nothing charged, then a new card attempt pays', async () => {
    const till = await TillDriver.open(browser, store.url, { lang: 'zh-CN', tillId: 'till_sh01_1' });
    await till.scan(barcode);
    const terminal = store.payments.sandboxTerminals.get('till_sh01_1')!;
    terminal.script([{ kind: 'in_progress', queries: 10_000, outcome: 'approve' }]);
    await till.payByCard();
    await till.attemptReaches('unknown');
    store.clock.advance(91_000); // past the deadline: the scheduler reverses it
    const reversed = await till.attemptReaches('reversed');
    expect(reversed).toContain('已冲正');
    await till.screenshot('card-reversed-zh');
    // Nothing stayed charged: the server says the same card may go again.
    await till.page.getByTestId('attempt-panel').getByRole('button', { name: '再试一次此卡' }).click();
    await till.page.getByRole('dialog').getByRole('textbox').press('Enter');
    await till.attemptReaches('succeeded');
    const saleId = await till.page.evaluate(() => localStorage.getItem('tillsafe.sale.till_sh01_1'));
    const sale = (await hq.get<SaleView>(`/api/sales/${saleId}`)).body;
    expect(sale.status).toBe('completed');
    const attempts = (
      await hq.get<{ attempts: { status: string; merchantOrderNo: string }[] }>(
        `/api/sales/${saleId}/attempts`,
      )
    ).body.attempts;
    expect(attempts.map((a) => a.status)).toEqual(['reversed', 'succeeded']);
    expect(attempts.reduce((sum, a) => sum + terminal.moneyMoved(a.merchantOrderNo), 0)).toBe(sale.totalFen);
    await till.page.context().close();
  });

  it('charged twice: the manager finds it on the review desk, asks the terminal, and refunds it through the terminal', async () => {
    // At the till (through the API): the card hangs, a manager lifts the lock, the customer pays cash.
    const till = apiClient(store.url);
    await till.signInAtTill('SH01-C1', 'till_sh01_1');
    const terminal = store.payments.sandboxTerminals.get('till_sh01_1')!;
    const opened = (await till.post<SaleView>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' }))
      .body;
    const sale = (await till.post<SaleView>(`/api/sales/${opened.id}/lines`, { barcode })).body;
    terminal.script([{ kind: 'in_progress', queries: 2, outcome: 'approve' }]);
    const card = (
      await till.post<AttemptView>(`/api/sales/${sale.id}/payments/card`, { amountFen: sale.totalFen })
    ).body;
    await expect
      .poll(async () => (await till.get<AttemptView>(`/api/attempts/${card.id}`)).body.status)
      .toBe('unknown');
    const grant = await till.post<{ id: string }>('/api/approvals', {
      action: 'second_charge_override',
      saleId: sale.id,
      reason: '顾客赶时间，改付现金',
      approver: { staffCode: 'SH01-M1', pin: '4826' },
    });
    await till.post(`/api/sales/${sale.id}/release`, { approvalId: grant.body.id });
    await till.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen });
    // The card goes through after all.
    for (
      let i = 0;
      i < 20 && (await till.get<AttemptView>(`/api/attempts/${card.id}`)).body.status !== 'needs_review';
      i++
    ) {
      store.clock.advance(3_000);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect((await till.get<AttemptView>(`/api/attempts/${card.id}`)).body.status).toBe('needs_review');

    const office = await OfficeDriver.open(browser, store.url, 'zh-CN', 'SH01-M1');
    await office.tab(/^支付核查$/);
    const item = office.page.getByTestId('review-card');
    await item.waitFor();
    expect(await item.textContent()).toContain(sale.number);
    expect(await item.textContent()).toContain('顾客可能重复付款');
    await office.screenshot('office-review-desk-zh');
    await item.getByRole('button', { name: '立即向终端查询' }).click();
    const decide = office.page.getByTestId('review-decide');
    await expect.poll(() => textOf(decide)).toContain('终端答复：已扣款');
    // Only the decision that agrees with the terminal is offered.
    expect(await decide.getByRole('button').allTextContents()).toEqual(['退款给顾客']);
    await decide.getByLabel(/原因/).fill('刷卡与现金重复收款，退回刷卡');
    await office.screenshot('office-review-refund-zh');
    await decide.getByRole('button', { name: '退款给顾客' }).click();
    await expect.poll(() => textOf(office.page.locator('section.reviews'))).toContain('已记入审计日志');
    await expect.poll(() => textOf(office.page.locator('section.reviews'))).toContain('没有待核查的支付');

    await expect.poll(() => terminal.moneyMoved(card.merchantOrderNo)).toBe(0);
    const books = (await hq.get<SaleView>(`/api/sales/${sale.id}`)).body;
    expect(books.status).toBe('completed');
    await expect
      .poll(async () => (await hq.get<SaleView>(`/api/sales/${sale.id}`)).body.payments.map((p) => p.status))
      .toEqual(['succeeded', 'duplicate', 'duplicate_refunded']);
    await office.page.context().close();
  });
});
