/** Drives the back office the way a manager does: sign in with a password, search the audit log, open the tabs. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { demoUser } from '../../src/start';
import { SCREENSHOT_DIR } from './till-driver';

export class OfficeDriver {
  constructor(readonly page: Page) {}

  static async open(
    browser: Browser,
    baseUrl: string,
    lang: 'zh-CN' | 'en',
    staffCode: string,
  ): Promise<OfficeDriver> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: lang });
    const page = await context.newPage();
    await page.addInitScript((l) => localStorage.setItem('tillsafe.lang', l), lang);
    await page.goto(`${baseUrl}/#office`);
    const office = new OfficeDriver(page);
    await office.signIn(staffCode);
    return office;
  }

  async signIn(staffCode: string, password = demoUser(staffCode).password ?? ''): Promise<void> {
    const form = this.page.locator('section.sign-in.office');
    await form.waitFor();
    await form.getByRole('textbox', { name: /员工编号|Staff code/ }).fill(staffCode);
    await form.getByLabel(/^(密码|Password)$/).fill(password);
    await form.getByLabel(/^(密码|Password)$/).press('Enter');
    await this.page.locator('.office nav.tabs').waitFor();
  }

  async tab(name: RegExp): Promise<void> {
    await this.page.locator('nav.tabs').getByRole('button', { name }).click();
  }

  /** Fills the audit filters given and searches; returns the result rows' text. */
  async searchAudit(filters: { actor?: string; action?: string; sale?: string }): Promise<string[]> {
    const form = this.page.locator('section.audit form');
    if (filters.actor !== undefined) await form.getByLabel(/操作人|Who/).fill(filters.actor);
    if (filters.action !== undefined) await form.getByLabel(/^(操作|Action)$/).fill(filters.action);
    if (filters.sale !== undefined) await form.getByLabel(/销售单|Sale/).fill(filters.sale);
    const answered = this.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/audit');
    await form.getByRole('button', { name: /^(查询|Search)$/ }).click();
    await answered;
    const rows = this.page.locator('[data-testid="audit-results"] tbody tr');
    await rows.first().waitFor();
    return rows.allTextContents();
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }
}
