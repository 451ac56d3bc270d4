/**
 * 挂单 at the till in real Chromium: a cashier parks a sale to serve the next customer (its goods
 * set aside), another cashier at another till of the store takes it up from the parked list and is
 * paid there. Screenshots of the parked notice, the list and the sale taken up.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaleView } from '../../src/sales';
import type { ApiClient, TestStore } from '../support/store-server';
import { OfficeDriver } from './office-driver';
import { textOf } from './poll-text';
import { findChromium, startBrowserSuite, stopBrowserSuite, TillDriver } from './till-driver';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('parked sales at the till in real Chromium', () => {
  let store: TestStore;
  let browser: Browser;
  let barcode = '';
  let hq: ApiClient;

  beforeAll(async () => {
    ({ store, browser, hq, barcode } = await startBrowserSuite(chromiumPath!, { itemOf: 'JN-601' }));
  }, 120_000);
  afterAll(() => stopBrowserSuite({ browser, store }));

  it('parks a sale at one till and takes it up at another, where it is paid', async () => {
    const first = await TillDriver.open(browser, store.url, { lang: 'zh-CN', tillId: 'till_sh01_1' });
    await first.scan(barcode);
    await first.scan(barcode);
    const saleId = await first.page.evaluate(() => localStorage.getItem('tillsafe.sale.till_sh01_1'));
    const before = (await hq.get<SaleView>(`/api/sales/${saleId}`)).body;
    await first.page.keyboard.press('F6');
    await expect.poll(() => textOf(first.page.getByRole('status').first())).toContain('已挂单');
    expect(await first.page.getByTestId('cart').count()).toBe(0); // free for the next customer
    await first.screenshot('park-parked-zh');
    expect((await hq.get<SaleView>(`/api/sales/${saleId}`)).body.status).toBe('parked');
    await first.page.context().close();

    // The back office sees it set aside, with who parked it and until when.
    const office = await OfficeDriver.open(browser, store.url, 'zh-CN', 'SH01-M1');
    await office.tab(/^挂单$/);
    const listed = office.page.getByTestId('parked-sales').locator('tr', { hasText: before.number });
    await listed.waitFor();
    expect(await listed.textContent()).toContain('王芳');
    await office.screenshot('park-back-office-zh');
    await office.page.context().close();

    const second = await TillDriver.open(browser, store.url, {
      lang: 'en',
      tillId: 'till_sh01_2',
      signInAs: 'SH01-C2',
    });
    await second.page.keyboard.press('F7');
    const list = second.page.getByTestId('parked-list');
    await list.locator('li').first().waitFor();
    const row = list.locator('li', { hasText: before.number });
    expect(await row.textContent()).toContain('parked by 王芳');
    await second.screenshot('park-list-en');
    await row.getByRole('button', { name: 'Take up here' }).click();
    await second.page.getByTestId('cart').waitFor();
    expect(await second.cartQuantities()).toEqual([2]);
    await second.screenshot('park-taken-up-en');
    await second.pay('cash', { tenderedYuan: String(before.totalFen / 100) });
    await second.waitForPaid();
    const sale = (await hq.get<SaleView>(`/api/sales/${saleId}`)).body;
    expect(sale).toMatchObject({ status: 'completed', tillId: 'till_sh01_2' });
    await second.page.context().close();
  });
});
