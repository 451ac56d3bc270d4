/**
 * Staff at the till and in the back office, in real Chromium: a cashier signs in with a PIN and
 * hands the till over to another; a paid sale is voided only once a manager types their PIN; the
 * back office finds it all in the audit log. Screenshots of each key screen go to docs/screenshots.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaleView } from '../../src/sales';
import type { ApiClient, TestStore } from '../support/store-server';
import { OfficeDriver } from './office-driver';
import { textOf } from './poll-text';
import { findChromium, startBrowserSuite, TillDriver } from './till-driver';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath)('staff, approvals and the audit log in real Chromium', () => {
  let store: TestStore;
  let browser: Browser;
  let barcode = '';
  let hq: ApiClient;
  let voidedSale: SaleView | null = null;

  beforeAll(async () => {
    ({ store, browser, hq } = await startBrowserSuite(chromiumPath!));
    const found = await hq.get<{ variants: { barcode: string }[] }>(
      '/api/stores/store_sh01/variants?q=KN-302&limit=1',
    );
    barcode = found.body.variants[0]!.barcode;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await store?.stop();
  });

  it('signs a cashier in with a PIN, refuses a wrong one, and switches cashier without closing the till', async () => {
    const till = await TillDriver.open(browser, store.url, { lang: 'zh-CN', signInAs: null });
    await till.page.locator('section.sign-in').waitFor();
    await till.screenshot('till-sign-in-zh');
    // A wrong PIN: a clear message, still on the sign-in screen.
    await till.page.getByRole('button', { name: /^王芳/ }).click();
    await till.page.getByTestId('pin-input').fill('9999');
    await till.page.getByTestId('pin-input').press('Enter');
    await expect.poll(() => textOf(till.page.getByRole('alert'))).toContain('员工编号、PIN 或密码错误');
    await till.signIn('SH01-C1');
    expect(await till.signedInAs()).toContain('王芳');

    await till.scan(barcode);
    await till.pay('cash');
    await till.waitForPaid();
    await till.switchCashier('SH01-C2');
    expect(await till.signedInAs()).toContain('张伟');
    // The paid sale is still on screen after the handover.
    await till.page.getByTestId('paid-note').waitFor();
    await till.screenshot('till-cashier-switched-zh');
    await till.page.context().close();
  });

  it('voids a paid sale only after a manager types their PIN, and says so', async () => {
    const till = await TillDriver.open(browser, store.url, {
      lang: 'en',
      tillId: 'till_sh01_2',
      signInAs: 'SH01-C2',
    });
    await till.scan(barcode);
    await till.pay('cash');
    await till.waitForPaid();
    await till.voidSale('Wrong size, customer returns it at once');
    // The cashier is not offered as their own approver; a supervisor is not enough for this.
    const dialog = till.approvalDialog();
    await dialog.waitFor();
    // The approvers load after the dialog opens.
    await dialog.locator('fieldset.approvers button').first().waitFor();
    const offered = await dialog.locator('fieldset.approvers button').allTextContents();
    expect(offered.join('|')).toContain('刘洋');
    expect(offered.join('|')).not.toContain('张伟');
    expect(offered.join('|')).not.toContain('陈静');
    await till.approve('SH01-M1', { pin: '0000' });
    await expect.poll(() => textOf(dialog.getByRole('alert'))).toContain('Wrong staff code, PIN or password');
    await till.approve('SH01-M1', { before: () => till.screenshot('till-approval-manager-pin-en') });
    await till.page.locator('.badge.void').waitFor();
    await till.screenshot('till-voided-after-payment-en');

    const saleId = await till.page.evaluate(() => localStorage.getItem('tillsafe.sale.till_sh01_2'));
    const sale = (await hq.get<SaleView>(`/api/sales/${saleId}`)).body;
    expect(sale.status).toBe('voided');
    expect(sale.payments.map((p) => p.amountFen)).toEqual([sale.totalFen, -sale.totalFen]);
    voidedSale = sale;
    await till.page.context().close();
  });

  it('a void sent to the back office: the till waits at the server’s pace and goes on once it is granted', async () => {
    const till = await TillDriver.open(browser, store.url, { lang: 'zh-CN', signInAs: 'SH01-C1' });
    await till.scan(barcode);
    await till.pay('cash');
    await till.waitForPaid();
    await till.voidSale('顾客当场退货');
    const dialog = till.approvalDialog();
    await dialog.locator('fieldset.approvers button').first().waitFor();
    await dialog.getByRole('button', { name: '请后台批准' }).click();
    await expect.poll(() => textOf(dialog)).toContain('等待后台批准');
    await till.screenshot('till-approval-waiting-zh');
    const pending = await hq.get<{ approvals: { id: string; reason: string }[] }>(
      '/api/stores/store_sh01/approvals?status=pending',
    );
    const request = pending.body.approvals.find((a) => a.reason === '顾客当场退货');
    expect(request).toBeDefined();
    expect((await hq.post(`/api/approvals/${request!.id}/grant`)).status).toBe(200);
    // The dialog was asking every two seconds, as the request's answer said: it sees the grant.
    await till.page.locator('.badge.void').waitFor({ timeout: 10_000 });
    expect(await dialog.count()).toBe(0);
    await till.page.context().close();
  });

  it('finds the void, both names and the reason in the back office’s audit search', async () => {
    expect(voidedSale).not.toBeNull();
    const office = await OfficeDriver.open(browser, store.url, 'zh-CN', 'SH01-M1');
    const rows = await office.searchAudit({ action: 'approval.', sale: voidedSale!.number });
    const text = rows.join('\n');
    expect(text).toContain('approval.used');
    expect(text).toContain('approval.granted');
    expect(text).toContain('刘洋');
    expect(text).toContain('张伟');
    expect(text).toContain('Wrong size, customer returns it at once');
    await office.screenshot('office-audit-search-zh');
    // Sign-in failures are there too, by person.
    const failures = await office.searchAudit({ action: 'session.sign_in_failed', sale: '' });
    expect(failures.length).toBeGreaterThanOrEqual(2);
    await office.page.getByRole('button', { name: '校验审计链' }).click();
    await expect.poll(() => textOf(office.page.getByTestId('chain-verdict'))).toContain('审计链完整');

    await office.tab(/^员工$/);
    await office.page.getByTestId('staff-list').waitFor();
    await office.screenshot('office-staff-zh');
    await office.tab(/^角色权限$/);
    await office.page.getByTestId('route-matrix').locator('tbody tr').first().waitFor();
    await office.screenshot('office-roles-zh');
    await office.page.context().close();
  });
});
