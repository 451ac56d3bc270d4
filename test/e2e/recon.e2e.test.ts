/**
 * Reconciliation in real Chromium: a customer on account paid the store's own Alipay QR code and
 * showed the manager proof; the accountant uploads the Alipay bill in the back office — the charge
 * the tills never recorded is matched to that proof and the slip settles by itself; a second
 * charge nobody here can place stays open, with the way out (refund at Alipay, then write off).
 * Then the manager closes the till's day and its Z report is kept, and opens the whole store's
 * day. Screenshots: recon-…, dayclose-….
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SlipView } from '../../src/exceptions';
import { formatYuan } from '../../src/kernel';
import { chinaTime } from '../../src/sandbox/http-kit';
import { alipayBillZip, alipayRow } from '../support/statements';
import { OfficeDriver } from './office-driver';
import { textOf } from './poll-text';
import { findChromium, SCREENSHOT_DIR, TillDriver, useBrowserSuite } from './till-driver';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('reconciliation in real Chromium', () => {
  const suite = useBrowserSuite(chromiumPath, {
    scheduler: 100,
    itemOf: 'KN-302',
  });

  it('the Alipay bill holds a charge the tills never recorded: matched to the customer’s proof, the slip settles; one nobody can place stays open', async () => {
    const till = await TillDriver.open(suite.browser, suite.store.url, {
      lang: 'zh-CN',
      tillId: 'till_sh01_1',
    });
    await till.scan(suite.barcode);
    await till.page.keyboard.press('F10');
    const dialog = till.page.getByRole('dialog');
    await dialog.waitFor();
    await till.page.getByTestId('slip-name').fill('孙女士');
    await till.page.getByTestId('slip-phone').fill('13512345678');
    await till.page.getByTestId('slip-reason').fill('顾客说已扫门店收款码付款');
    await dialog.getByRole('radio', { name: '顾客带走' }).check();
    await dialog.getByRole('button', { name: '开出小单' }).click();
    await till.page.getByTestId('slip-panel').waitFor();
    const number = /小单 (\S+) 已开出/.exec(
      (await till.page.getByRole('status').first().textContent()) ?? '',
    )![1]!;
    await till.page.context().close();
    const slip = (await suite.hq.get<SlipView>(`/api/slips/${number}`)).body;

    const office = await OfficeDriver.open(suite.browser, suite.store.url, 'zh-CN', 'SH01-M1');
    await office.tab(/^跟进$/);
    await office.page
      .getByTestId('follow-up-queue')
      .locator('tr', { hasText: number })
      .getByRole('button', { name: '查看' })
      .click();
    const form = office.page.getByTestId('manual-confirmation');
    await form.waitFor();
    await office.page.getByTestId('confirm-reference').fill('2026112322005555');
    await office.page.getByTestId('confirm-evidence').fill('支付宝账单截图：付款给本店收款码');
    const today = chinaTime(suite.store.clock.now().toISOString()).slice(0, 10);
    await form.getByLabel('付款日期').fill(today);
    await form.getByRole('button', { name: '登记并等待对账' }).click();
    await office.page.getByTestId('case-awaiting-statement').waitFor();

    // The next morning's Alipay bill, as downloaded from Alipay.
    const at = chinaTime(suite.store.clock.now().toISOString());
    const bill = alipayBillZip([
      alipayRow('2026112322005555', 'STATIC-QR-01', '交易', formatYuan(slip.dueFen), {
        finished: at,
        terminal: '',
      }),
      alipayRow('2026112322006666', 'STATIC-QR-02', '交易', '57.30', { finished: at, terminal: '' }),
    ]);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tillsafe-e2e-')), '2088_20261123.csv.zip');
    writeFileSync(file, bill);
    await office.tab(/^对账$/);
    await office.page.getByTestId('recon-provider').selectOption('alipay');
    await office.page.getByTestId('recon-file').setInputFiles(file);
    await office.page.getByTestId('recon-import').getByRole('button', { name: '导入' }).click();
    await expect
      .poll(() => textOf(office.page.getByTestId('recon-summary')))
      .toContain('共 2 行（新增 2 行）');
    expect(await office.page.getByTestId('recon-summary').textContent()).toContain('待处理差异 1 条');
    const row = office.page.getByTestId('recon-cases').locator('tr', { hasText: 'STATIC-QR-02' });
    await row.getByRole('button', { name: '查看' }).click();
    await office.page.getByTestId('recon-case').waitFor();
    expect(await office.page.getByTestId('recon-case').textContent()).toContain('有款无单');
    await office.screenshot('recon-charged-not-recorded-zh');

    // The first charge settled the slip by itself.
    expect((await suite.hq.get<SlipView>(`/api/slips/${number}`)).body).toMatchObject({
      status: 'settled',
      caseStatus: 'settled',
    });
    await office.page.getByLabel('显示').selectOption('resolved');
    const settled = office.page.getByTestId('recon-cases').locator('tr', { hasText: 'STATIC-QR-01' });
    await expect.poll(() => textOf(settled)).toContain('已结清：顾客的付款凭证经对账单确认');
    await office.screenshot('recon-slip-settled-zh');

    // The second one: refunded at Alipay's own portal, then written off here.
    await office.page.getByLabel('显示').selectOption('open');
    await office.page
      .getByTestId('recon-cases')
      .locator('tr', { hasText: 'STATIC-QR-02' })
      .getByRole('button', { name: '查看' })
      .click();
    await office.page.getByTestId('recon-reason').fill('非本店顾客误付，已在支付宝商家后台退款');
    await office.page.getByTestId('recon-case').getByRole('button', { name: '核销' }).click();
    await expect.poll(() => textOf(office.page.getByTestId('recon-case'))).toContain('已处理');

    // A settlement file with bad lines is refused whole, each line named in the reader's language.
    const badFile = path.join(path.dirname(file), 'settlement-bad.csv');
    writeFileSync(
      badFile,
      [
        '商户号,终端号,批次号,凭证号,参考号,授权码,卡号,交易类型,交易时间,交易金额,手续费,结算金额,清算日期,商户订单号',
        '898310,T1,000001,000001,ACQ1,1,622202******0128,消费,2026-11-23 10:00:05,899.00,4.50,894.50,2026-11-24,X-1',
        '898310,T1,000001,000002,ACQ2,1,622202******0128,消费,2026-11-23 10:00:05,八百,4.50,894.50,2026-11-24,X-2',
      ].join('\n'),
    );
    await office.page.getByTestId('recon-provider').selectOption('card');
    await office.page.getByTestId('recon-file').setInputFiles(badFile);
    await office.page.getByTestId('recon-import').getByRole('button', { name: '导入' }).click();
    await expect.poll(() => textOf(office.page.getByTestId('recon-summary'))).toContain('文件整体被拒');
    expect(await office.page.getByTestId('recon-summary').textContent()).toContain(
      '第 3 行：交易金额“八百”不是金额',
    );
    await office.screenshot('recon-file-refused-zh');

    // Evening: the manager closes the till's day — the drawer counted (the float, ¥500), the Z report kept.
    await office.tab(/^日结$/);
    await office.page.getByTestId('dayclose-till').selectOption('till_sh01_1');
    await office.page.getByTestId('dayclose-day').fill(today);
    await office.page.getByTestId('dayclose-form').waitFor();
    await office.page.getByTestId('dayclose-count-10000').fill('5');
    await office.page.getByTestId('dayclose-form').getByRole('button', { name: '结账' }).click();
    const report = office.page.getByTestId('dayclose-report');
    await report.waitFor();
    expect(await report.textContent()).toContain('现金相符');
    const frame = await (await report.locator('iframe').elementHandle())!.contentFrame();
    await frame!.getByText('日结报表（Z 报表）').waitFor();
    expect(await frame!.locator('body').textContent()).toContain('支付宝');
    await office.screenshot('dayclose-z-report-zh');
    // The whole store's day: the closed till added up, the one not closed named.
    const [storeReport] = await Promise.all([
      office.page.context().waitForEvent('page'),
      office.page
        .getByTestId('dayclose-store-report')
        .getByRole('link', { name: /全店日结报表/ })
        .click(),
    ]);
    await storeReport.getByText(/全店（\d+ 台收银台）/).waitFor();
    expect(await storeReport.locator('body').textContent()).toContain('尚未日结的收银台');
    await storeReport.screenshot({
      path: path.join(SCREENSHOT_DIR, 'dayclose-store-report-zh.png'),
      fullPage: true,
    });
    await office.page.context().close();
  });
});
