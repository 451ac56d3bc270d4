import { describe, expect, it } from 'vitest';
import type { SlipView } from '../../src/exceptions';
import type { ComplaintView, FeedbackView } from '../../src/feedback';
import type { SaleView } from '../../src/sales';
import { OfficeDriver } from './office-driver';
import { textOf } from './poll-text';
import { findChromium, SCREENSHOT_DIR, TillDriver, useBrowserSuite } from './till-driver';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)(
  'follow-ups, proof of payment, feedback and complaints in real Chromium',
  () => {
    const suite = useBrowserSuite(chromiumPath, {
      scheduler: 100,
      itemOf: 'KN-302',
    });

    it('a slip with an e-mail: the customer is notified, reminded; the manager records their proof and the case waits for the statement; a till takes nothing', async () => {
      const till = await TillDriver.open(suite.browser, suite.store.url, {
        lang: 'en',
        tillId: 'till_sh01_1',
      });
      await till.scan(suite.barcode);
      await till.page.keyboard.press('F10');
      const dialog = till.page.getByRole('dialog');
      await dialog.waitFor();
      await till.page.getByTestId('slip-name').fill('Ms Lin');
      await till.page.getByTestId('slip-phone').fill('13800001111');
      await till.page.getByTestId('slip-email').fill('lin@example');
      await expect.poll(() => textOf(dialog)).toContain('Not an e-mail address.');
      await till.page.getByTestId('slip-email').fill('lin@example.com');
      await till.page.getByTestId('slip-reason').fill('Says she paid by bank transfer already');
      await dialog.getByRole('button', { name: 'Issue the slip' }).click();
      await till.page.getByTestId('slip-panel').waitFor();
      const message = (await till.page.getByRole('status').first().textContent()) ?? '';
      const number = /Slip (\S+) issued/.exec(message)![1]!;
      await suite.store.notifier.drain();

      const office = await OfficeDriver.open(suite.browser, suite.store.url, 'en', 'SH01-M1');
      await office.tab(/^Follow-ups$/);
      const row = office.page.getByTestId('follow-up-queue').locator('tr', { hasText: number });
      await row.getByRole('button', { name: 'Open' }).click();
      const detail = office.page.getByTestId('case-detail');
      await detail.waitFor();
      expect(await office.page.getByTestId('case-timeline').textContent()).toContain('Customer notified');
      await office.page.getByTestId('case-reminder').click();
      await expect
        .poll(() => textOf(office.page.getByTestId('case-timeline')))
        .toContain('Payment reminder sent');
      await suite.store.notifier.drain();
      // The screen shows what it last loaded: open the case afresh to see the reminder sent.
      await office.page.reload();
      await office.page.locator('.office nav.tabs').waitFor();
      await office.tab(/^Follow-ups$/);
      await row.getByRole('button', { name: 'Open' }).click();
      await detail.waitFor();
      await expect
        .poll(() => textOf(office.page.getByTestId('case-notifications')))
        .toMatch(/Payment reminder · on this timeline \(no e-mail\) · sent/);

      const form = office.page.getByTestId('manual-confirmation');
      await form.getByLabel('Paid through').selectOption('bank_transfer');
      await office.page.getByTestId('confirm-reference').fill('ICBC 20261201 0042');
      await office.page
        .getByTestId('confirm-evidence')
        .fill('Bank app shows the transfer to the suite.store, same amount');
      await form.getByRole('button', { name: 'Record and wait for the statement' }).click();
      await office.page.getByTestId('case-awaiting-statement').waitFor();
      expect(await office.page.getByTestId('case-confirmations').textContent()).toContain(
        'awaiting the statement',
      );
      await office.screenshot('follow-up-awaiting-statement-en');
      await office.page.context().close();
      expect((await suite.hq.get<SlipView>(`/api/slips/${number}`)).body).toMatchObject({
        caseStatus: 'awaiting_statement',
        sale: { status: 'awaiting_statement' },
      });

      // The customer comes back anyway: the till is told not to take the money.
      const other = await TillDriver.open(suite.browser, suite.store.url, {
        lang: 'en',
        tillId: 'till_sh01_2',
        signInAs: 'SH01-C2',
      });
      await other.scanInput().fill(number);
      await other.scanInput().press('Enter');
      await expect
        .poll(() => textOf(other.page.locator('body')))
        .toContain('waits for the statement. Take no payment');
      await other.screenshot('slip-awaiting-statement-en');
      await other.page.context().close();
      await till.page.context().close();
    });

    it('a customer rates a visit on the e-receipt; the manager opens a complaint from it, gives a coupon and resolves it', async () => {
      const till = await TillDriver.open(suite.browser, suite.store.url, {
        lang: 'zh-CN',
        tillId: 'till_sh01_1',
      });
      await till.scan(suite.barcode);
      const sale = (
        await suite.hq.get<{ sales: SaleView[] }>('/api/stores/store_sh01/sales?status=open&limit=1')
      ).body.sales[0]!;
      await till.pay('cash', { tenderedYuan: String(sale.totalFen / 100) });
      await till.waitForPaid();
      await till.page.context().close();

      const phone = await suite.browser.newContext({
        viewport: { width: 390, height: 844 },
        locale: 'zh-CN',
      });
      const page = await phone.newPage();
      await page.goto(`${suite.store.url}/r/${sale.id}?lang=zh-CN`);
      const panel = page.getByTestId('feedback');
      await panel.waitFor();
      await panel.getByLabel('2 星').check({ force: true });
      await panel.getByRole('textbox').fill('试衣间排队太久，店员没空');
      await page.screenshot({ path: `${SCREENSHOT_DIR}/feedback-on-receipt-zh.png`, fullPage: true });
      await panel.getByRole('button', { name: '提交评价' }).click();
      await expect.poll(() => textOf(page.locator('#feedback-state'))).toContain('谢谢您的评价');
      await phone.close();

      const office = await OfficeDriver.open(suite.browser, suite.store.url, 'zh-CN', 'SH01-M1');
      await office.tab(/^评价与投诉$/);
      const rated = office.page.getByTestId('feedback-list').locator('tr', { hasText: '试衣间排队太久' });
      await rated.getByRole('button', { name: '登记投诉' }).click();
      const draft = office.page.getByTestId('complaint-new');
      await office.page.getByTestId('complaint-name').fill('吴女士');
      await office.page.getByTestId('complaint-description').fill('周六下午试衣间排队二十分钟，无人引导');
      await draft.getByRole('button', { name: '登记投诉' }).click();
      const detail = office.page.getByTestId('complaint-detail');
      await detail.waitFor();
      await office.page.getByTestId('compensation-kind').selectOption('coupon');
      await office.page.getByTestId('compensation-value').fill('20');
      await office.page.getByTestId('compensation-detail').fill('Q-2026-1201-01');
      await detail.getByRole('button', { name: '给予补偿' }).click();
      await expect
        .poll(() => textOf(office.page.getByTestId('complaint-compensations')))
        .toContain('Q-2026-1201-01');
      await office.page.getByTestId('complaint-text').fill('致歉并赠 20 元券，顾客接受');
      await detail.getByRole('button', { name: '结案' }).click();
      await expect.poll(() => textOf(detail)).toContain('致歉并赠 20 元券');
      await office.screenshot('feedback-complaint-resolved-zh');
      await office.page.context().close();

      const fb = (
        await suite.hq.get<{ feedback: FeedbackView[] }>('/api/stores/store_sh01/feedback')
      ).body.feedback.find((f) => f.saleId === sale.id)!;
      expect(fb).toMatchObject({ rating: 2, wantsAttention: true });
      const complaint = (await suite.hq.get<ComplaintView>(`/api/complaints/${fb.complaintId}`)).body;
      expect(complaint).toMatchObject({
        status: 'resolved',
        totalCompensationFen: 2000,
        compensations: [{ kind: 'coupon', detail: 'Q-2026-1201-01' }],
      });
    });
  },
);
