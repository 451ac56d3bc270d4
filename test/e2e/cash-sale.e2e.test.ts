import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaleView } from '../../src/sales';
import type { ApiClient, TestStore } from '../support/store-server';
import { textOf } from './poll-text';
import { findChromium, startBrowserSuite, TillDriver } from './till-driver';

const chromiumPath = findChromium();
if (!chromiumPath)
  console.warn(
    '\n*** No chromium on PATH: the browser (e2e) tests are SKIPPED. Install it: apt-get install -y chromium fonts-wqy-zenhei ***\n',
  );

describe.skipIf(!chromiumPath)('the web till in real Chromium', () => {
  let store: TestStore;
  let browser: Browser;
  let items: { barcode: string; onHand: number; priceFen: number }[];
  let hq: ApiClient;

  beforeAll(async () => {
    ({ store, browser, hq } = await startBrowserSuite(chromiumPath!));
    const pick = async (q: string) =>
      (
        await hq.get<{ variants: { barcode: string; onHand: number; priceFen: number }[] }>(
          `/api/stores/store_sh01/variants?q=${q}&limit=1`,
        )
      ).body.variants[0]!;
    items = [await pick('KN-302'), await pick('JN-601'), await pick('AC-901')];
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await store?.stop();
  });

  it('scans three items, pays cash with change, shows the receipt, and stock goes down', async () => {
    const till = await TillDriver.open(browser, store.url, { lang: 'zh-CN' });
    for (const item of items) await till.scan(item.barcode);
    expect(await till.cartQuantities()).toEqual([1, 1, 1]);
    const totalFen = items.reduce((a, i) => a + i.priceFen, 0);
    expect(await till.total()).toBe(
      `￥${(totalFen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
    );
    await till.screenshot('till-cart-zh');

    // The customer hands over the notes that cover it: change below a ¥100 note.
    const tenderedFen = Math.ceil(totalFen / 10_000) * 10_000;
    await till.page.keyboard.press('F2');
    await till.page
      .getByRole('dialog')
      .getByRole('textbox')
      .fill(String(tenderedFen / 100));
    await till.screenshot('till-cash-dialog-zh');
    await till.page.getByRole('dialog').getByRole('textbox').press('Enter');
    const paid = await till.waitForPaid();
    expect(paid).toContain(
      `￥${((tenderedFen - totalFen) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
    );

    const receipt = await till.receipt();
    const text = await receipt.getByTestId('receipt').textContent();
    expect(text).toContain('销售小票');
    expect(text).toContain('羊绒开衫');
    expect(text).toContain('找零');
    await till.screenshot('till-receipt-zh');

    await till.goToStock();
    for (const item of items) expect(await till.stockOf(item.barcode)).toBe(item.onHand - 1);
    await till.screenshot('stock-after-sale-zh');
    await till.page.context().close();
  });

  it('works in English, with a repeat scan adding to the line', async () => {
    const till = await TillDriver.open(browser, store.url, { lang: 'en', tillId: 'till_sh01_2' });
    await till.scan(items[0]!.barcode);
    await till.scan(items[0]!.barcode);
    expect(await till.cartQuantities()).toEqual([2]);
    await till.search('denim');
    await till.page.getByRole('region', { name: 'Search results' }).getByRole('button').first().waitFor();
    await till.screenshot('till-search-en');
    const added = till.page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith('/lines'),
    );
    await till.page.getByRole('region', { name: 'Search results' }).getByRole('button').first().click();
    await added;
    await till.idle();
    expect(await till.cartQuantities()).toEqual([2, 1]);
    await till.pay('cash');
    expect(await till.waitForPaid()).toMatch(/Paid — give change/);
    const receipt = await till.receipt();
    expect(await receipt.getByTestId('receipt').textContent()).toContain('SALES RECEIPT');
    await till.screenshot('till-receipt-en');
    await till.page.context().close();
  });

  it('tells the cashier in plain words when a barcode is unknown, and nothing is added', async () => {
    const till = await TillDriver.open(browser, store.url, { lang: 'zh-CN', tillId: 'till_sh01_2' });
    await till.scan('1234567890128');
    await expect.poll(() => textOf(till.page.getByRole('alert'))).toContain('条码未找到');
    expect(await till.cartQuantities()).toEqual([]);
    await till.page.context().close();
  });

  it('a double submit of the cash dialog takes one payment', async () => {
    const till = await TillDriver.open(browser, store.url, {
      lang: 'en',
      storeId: 'store_hz01',
      tillId: 'till_hz01_1',
    });
    await till.scan(items[1]!.barcode);
    await till.pay('cash', { doubleSubmit: true });
    await till.waitForPaid();
    const saleId = await till.page.evaluate(() => localStorage.getItem('tillsafe.sale.till_hz01_1'));
    const sale = (await hq.get<SaleView>(`/api/sales/${saleId}`)).body;
    expect(sale.status).toBe('completed');
    expect(sale.payments).toHaveLength(1);
    await till.page.context().close();
  });

  it('a payment whose answer is lost is finished, not repeated, after a reload', async () => {
    const till = await TillDriver.open(browser, store.url, {
      lang: 'zh-CN',
      storeId: 'store_hz01',
      tillId: 'till_hz01_2',
    });
    await till.scan(items[2]!.barcode);
    // The server takes the payment, but the answer never reaches the browser.
    await till.page.route('**/payments/cash', async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    });
    await till.pay('cash');
    await expect.poll(() => textOf(till.page.getByRole('alert'))).toContain('无法连接服务器');
    const pending = await till.page.evaluate(
      () => JSON.parse(localStorage.getItem('tillsafe.outbox.v1') ?? '[]').length,
    );
    expect(pending).toBe(1);
    await till.page.unroute('**/payments/cash');
    await till.page.reload();
    await till.waitForPaid();
    await expect
      .poll(() => textOf(till.page.getByRole('status').first()))
      .toContain('已完成刷新前未完成的 1 个请求');
    const saleId = await till.page.evaluate(() => localStorage.getItem('tillsafe.sale.till_hz01_2'));
    const sale = (await hq.get<SaleView>(`/api/sales/${saleId}`)).body;
    expect(sale.status).toBe('completed');
    expect(sale.payments).toHaveLength(1);
    expect(await till.page.evaluate(() => localStorage.getItem('tillsafe.outbox.v1'))).toBe('[]');
    await till.page.context().close();
  });
});
