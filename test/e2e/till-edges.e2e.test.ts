/**
 * The promise at the till's edges, in real Chromium: while the bank checks a card payment the till
 * starts no other sale — F9 and a scan bring the waiting sale back with the server's words and what
 * may be done; a void after a partial complaint refund gives back only the rest, and the till shows
 * each refund as the server recorded it.
 */
import { describe, expect, it } from 'vitest';
import type { ComplaintView } from '../../src/feedback';
import type { SaleView } from '../../src/sales';
import { apiClient } from '../support/store-server';
import { textOf } from './poll-text';
import { findChromium, TillDriver, useBrowserSuite } from './till-driver';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('the till at its edges in real Chromium', () => {
  const suite = useBrowserSuite(chromiumPath, { scheduler: 100, itemOf: 'JN-601' });

  it('while the bank checks, F9 and a scan start no new sale: the waiting sale stays, with what may be done', async () => {
    const till = await TillDriver.open(suite.browser, suite.store.url, {
      lang: 'zh-CN',
      tillId: 'till_sh01_1',
    });
    await till.scan(suite.barcode);
    const terminal = suite.store.payments.sandboxTerminals.get('till_sh01_1')!;
    terminal.script([{ kind: 'in_progress', queries: 10_000, outcome: 'approve' }]);
    await till.payByCard();
    await till.attemptReaches('unknown');
    const waiting = await till.page.evaluate(() => localStorage.getItem('tillsafe.sale.till_sh01_1'));

    // F9: the server says the till is held; the sale and its "checking with the bank" stay.
    await till.page.keyboard.press('F9');
    await expect.poll(() => textOf(till.page.getByRole('alert'))).toContain('切勿再次向顾客收款');
    expect(await textOf(till.page.getByRole('alert'))).toContain('请经理解除锁定');
    await till.attemptReaches('unknown');
    // A scan (the same goods, to sell again for cash) opens nothing either.
    await till.scanInput().pressSequentially(suite.barcode, { delay: 5 });
    await till.scanInput().press('Enter');
    await expect.poll(() => textOf(till.page.getByRole('alert'))).toContain('本收银台仍在等待一笔销售单');
    await till.attemptReaches('unknown');
    expect(await till.page.evaluate(() => localStorage.getItem('tillsafe.sale.till_sh01_1'))).toBe(waiting);
    await till.screenshot('till-held-new-sale-refused-zh');
    // The store has no sale but the waiting one (this suite's first): nothing was opened on the side.
    const opened = (await suite.hq.get<{ sales: { id: string }[] }>('/api/stores/store_sh01/sales')).body
      .sales;
    expect(opened.map((s) => s.id)).toEqual([waiting]);
    // Let the bank's check end (reversed at the deadline), so the till is free for what follows.
    suite.store.clock.advance(91_000);
    await till.attemptReaches('reversed');
    await till.page.context().close();
  });

  it('a void after a partial complaint refund gives back only the rest, and says so', async () => {
    const till = await TillDriver.open(suite.browser, suite.store.url, { lang: 'en', tillId: 'till_sh01_2' });
    await till.scan(suite.barcode);
    await till.payByCard();
    await till.attemptReaches('succeeded');
    const saleId = (await till.page.evaluate(() => localStorage.getItem('tillsafe.sale.till_sh01_2')))!;
    const sale = (await suite.hq.get<SaleView>(`/api/sales/${saleId}`)).body;
    // The customer complained; the manager gave part back through the terminal.
    const manager = apiClient(suite.store.url);
    await manager.signInToBackOffice('SH01-M1');
    const complaint = (
      await manager.post<ComplaintView>('/api/stores/store_sh01/complaints', {
        customerName: 'Ms Chen',
        saleNumber: sale.number,
        description: 'pilling after one wash',
      })
    ).body;
    const part = 5_000;
    const given = await manager.post(`/api/complaints/${complaint.id}/compensations`, {
      kind: 'refund',
      valueFen: part,
      detail: 'quality',
    });
    expect(given.status, JSON.stringify(given.body)).toBe(201);
    await expect
      .poll(async () => (await suite.hq.get<SaleView>(`/api/sales/${saleId}`)).body.payments.length)
      .toBe(2);

    // Then the customer returns the goods: the void, approved by the manager at the till.
    await till.page.reload();
    await till.waitForPaid(); // the paid sale is back on screen before F4 is pressed
    await till.voidSale('returned after the complaint');
    await till.approve('SH01-M1');
    await expect
      .poll(async () =>
        (await suite.hq.get<SaleView>(`/api/sales/${saleId}`)).body.payments.map((p) => p.amountFen),
      )
      .toEqual([sale.totalFen, -part, -(sale.totalFen - part)]);
    await till.page.reload();
    await till.scanInput().waitFor();
    await expect
      .poll(async () => (await till.page.getByTestId('payment-row').allTextContents()).length)
      .toBe(3);
    expect(await till.page.getByTestId('payment-row').allTextContents()).toEqual([
      'Card',
      'Card · refunded',
      'Card · refunded',
    ]);
    expect(await textOf(till.page.locator('.totals'))).toContain(
      `-￥${((sale.totalFen - part) / 100).toFixed(2)}`,
    );
    await till.screenshot('till-void-after-partial-refund-en');
    await till.page.context().close();
  });

  it('a newcomer’s till opens on Shanghai, where the README says to tap 王芳', async () => {
    const context = await suite.browser.newContext({
      viewport: { width: 1366, height: 900 },
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    await page.goto(suite.store.url);
    await page.locator('section.sign-in').waitFor();
    await expect.poll(() => page.getByRole('combobox', { name: '门店' }).inputValue()).toBe('store_sh01');
    await page.locator('section.sign-in').getByRole('button', { name: /^王芳/ }).waitFor();
    await context.close();
  });

  it('guidance shown before a language switch is asked for again in the new language', async () => {
    const till = await TillDriver.open(suite.browser, suite.store.url, {
      lang: 'zh-CN',
      tillId: 'till_sh01_1',
    });
    await till.scan(suite.barcode);
    suite.store.payments.sandboxTerminals.get('till_sh01_1')!.script([{ kind: 'decline', code: '51' }]);
    await till.payByCard();
    expect(await till.attemptReaches('failed')).toContain('银行提示此卡余额不足');
    await till.page.locator('button.lang').click();
    await expect
      .poll(() => textOf(till.page.getByTestId('guidance')))
      .toContain('not enough money on this card');
    expect(await textOf(till.page.getByTestId('guidance'))).not.toContain('余额不足');
    await till.page.context().close();
  });
});
