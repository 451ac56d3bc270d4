/**
 * No card number is ever stored or logged. Realistic card numbers are typed everywhere a person
 * can type — staff-code and password fields, the search box, the scan field, void and approval
 * reasons, stock notes, staff names, audit searches, even an idempotency key — through the real
 * server process with request logging on. Then the database files (raw bytes), every text value
 * of every table, and the log are scanned for any Luhn-valid run of 13–19 digits.
 *
 * And through the card path itself: checkouts paid by card at the till's sandbox terminal with
 * each of those numbers on the reader — approved, declined, and with the answer lost and found.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db';
import { luhnValid } from '../../src/kernel';
import {
  type CardHit,
  containsDigits,
  filesContaining,
  panHitsIn,
  scanFiles,
  scanTables,
} from '../support/card-scan';
import { DIALECTS, freshDatabase, type TestDatabase } from '../support/databases';
import { type ServeProcess, startServeProcess } from '../support/processes';
import { apiClient } from '../support/store-server';

/** A Luhn check digit for a body of digits. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${body}${d}`)) return `${body}${d}`;
  throw new Error('unreachable');
}

// Test numbers of the schemes a Chinese store sees, as a cashier might type them.
const CARDS = {
  visa: '4111 1111 1111 1111',
  mastercard: '5555-5555-5555-4444',
  amex: '378282246310005',
  unionpay16: withCheckDigit('622202100011221'),
  unionpay19: withCheckDigit('621700009876543210'),
  jcb: '3530111333300000',
};

/** The sandbox Alipay's customer code, as the scanner types it. */
const WALLET_CODE = '281234567890123456';

describe('the card-number scanner can find what it looks for', () => {
  it('flags a typed card number and ignores barcodes, timestamps and tokens', () => {
    const barcodes = new Set(['6901230000010']);
    expect(panHitsIn(`reason: ${CARDS.visa}.`, 'x', barcodes)).toHaveLength(1);
    expect(panHitsIn(`"${CARDS.unionpay19}"`, 'x', barcodes)).toHaveLength(1);
    const timestamp = withCheckDigit('176386320000'); // Luhn-valid on purpose
    expect(
      panHitsIn(`barcode 6901230000010 time ${timestamp} took 41.873726000000031`, 'x', barcodes),
    ).toEqual([]);
  });

  it('finds one in raw bytes between binary record headers, but not a hash', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'card-scan-'));
    try {
      const hash = 'a3f1c0ffee41111111111111111deadbeefcafe0123456789abcdef01234567';
      writeFileSync(path.join(dir, 'clean'), Buffer.concat([Buffer.from([0, 7, 0x27]), Buffer.from(hash)]));
      expect(scanFiles(dir, new Set())).toEqual([]);
      writeFileSync(
        path.join(dir, 'leak'),
        Buffer.concat([Buffer.from([0, 7, 0x27]), Buffer.from(`"${CARDS.unionpay19}"`)]),
      );
      expect(scanFiles(dir, new Set()).map((h) => h.digits)).toEqual([CARDS.unionpay19]);
      // Glued to a neighbouring value's letters, only the search for the number itself finds it.
      writeFileSync(path.join(dir, 'glued'), Buffer.from(`void${CARDS.amex}x`));
      expect(filesContaining(dir, CARDS.amex)).toEqual(['glued']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(DIALECTS)('no card number is stored or logged on %s', (dialect) => {
  let db: TestDatabase;
  let server: ServeProcess;
  let barcodes: Set<string>;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    server = await startServeProcess(db, { TILLSAFE_LOG: 'true', TILLSAFE_SANDBOX_DELAY_MS: '0' });
    const { url } = server;
    const till = apiClient(url);
    const office = apiClient(url);
    const stranger = apiClient(url);

    // Sign-in fields.
    await stranger.post('/api/session/pin', {
      storeId: 'store_sh01',
      tillId: 'till_sh01_1',
      staffCode: CARDS.visa.replace(/ /g, ''),
      pin: '4111',
    });
    await stranger.post('/api/session/password', { staffCode: CARDS.mastercard, password: CARDS.amex });

    await till.signInAtTill('SH01-C1');
    await office.signInToBackOffice('SH01-M1');
    const found = await till.get<{ variants: { barcode: string }[] }>(
      `/api/stores/store_sh01/variants?q=KN-301`,
    );
    const barcode = found.body.variants[0]!.barcode;

    // The search box and the scan field.
    await till.get(`/api/stores/store_sh01/variants?q=${encodeURIComponent(CARDS.visa)}`);
    await till.get(`/api/stores/store_sh01/variants/by-barcode/${CARDS.unionpay16}`);
    const sale = (await till.post<{ id: string }>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' }))
      .body;
    const scan = await till.post(
      `/api/sales/${sale.id}/lines`,
      { barcode: CARDS.unionpay19 },
      { 'idempotency-key': 'scan-1' },
    );
    expect(scan.status).toBe(404);
    // An idempotency key is stored: one holding a card number is refused.
    const key = await till.post(`/api/sales/${sale.id}/lines`, { barcode }, { 'idempotency-key': CARDS.jcb });
    expect(key.body).toMatchObject({ code: 'idempotency_key_invalid' });

    // Reasons and notes.
    await till.post(`/api/sales/${sale.id}/lines`, { barcode });
    const voided = await till.post<{ voidReason?: string }>(`/api/sales/${sale.id}/void`, {
      reason: `customer paid by card ${CARDS.visa} instead`,
    });
    expect(voided.status).toBe(200);
    const asked = await till.post<{ reason: string }>('/api/approvals', {
      action: 'refund',
      reason: `refund to ${CARDS.mastercard}`,
    });
    expect(asked.body.reason).toBe('refund to ************4444');
    const variant = (
      await till.get<{ variants: { id: string }[] }>(`/api/stores/store_sh01/variants?q=${barcode}`)
    ).body.variants[0]!;
    const moved = await office.post('/api/stores/store_sh01/stock/movements', {
      variantId: variant.id,
      kind: 'receive',
      qty: 1,
      note: `paid supplier with ${CARDS.amex}`,
    });
    expect(moved.status).toBe(201);
    const staff = await office.post('/api/stores/store_sh01/staff', {
      code: 'SH01-T1',
      name: `临时 ${CARDS.unionpay16}`,
      role: 'cashier',
    });
    expect(staff.status).toBe(201);
    // The audit search's fields (they reach the request log as the URL).
    await office.get(
      `/api/audit?storeId=store_sh01&actor=${encodeURIComponent(CARDS.visa)}&action=${CARDS.unionpay19}`,
    );

    // Card checkouts: each realistic number on the sandbox terminal's reader, paid through the card path.
    const terminalUrl = /Card terminal of till_sh01_1: SANDBOX[^\n]*?(http:\/\/[\d.:]+)/.exec(
      server.output(),
    )?.[1];
    expect(terminalUrl, server.output()).toBeDefined();
    const control = (path: string, body: unknown) =>
      fetch(`${terminalUrl}/control/${path}`, { method: 'POST', body: JSON.stringify(body) });
    const cardCheckout = async (pan: string, fault?: unknown) => {
      await control('card', { pan: pan.replace(/[ -]/g, ''), brand: 'test' });
      if (fault) await control('script', { faults: [fault] });
      const s = (await till.post<{ id: string }>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' }))
        .body;
      const line = await till.post<{ totalFen: number }>(`/api/sales/${s.id}/lines`, { barcode });
      const started = await till.post<{ id: string }>(`/api/sales/${s.id}/payments/card`, {
        amountFen: line.body.totalFen,
      });
      expect(started.status).toBe(202);
      for (let i = 0; i < 100; i++) {
        const a = await till.get<{ status: string; maskedPan: string | null }>(
          `/api/attempts/${started.body.id}`,
        );
        if (['succeeded', 'failed', 'reversed'].includes(a.body.status)) return a.body;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the card attempt did not settle');
    };
    for (const card of Object.values(CARDS)) {
      const attempt = await cardCheckout(card);
      expect(attempt.status).toBe('succeeded');
      expect(attempt.maskedPan).toMatch(/^\d{6}\*+\d{4}$/);
    }
    expect((await cardCheckout(CARDS.visa, { kind: 'decline', code: '51' })).status).toBe('failed');
    expect((await cardCheckout(CARDS.unionpay19, { kind: 'lose_answer_after_money' })).status).toBe(
      'succeeded',
    );

    // A completed cash sale, so receipts and payments hold data too.
    const paid = (await till.post<{ id: string }>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' }))
      .body;
    const withLine = await till.post<{ totalFen: number }>(`/api/sales/${paid.id}/lines`, { barcode });
    await till.post(`/api/sales/${paid.id}/payments/cash`, { tenderedFen: withLine.body.totalFen });

    // Public and customer-facing free text: the e-receipt's comment (no session at all) and a slip's
    // e-mail field. Both are masked at the boundary, before they are stored or hashed into the audit.
    const customer = apiClient(url);
    const rated = await customer.post(`/api/feedback/receipt/${paid.id}`, {
      rating: 1,
      comment: `charged twice on ${CARDS.visa}!`,
    });
    expect(rated.status, JSON.stringify(rated.body)).toBe(201);
    const slipSale = (
      await till.post<{ id: string }>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' })
    ).body;
    await till.post(`/api/sales/${slipSale.id}/lines`, { barcode });
    const slip = await till.post(`/api/sales/${slipSale.id}/slip`, {
      reason: `wants to pay with ${CARDS.jcb} tomorrow`,
      customerName: '周女士',
      customerPhone: '13612345678',
      customerEmail: `${CARDS.amex}@example.com`,
      goods: 'held',
    });
    // A card number in the e-mail field: masked, so no longer an address — refused, nothing kept.
    expect(slip.status, JSON.stringify(slip.body)).toBe(400);

    // A wallet's payment code is used once and never written anywhere, not even for a moment.
    const walletSale = (
      await till.post<{ id: string }>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' })
    ).body;
    const walletLine = await till.post<{ totalFen: number }>(`/api/sales/${walletSale.id}/lines`, {
      barcode,
    });
    const wallet = await till.post<{ id: string }>(`/api/sales/${walletSale.id}/payments/wallet`, {
      amountFen: walletLine.body.totalFen,
      paymentCode: WALLET_CODE,
    });
    expect(wallet.status, JSON.stringify(wallet.body)).toBe(202);
    for (let i = 0; i < 100; i++) {
      const a = await till.get<{ status: string }>(`/api/attempts/${wallet.body.id}`);
      if (a.body.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await till.get<{ status: string }>(`/api/attempts/${wallet.body.id}`)).body.status).toBe(
      'succeeded',
    );

    await server.stop();
    const handle = openDb(db.config);
    barcodes = new Set(
      (await handle.kysely.selectFrom('variants').select('barcode').execute()).map((r) => r.barcode),
    );
    await handle.close();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  const typed = Object.values(CARDS);
  const show = (hits: CardHit[]) => hits.map((h) => `${h.where}: …${h.context}…`);

  it('the log holds none, though every request was logged', () => {
    const log = server.output();
    expect(log).toContain('"url":"/api/stores/store_sh01/variants?q=');
    expect(show(panHitsIn(log, 'log', barcodes))).toEqual([]);
    for (const card of typed) expect(containsDigits(log, card), card).toBe(false);
  });

  it('no table holds one in any text value', async () => {
    const handle = openDb(db.config);
    try {
      // biome-ignore lint/suspicious/noExplicitAny: every table, whatever its columns
      const hits = await scanTables(handle.kysely as any, barcodes);
      expect(show(hits)).toEqual([]);
      // The masked forms are there: the text was kept, the number was not.
      const reasons = await handle.kysely
        .selectFrom('sales')
        .select('void_reason')
        .where('void_reason', 'is not', null)
        .execute();
      expect(reasons.map((r) => r.void_reason)).toContain('customer paid by card ************1111 instead');
      const comments = await handle.kysely.selectFrom('feedback').select('comment').execute();
      expect(comments.map((c) => c.comment)).toContain('charged twice on ************1111!');
    } finally {
      await handle.close();
    }
  });

  if (dialect === 'sqlite')
    it('the database files hold none, byte by byte', () => {
      const dir = path.dirname((db.config as { file: string }).file);
      expect(show(scanFiles(dir, barcodes))).toEqual([]);
      for (const card of typed) expect(filesContaining(dir, card), card).toEqual([]);
      expect(filesContaining(dir, WALLET_CODE)).toEqual([]);
    });
});
