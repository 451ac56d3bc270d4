/**
 * Returns at the till in real Chromium: a sale of two pieces paid part by card and the rest in
 * cash is found in the sales journal by its number, one piece comes back, the card gives back
 * first through the till's sandbox terminal and the drawer the rest, and the cashier sees each
 * refund's progress. Screenshots of the journal and the return go to docs/screenshots.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaleView } from '../../src/sales';
import type { ApiClient, TestStore } from '../support/store-server';
import { OfficeDriver } from './office-driver';
import { findChromium, startBrowserSuite, stopBrowserSuite, TillDriver } from './till-driver';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('returns at the till in real Chromium', () => {
  let store: TestStore;
  let browser: Browser;
  let barcode = '';
  let hq: ApiClient;

  beforeAll(async () => {
    ({ store, browser, hq, barcode } = await startBrowserSuite(chromiumPath!, {
      scheduler: 100,
      itemOf: 'KN-302',
    }));
  }, 120_000);
  afterAll(() => stopBrowserSuite({ browser, store }));

  it('a partial return of a card + cash sale: found in the journal, the card refunds first, the drawer the rest', async () => {
    const till = await TillDriver.open(browser, store.url, { lang: 'zh-CN' });
    await till.scan(barcode);
    await till.scan(barcode);
    await till.payByCard('100');
    await till.attemptReaches('succeeded');
    await till.page.getByTestId('attempt-panel').getByRole('button', { name: '好' }).click();
    const saleId = await till.page.evaluate(() => localStorage.getItem('tillsafe.sale.till_sh01_1'));
    const part = (await hq.get<SaleView>(`/api/sales/${saleId}`)).body;
    await till.pay('cash', { tenderedYuan: String(part.dueFen / 100) });
    await till.waitForPaid();
    const sale = (await hq.get<SaleView>(`/api/sales/${saleId}`)).body;
    expect(sale.payments.map((p) => p.tender)).toEqual(['card', 'cash']);
    await till.page.getByRole('button', { name: /^(流水|Journal)$/ }).click();
    await till.page.getByTestId('journal-results').waitFor();
    await till.page.getByTestId('journal-code').fill(sale.number);
    await till.page.getByTestId('journal-code').press('Enter');
    const detail = till.page.getByTestId('journal-sale');
    await detail.waitFor();
    await till.screenshot('journal-sale-zh');
    // Its receipt again, from the journal: printed twice, the second copy is marked 重印.
    await detail.locator('summary').click();
    await detail.getByRole('button', { name: '打印小票' }).click();
    await detail.getByRole('button', { name: '重印' }).click();
    const receipt = detail.frameLocator('iframe');
    await expect.poll(async () => (await receipt.locator('body').textContent()) ?? '').toContain('重印');
    await detail.locator('summary').click();
    await detail.getByRole('spinbutton').fill('1');
    const unit = sale.lines[0]!.totalFen / 2;
    await detail.getByTestId('return-submit').click();
    await detail.getByRole('status').waitFor();
    // The card held ¥100.00 of the sale: it gives that back through the terminal, the drawer the rest.
    await detail.locator('[data-testid="return"][data-progress="refunded"]').waitFor({ timeout: 15_000 });
    const refunds = await detail.getByTestId('refund').allTextContents();
    expect(refunds[0]).toContain('银行卡退货');
    expect(refunds[0]).toContain('已退款');
    expect(unit).toBeGreaterThan(10_000); // ¥899 a piece: the card's ¥100 does not cover it
    expect(refunds).toHaveLength(2);
    expect(refunds[1]).toContain('现金');
    await till.screenshot('journal-return-refunded-zh');
    const after = (await hq.get<SaleView>(`/api/sales/${saleId}`)).body;
    expect(after.returnedFen).toBe(unit);
    expect(
      store.payments.sandboxTerminals
        .get('till_sh01_1')!
        .ledger()
        .filter((e) => e.kind === 'refund'),
    ).toHaveLength(1);
    await till.page.context().close();
  });

  it('an exchange of M for L in one step: even, no money moves, both sales settled', async () => {
    const variants = (
      await hq.get<{ variants: { barcode: string; size: string; priceFen: number }[] }>(
        '/api/stores/store_sh01/variants?q=KN-302&limit=50',
      )
    ).body.variants;
    const sold = variants.find((v) => v.barcode === barcode)!;
    const other = variants.find(
      (v) => v.barcode !== barcode && v.priceFen === sold.priceFen && v.size !== sold.size,
    )!;
    const till = await TillDriver.open(browser, store.url, {
      lang: 'zh-CN',
      tillId: 'till_sh01_2',
      signInAs: 'SH01-C2',
    });
    await till.scan(barcode);
    await till.pay('cash');
    await till.waitForPaid();
    const saleId = await till.page.evaluate(() => localStorage.getItem('tillsafe.sale.till_sh01_2'));
    const sale = (await hq.get<SaleView>(`/api/sales/${saleId}`)).body;

    await till.page.getByRole('button', { name: /^(流水|Journal)$/ }).click();
    await till.page.getByTestId('journal-code').fill(sale.number);
    await till.page.getByTestId('journal-code').press('Enter');
    const detail = till.page.getByTestId('journal-sale');
    await detail.waitFor();
    await detail.getByRole('spinbutton').fill('1');
    await detail.getByTestId('exchange-take').fill(other.barcode);
    await detail.getByTestId('exchange-take').press('Enter');
    await detail.getByTestId('exchange-takes').waitFor();
    await detail.getByTestId('exchange-submit').click();
    await expect
      .poll(async () => (await detail.getByRole('status').textContent()) ?? '')
      .toContain('等价交换');
    await till.screenshot('journal-exchange-even-zh');
    const returns = (
      await hq.get<{ returns: { creditFen: number; exchangeSaleId: string; refunds: unknown[] }[] }>(
        `/api/sales/${saleId}/returns`,
      )
    ).body.returns;
    expect(returns).toHaveLength(1);
    expect(returns[0]).toMatchObject({ creditFen: sale.totalFen, refunds: [] });
    const taken = (await hq.get<SaleView>(`/api/sales/${returns[0]!.exchangeSaleId}`)).body;
    expect(taken).toMatchObject({ status: 'completed', totalFen: sale.totalFen });
    expect(taken.lines.map((l) => l.barcode)).toEqual([other.barcode]);
    await till.page.context().close();
  });

  it('the back office finds the same sales in its journal, and looks them up only (returns are at a till)', async () => {
    const office = await OfficeDriver.open(browser, store.url, 'en', 'SH01-M1');
    await office.tab(/^Sales journal$/);
    const results = office.page.getByTestId('journal-results');
    await results.waitFor();
    const first = results.getByRole('button').first();
    await first.click();
    const detail = office.page.getByTestId('journal-sale');
    await detail.waitFor();
    expect(await detail.getByTestId('return-submit').count()).toBe(0);
    await office.page.screenshot({ path: 'docs/screenshots/office-journal-en.png', fullPage: true });
    await office.page.context().close();
  });

  it('head office sets a store’s return terms in the back office, and the store keeps them', async () => {
    const office = await OfficeDriver.open(browser, store.url, 'zh-CN', 'HQ-A1');
    await office.tab(/^角色权限$/);
    const form = office.page.getByTestId('return-terms');
    await form.waitFor();
    await form.getByRole('textbox', { name: '售出后可退换天数' }).fill('15');
    await form.getByRole('button', { name: '保存' }).click();
    await expect
      .poll(async () => (await form.getByRole('status').textContent()) ?? '')
      .toContain('15 天内可退换');
    await office.page.screenshot({ path: 'docs/screenshots/office-return-terms-zh.png', fullPage: true });
    const stores = (
      await hq.get<{ stores: { id: string; returnTerms: { policy: { windowDays: number } } }[] }>(
        '/api/stores',
      )
    ).body.stores;
    expect(stores.find((x) => x.id === 'store_sh01')!.returnTerms.policy.windowDays).toBe(15);
    await office.page.context().close();
  });

  // Last: it changes the store's return terms for the rest of the suite.
  it('a return past Alipay’s refund window: the till says so and, with a manager’s PIN, pays it in cash', async () => {
    const terms = {
      policy: {
        windowDays: 60,
        receiptRequired: true,
        noReceipt: null,
        reasons: ['does_not_fit', 'quality'],
      },
      refunds: { cardRefundWindowDays: 30, alipayRefundWindowMonths: 1 },
    };
    expect((await hq.put('/api/stores/store_sh01/return-terms', terms)).status).toBe(200);
    let till = await TillDriver.open(browser, store.url, { lang: 'zh-CN' });
    await till.scan(barcode);
    await till.scanPaymentCode('281234567890123457');
    await till.waitForPaid();
    const saleId = await till.page.evaluate(() => localStorage.getItem('tillsafe.sale.till_sh01_1'));
    const sale = (await hq.get<SaleView>(`/api/sales/${saleId}`)).body;
    expect(sale.payments.map((p) => p.tender)).toEqual(['alipay']);
    await till.page.context().close();

    // Forty days on: inside the store's sixty, past the Alipay contract's one month.
    store.clock.advance(40 * 86_400_000);
    till = await TillDriver.open(browser, store.url, { lang: 'zh-CN' });
    await till.page.getByRole('button', { name: /^(流水|Journal)$/ }).click();
    await till.page.getByTestId('journal-code').fill(sale.number);
    await till.page.getByTestId('journal-code').press('Enter');
    const detail = till.page.getByTestId('journal-sale');
    await detail.waitFor();
    await detail.getByRole('spinbutton').fill('1');
    await detail.getByTestId('return-submit').click();
    // The dialog says why, in the server's words: Alipay's window has passed.
    await till.approvalDialog().waitFor();
    expect(await till.page.getByTestId('approval-why').textContent()).toContain('支付宝已超退款期限');
    await till.approve('SH01-M1', { before: () => till.screenshot('journal-return-cash-approval-zh') });
    await detail.getByRole('status').waitFor();
    await detail.locator('[data-testid="return"][data-progress="refunded"]').waitFor();
    expect((await detail.getByTestId('refund').allTextContents()).join('|')).toContain(
      '现金（原支付方式无法退款）',
    );
    await till.screenshot('journal-return-alipay-past-window-zh');
    await hq.signInToBackOffice('HQ-A1'); // forty days on: head office signs in again
    const returns = (
      await hq.get<{
        returns: { refunds: { tender: string; operation: string; blocked: string | null }[] }[];
      }>(`/api/sales/${saleId}/returns`)
    ).body.returns;
    expect(returns[0]!.refunds.map((p) => [p.tender, p.operation, p.blocked])).toEqual([
      ['alipay', 'cash_fallback', 'refund_window_passed'],
    ]);
    await till.page.context().close();
  });
});
