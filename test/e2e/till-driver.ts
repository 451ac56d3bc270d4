/**
 * Drives the web till the way a cashier does, so specs read like a script:
 * `till.scan(code)`, `till.pay('cash', { tenderedYuan })`. Later flows add verbs here.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Frame, type Page } from 'playwright-core';

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

export class TillDriver {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  static async open(
    browser: Browser,
    baseUrl: string,
    options: { lang: 'zh-CN' | 'en'; storeId?: string; tillId?: string },
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
    await till.scanInput().waitFor();
    return till;
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
  async pay(tender: 'cash', options: { tenderedYuan: string; doubleSubmit?: boolean }): Promise<void> {
    if (tender !== 'cash') throw new Error(`tender ${tender} not supported yet`);
    await this.page.keyboard.press('F2');
    const dialog = this.page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('textbox').fill(options.tenderedYuan);
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
