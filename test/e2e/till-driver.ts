/**
 * Drives the web till the way a cashier does, so specs read like a script:
 * `till.scan(code)`, `till.pay('cash', { tenderedYuan })`. Later flows add verbs here.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { demoUser } from '../../src/start';
import { type ApiClient, apiClient, startTestStore, type TestStore } from '../support/store-server';

export const SCREENSHOT_DIR = path.resolve('docs/screenshots');

/** The Debian chromium on PATH, or null (the e2e suite then says so loudly and skips). */
export function findChromium(): string | null {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || null;
    } catch {
      /* try the next name */
    }
  }
  return null;
}

export async function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * What every browser suite starts with: the web app built, a store on its own database serving
 * it, Chromium, and a head-office client to check what the screens did.
 */
export async function startBrowserSuite(
  chromiumPath: string,
  options: { scheduler?: number | null; itemOf?: string } = {},
): Promise<{ store: TestStore; browser: Browser; hq: ApiClient; barcode: string }> {
  const build = spawnSync(process.execPath, ['scripts/build-web.mjs', '--if-stale'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('web build failed');
  const store = await startTestStore('sqlite', {
    webDir: path.resolve('web/dist'),
    scheduler: options.scheduler ?? null,
  });
  const browser = await launchBrowser(chromiumPath);
  const hq = apiClient(store.url);
  await hq.signInToBackOffice('HQ-A1');
  // The barcode of a demo item of that style, for the suite to scan.
  let barcode = '';
  if (options.itemOf) {
    const found = await hq.get<{ variants: { barcode: string }[] }>(
      `/api/stores/store_sh01/variants?q=${encodeURIComponent(options.itemOf)}&limit=1`,
    );
    barcode = found.body.variants[0]!.barcode;
  }
  return { store, browser, hq, barcode };
}

/**
 * A browser suite's setup in one line: the store and Chromium started before its tests and stopped
 * after; the returned object is filled in once they have started.
 */
export function useBrowserSuite(
  chromiumPath: string | null,
  options: { scheduler?: number | null; itemOf?: string } = {},
): { store: TestStore; browser: Browser; hq: ApiClient; barcode: string } {
  const suite = {} as { store: TestStore; browser: Browser; hq: ApiClient; barcode: string };
  beforeAll(async () => {
    if (chromiumPath) Object.assign(suite, await startBrowserSuite(chromiumPath, options));
  }, 120_000);
  afterAll(() => stopBrowserSuite(suite));
  return suite;
}

export async function stopBrowserSuite(suite: { browser?: Browser; store?: TestStore }): Promise<void> {
  await suite.browser?.close();
  await suite.store?.stop();
}

export class TillDriver {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  static async open(
    browser: Browser,
    baseUrl: string,
    options: {
      lang: 'zh-CN' | 'en';
      storeId?: string;
      tillId?: string;
      /** Who signs in at the till (a demo staff code); the store's first cashier by default, null for nobody. */
      signInAs?: string | null;
    },
  ): Promise<TillDriver> {
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      locale: options.lang,
    });
    const page = await context.newPage();
    // Choose store, till and language before the app starts, as a configured till would have them.
    await page.addInitScript(
      ({ lang, storeId, tillId }) => {
        if (!localStorage.getItem('tillsafe.lang')) localStorage.setItem('tillsafe.lang', lang);
        if (storeId && !localStorage.getItem('tillsafe.store'))
          localStorage.setItem('tillsafe.store', storeId);
        if (tillId && !localStorage.getItem('tillsafe.till')) localStorage.setItem('tillsafe.till', tillId);
      },
      {
        lang: options.lang,
        storeId: options.storeId ?? 'store_sh01',
        tillId: options.tillId ?? 'till_sh01_1',
      },
    );
    const till = new TillDriver(page, baseUrl);
    await page.goto(baseUrl);
    const storeCode = (options.storeId ?? 'store_sh01').replace('store_', '').toUpperCase();
    const who = options.signInAs === undefined ? `${storeCode}-C1` : options.signInAs;
    if (who) {
      await till.signIn(who);
      await till.scanInput().waitFor();
    }
    return till;
  }

  /** Taps the person's name on the sign-in screen and types their PIN, as a cashier does. */
  async signIn(staffCode: string): Promise<void> {
    const user = demoUser(staffCode);
    const screen = this.page.locator('section.sign-in');
    await screen.waitFor();
    await screen.getByRole('button', { name: new RegExp(`^${user.name}`) }).click();
    await this.page.getByTestId('pin-input').fill(user.pin ?? '');
    await this.page.getByTestId('pin-input').press('Enter');
    await screen.waitFor({ state: 'detached' });
  }

  /** Who the header says is signed in. */
  async signedInAs(): Promise<string> {
    return (await this.page.getByTestId('signed-in-as').textContent()) ?? '';
  }

  /** The header's "switch cashier", then the next person signs in; the till stays as it was. */
  async switchCashier(staffCode: string): Promise<void> {
    await this.page.getByRole('button', { name: /^(换班|Switch cashier)$/ }).click();
    await this.signIn(staffCode);
  }

  /** Voids the sale on screen (F4, a reason, confirm). After payment the approval dialog opens next. */
  async voidSale(reason: string): Promise<void> {
    await this.page.keyboard.press('F4');
    const dialog = this.page.getByRole('dialog');
    await dialog.getByRole('textbox').fill(reason);
    await dialog.getByRole('textbox').press('Enter');
  }

  approvalDialog() {
    return this.page.getByRole('dialog', { name: /需要批准|Approval needed/ });
  }

  /** In the approval dialog: the approver taps their name and types their PIN (theirs unless given). */
  async approve(
    staffCode: string,
    options: { pin?: string; before?: () => Promise<unknown> } = {},
  ): Promise<void> {
    const dialog = this.approvalDialog();
    await dialog.waitFor();
    const user = demoUser(staffCode);
    await dialog.getByRole('button', { name: new RegExp(`^${user.name}`) }).click();
    await this.page.getByTestId('approver-pin').fill(options.pin ?? user.pin ?? '');
    await options.before?.();
    await this.page.getByTestId('approver-pin').press('Enter');
  }

  scanInput() {
    return this.page.getByTestId('scan-input');
  }

  /** A scanner types the code quickly and presses Enter; waits for the server's answer to be shown. */
  async scan(code: string): Promise<void> {
    await this.scanInput().pressSequentially(code, { delay: 5 });
    const answered = this.page.waitForResponse(
      (r) => r.request().method() === 'POST' && /\/lines$/.test(new URL(r.url()).pathname),
    );
    await this.scanInput().press('Enter');
    await answered;
    await this.idle();
  }

  async search(text: string): Promise<void> {
    await this.scanInput().fill(text);
    await this.scanInput().press('Enter');
  }

  async cartQuantities(): Promise<number[]> {
    return (await this.page.locator('[data-testid="cart-line"] .qty-value').allTextContents()).map(Number);
  }

  async total(): Promise<string> {
    return (await this.page.getByTestId('sale-total').textContent()) ?? '';
  }

  /** Opens the cash dialog with F2, types what the customer hands over, confirms with Enter. */
  /**
   * F2, what the customer hands over, Enter. Without `tenderedYuan`, the notes a customer would
   * hand: the amount due rounded up to the next ¥100 (change of a whole ¥100 note or more needs a
   * supervisor). Returns the yuan tendered.
   */
  async pay(
    tender: 'cash',
    options: { tenderedYuan?: string; doubleSubmit?: boolean } = {},
  ): Promise<string> {
    if (tender !== 'cash') throw new Error(`tender ${tender} not supported yet`);
    await this.page.keyboard.press('F2');
    const dialog = this.page.getByRole('dialog');
    await dialog.waitFor();
    const dueText = (await dialog.getByTestId('cash-due').textContent()) ?? '';
    const dueFen = Math.round(Number(dueText.replace(/[^\d.]/g, '')) * 100);
    const tendered = options.tenderedYuan ?? String(Math.ceil(dueFen / 10_000) * 100);
    await dialog.getByRole('textbox').fill(tendered);
    if (options.doubleSubmit) {
      // Two clicks in the same tick, before the page can re-render: a real double click.
      await dialog
        .getByRole('button', { name: /确认收款|Confirm payment/ })
        .evaluate((button: HTMLElement) => {
          button.click();
          button.click();
        });
    } else {
      await dialog.getByRole('textbox').press('Enter');
    }
    return tendered;
  }

  /** F3, the amount (all that is due unless given), Enter: the terminal takes it from there. */
  async payByCard(amountYuan?: string): Promise<void> {
    await this.page.keyboard.press('F3');
    const dialog = this.page.getByRole('dialog');
    await dialog.waitFor();
    if (amountYuan !== undefined) await dialog.getByRole('textbox').fill(amountYuan);
    await dialog.getByRole('textbox').press('Enter');
    await this.page.getByTestId('attempt-panel').waitFor();
  }

  /** The customer's payment code scanned into the scan field: pays all that is due by that wallet. */
  async scanPaymentCode(code: string): Promise<void> {
    await this.scanInput().pressSequentially(code, { delay: 5 });
    const answered = this.page.waitForResponse(
      (r) => r.request().method() === 'POST' && /\/payments\/wallet$/.test(new URL(r.url()).pathname),
    );
    await this.scanInput().press('Enter');
    await answered;
    await this.page.getByTestId('attempt-panel').waitFor();
  }

  /** F5, the amount (all that is due unless given), then the scanner types the code and Enter. */
  async payByWallet(code: string, amountYuan?: string): Promise<void> {
    await this.page.keyboard.press('F5');
    const dialog = this.page.getByRole('dialog');
    await dialog.waitFor();
    if (amountYuan !== undefined) await dialog.getByRole('textbox').first().fill(amountYuan);
    const field = this.page.getByTestId('wallet-code');
    await field.pressSequentially(code, { delay: 5 });
    await field.press('Enter');
    await this.page.getByTestId('attempt-panel').waitFor();
  }

  /** Waits until the card attempt on screen reaches `status`. */
  async attemptReaches(status: string): Promise<string> {
    const panel = this.page.locator(`[data-testid="attempt-panel"][data-status="${status}"]`);
    await panel.waitFor({ timeout: 15_000 });
    return (await panel.textContent()) ?? '';
  }

  async waitForPaid(): Promise<string> {
    const note = this.page.getByTestId('paid-note');
    await note.waitFor();
    return (await note.textContent()) ?? '';
  }

  async receipt(): Promise<Frame> {
    const handle = await this.page.locator('iframe.receipt-frame').elementHandle();
    const frame = await handle?.contentFrame();
    if (!frame) throw new Error('no receipt frame');
    await frame.getByTestId('receipt').waitFor();
    return frame;
  }

  async goToStock(): Promise<void> {
    await this.page.getByRole('button', { name: /^(库存|Stock)$/ }).click();
    await this.page.getByTestId('stock-search').waitFor();
  }

  async stockOf(barcode: string): Promise<number> {
    await this.page.getByTestId('stock-search').fill(barcode);
    const cell = this.page.getByTestId(`stock-${barcode}`);
    await cell.waitFor();
    await this.page.waitForTimeout(300); // the search is debounced
    return Number(await cell.textContent());
  }

  /** The till shows no request under way (it marks itself data-busy while one is). */
  async idle(): Promise<void> {
    await this.page.locator('.till[data-busy="false"]').waitFor();
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }
}
