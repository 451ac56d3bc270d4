/**
 * 小单 at the till and in the back office, in real Chromium: a card is declined, the customer must
 * fetch money, the cashier issues a slip (goods held) and prints it; the manager finds the case in
 * the follow-up queue and notes the call; the customer comes back to another till, the slip number
 * is scanned and paid in cash — the slip settles. Another slip is cancelled by the manager and its
 * goods go back on sale. Screenshots: slip-…, follow-up-….
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlipView } from '../../src/exceptions';
import type { ApiClient, TestStore } from '../support/store-server';
import { OfficeDriver } from './office-driver';
import { textOf } from './poll-text';
import { findChromium, startBrowserSuite, stopBrowserSuite, TillDriver } from './till-driver';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('provisional slips in real Chromium', () => {
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

  const issueSlipAt = async (till: TillDriver, goods: 'held' | 'taken', who: string) => {
    await till.page.keyboard.press('F10');
    const dialog = till.page.getByRole('dialog');
    await dialog.waitFor();
    await till.page.getByTestId('slip-name').fill(who);
    await till.page.getByTestId('slip-phone').fill('139 0000 1234');
    await till.page.getByTestId('slip-reason').fill('卡余额不足，顾客回家取钱');
    await dialog.getByRole('radio', { name: goods === 'held' ? '门店保管' : '顾客带走' }).check();
    await dialog.getByRole('button', { name: '开出小单' }).click();
    await till.page.getByTestId('slip-panel').waitFor();
    const message = (await till.page.getByRole('status').first().textContent()) ?? '';
    return /小单 (\S+) 已开出/.exec(message)![1]!;
  };

  it('declined card → slip (goods held) printed → in the queue → paid at another till by scanning its number → settled', async () => {
    const till = await TillDriver.open(browser, store.url, { lang: 'zh-CN', tillId: 'till_sh01_1' });
    await till.scan(barcode);
    store.payments.sandboxTerminals.get('till_sh01_1')!.script([{ kind: 'decline', code: '51' }]);
    await till.payByCard();
    await till.attemptReaches('failed');
    const number = await issueSlipAt(till, 'held', '陈女士');
    const frame = await (await till.page
      .locator('[data-testid="slip-panel"] iframe')
      .elementHandle())!.contentFrame();
    await frame!.getByText('小单（未结清）').waitFor();
    expect(await frame!.locator('body').textContent()).toContain('+86139****1234');
    await till.screenshot('slip-issued-zh');
    await till.page.context().close();

    const office = await OfficeDriver.open(browser, store.url, 'zh-CN', 'SH01-M1');
    await office.tab(/^跟进$/);
    const row = office.page.getByTestId('follow-up-queue').locator('tr', { hasText: number });
    await row.waitFor();
    expect(await row.textContent()).toContain('陈女士');
    await row.getByRole('button', { name: '查看' }).click();
    const detail = office.page.getByTestId('case-detail');
    await detail.waitFor();
    expect(await detail.textContent()).toContain('+8613900001234');
    await office.page.getByTestId('case-note').fill('已电话联系，下午来付款');
    await detail.getByRole('button', { name: '已联系顾客' }).click();
    await expect.poll(() => textOf(office.page.getByTestId('case-timeline'))).toContain('下午来付款');
    await office.screenshot('follow-up-queue-zh');
    await office.page.context().close();

    const other = await TillDriver.open(browser, store.url, {
      lang: 'en',
      tillId: 'till_sh01_2',
      signInAs: 'SH01-C2',
    });
    await other.scanInput().fill(number);
    await other.scanInput().press('Enter');
    await expect
      .poll(() => textOf(other.page.getByRole('status').first()))
      .toContain(`Slip ${number} taken up`);
    await other.page.getByTestId('cart').waitFor();
    await other.screenshot('slip-taken-up-en');
    const slip = (await hq.get<SlipView>(`/api/slips/${number}`)).body;
    await other.pay('cash', { tenderedYuan: String(slip.dueFen / 100) });
    await other.waitForPaid();
    const after = (await hq.get<SlipView>(`/api/slips/${number}`)).body;
    expect(after).toMatchObject({ status: 'settled', caseStatus: 'settled' });
    await other.page.context().close();
  });

  it('a slip the customer never came back for: the manager cancels it and its goods go back on sale', async () => {
    const till = await TillDriver.open(browser, store.url, { lang: 'zh-CN', tillId: 'till_sh01_1' });
    await till.scan(barcode);
    const number = await issueSlipAt(till, 'held', '王先生');
    await till.page.context().close();
    const office = await OfficeDriver.open(browser, store.url, 'zh-CN', 'SH01-M1');
    await office.tab(/^跟进$/);
    const row = office.page.getByTestId('follow-up-queue').locator('tr', { hasText: number });
    await row.getByRole('button', { name: '查看' }).click();
    await office.page.getByTestId('case-note').fill('三天未联系上，取消');
    await office.page.getByTestId('case-detail').getByRole('button', { name: '取消：商品退回可售' }).click();
    await expect.poll(() => textOf(office.page.getByTestId('case-detail'))).toContain('已取消（已退回库存）');
    await office.screenshot('follow-up-cancelled-zh');
    const slip = (await hq.get<SlipView>(`/api/slips/${number}`)).body;
    expect(slip).toMatchObject({ status: 'cancelled', sale: { status: 'voided' } });
    await office.page.context().close();
  });

  it('a slip paid by the customer on its own page (the QR code), through the wallet sandbox: settled', async () => {
    const till = await TillDriver.open(browser, store.url, { lang: 'zh-CN', tillId: 'till_sh01_1' });
    await till.scan(barcode);
    store.payments.sandboxTerminals.get('till_sh01_1')!.script([{ kind: 'decline', code: '51' }]);
    await till.payByCard();
    await till.attemptReaches('failed');
    const number = await issueSlipAt(till, 'taken', '赵女士');
    await till.page.context().close();
    const slip = (await hq.get<SlipView>(`/api/slips/${number}`)).body;

    // On the customer's phone: the slip's QR code opens its page, in their language.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en' });
    const page = await phone.newPage();
    await page.goto(`${store.url}/pay/${slip.payToken}?lang=en`);
    await page.getByTestId('pay-later').waitFor();
    await page.getByRole('button', { name: /with WeChat Pay \(sandbox\)/ }).click();
    await expect
      .poll(() => textOf(page.locator('#pay-state')), { timeout: 15_000 })
      .toContain('Paid — thank you');
    await page.screenshot({ path: 'docs/screenshots/slip-paid-on-page-en.png', fullPage: true });
    await phone.close();
    expect((await hq.get<SlipView>(`/api/slips/${number}`)).body).toMatchObject({
      status: 'settled',
      caseStatus: 'settled',
    });
  });
});
