/**
 * QR wallet payments at the till in real Chromium, against the sandbox Alipay and WeChat Pay: the
 * customer's Alipay code scanned into the scan field, "waiting for the customer to confirm on the
 * phone", then paid; a WeChat payment never confirmed, cancelled at WeChat, then cash; an expired
 * code refreshed and scanned again; a split between a wallet and cash. Screenshots of each.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaleView } from '../../src/sales';
import type { ApiClient, TestStore } from '../support/store-server';
import { findChromium, startBrowserSuite, stopBrowserSuite, TillDriver } from './till-driver';

const chromiumPath = findChromium();
const ALIPAY_CODE = '281234567890123456';
const WECHAT_CODE = '134567890123456789';

describe.skipIf(!chromiumPath)('QR wallet payments at the till in real Chromium', () => {
  let store: TestStore;
  let browser: Browser;
  let barcode = '';
  let hq: ApiClient;

  beforeAll(async () => {
    ({ store, browser, hq, barcode } = await startBrowserSuite(chromiumPath!, {
      scheduler: 100,
      itemOf: 'KN-301',
    }));
  }, 120_000);
  afterAll(() => stopBrowserSuite({ browser, store }));

  const saleOnScreen = async (till: TillDriver, tillId: string) => {
    const saleId = await till.page.evaluate((t) => localStorage.getItem(`tillsafe.sale.${t}`), tillId);
    return (await hq.get<SaleView>(`/api/sales/${saleId}`)).body;
  };

  it('Alipay: the code scanned into the scan field, the customer confirms on the phone, then paid', async () => {
    const till = await TillDriver.open(browser, store.url, { lang: 'zh-CN' });
    await till.scan(barcode);
    store.payments.sandboxWallets.alipay!.script([{ kind: 'wait_buyer', ms: 6_000 }]);
    await till.scanPaymentCode(ALIPAY_CODE);
    const waiting = await till.attemptReaches('unknown');
    expect(waiting).toContain('等待顾客在手机上确认支付');
    expect(waiting).toContain('支付宝');
    expect(await till.page.getByRole('button', { name: /^现金/ }).first().isDisabled()).toBe(true);
    await till.screenshot('wallet-waiting-for-customer-zh');
    store.clock.advance(7_000); // the customer has confirmed; the next query finds it paid
    const paid = await till.attemptReaches('succeeded');
    expect(paid).toContain('支付宝支付成功');
    await till.waitForPaid();
    await till.screenshot('wallet-alipay-paid-zh');
    const sale = await saleOnScreen(till, 'till_sh01_1');
    expect(sale.status).toBe('completed');
    expect(sale.payments.map((p) => p.tender)).toEqual(['alipay']);
    await till.page.context().close();
  });

  it('WeChat Pay never confirmed: cancelled at WeChat by itself, nothing charged, then cash', async () => {
    const till = await TillDriver.open(browser, store.url, {
      lang: 'en',
      tillId: 'till_sh01_2',
      signInAs: 'SH01-C2',
    });
    await till.scan(barcode);
    const wechat = store.payments.sandboxWallets.wechat!;
    wechat.script([{ kind: 'user_paying' }]);
    await till.payByWallet(WECHAT_CODE);
    const waiting = await till.attemptReaches('unknown');
    expect(waiting).toContain('Waiting for the customer to confirm on the phone');
    store.clock.advance(31_000); // past WeChat's 30 s: reversed
    const reversed = await till.attemptReaches('reversed');
    expect(reversed).toContain('Cancelled at WeChat Pay: nothing charged');
    await till.screenshot('wallet-wechat-reversed-en');
    await till.page.getByTestId('attempt-panel').getByRole('button', { name: 'Cash' }).click();
    const dialog = till.page.getByRole('dialog');
    await dialog.getByRole('button', { name: /Exact/ }).click();
    await dialog.getByRole('textbox').press('Enter');
    await till.waitForPaid();
    const sale = await saleOnScreen(till, 'till_sh01_2');
    expect(sale.payments.map((p) => p.tender)).toEqual(['cash']);
    const attempts = (
      await hq.get<{ attempts: { merchantOrderNo: string; status: string }[] }>(
        `/api/sales/${sale.id}/attempts`,
      )
    ).body.attempts;
    expect(attempts.map((a) => a.status)).toEqual(['reversed']);
    expect(wechat.moneyMoved(attempts[0]!.merchantOrderNo)).toBe(0);
    await till.page.context().close();
  });

  it('an expired code: refresh and scan again in one action; then a split — part by WeChat Pay, the rest cash', async () => {
    const till = await TillDriver.open(browser, store.url, { lang: 'zh-CN' });
    await till.scan(barcode);
    await till.scan(barcode);
    const wechat = store.payments.sandboxWallets.wechat!;
    wechat.script([{ kind: 'decline', errCode: 'AUTHCODEEXPIRE' }]);
    await till.payByWallet(WECHAT_CODE, '100');
    const failed = await till.attemptReaches('failed');
    expect(failed).toContain('付款码已过期或无效');
    await till.screenshot('wallet-code-expired-zh');
    await till.page
      .getByTestId('attempt-panel')
      .getByRole('button', { name: '刷新付款码后重新扫码' })
      .click();
    const field = till.page.getByTestId('wallet-code');
    await field.pressSequentially('134567890123450000', { delay: 5 });
    await field.press('Enter');
    await till.attemptReaches('succeeded');
    const part = await saleOnScreen(till, 'till_sh01_1');
    expect(part).toMatchObject({ status: 'open', paidFen: 10_000 });
    await till.page.getByTestId('attempt-panel').getByRole('button', { name: '好' }).click();
    await till.pay('cash', { tenderedYuan: String(part.dueFen / 100) });
    await till.waitForPaid();
    const sale = await saleOnScreen(till, 'till_sh01_1');
    expect(sale.status).toBe('completed');
    expect(sale.payments.map((p) => [p.tender, p.amountFen])).toEqual([
      ['wechat', 10_000],
      ['cash', sale.totalFen - 10_000],
    ]);
    await till.page.context().close();
  });
});
