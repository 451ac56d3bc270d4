/**
 * The HTTP edges through the real server: a bad percent-encoding and headers too large answer
 * problem+json like every other refusal, and every answer carries the headers that keep the app
 * from being sniffed, framed or fed scripts from elsewhere — while the customer's own pages (the
 * e-receipt's rating form, the slip's page) still run their one inline script by its nonce.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startTestStore, type TestStore } from '../support/store-server';

/** A raw request, so nothing on our side mends what is sent. */
function rawGet(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const req = request(url, { method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the HTTP edges', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await startTestStore('sqlite');
  });
  afterAll(async () => store?.stop());

  it('a bad percent-encoding in the URL is problem+json with its own code', async () => {
    const res = await rawGet(`${store.url}/api/sales/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(JSON.parse(res.body)).toMatchObject({ code: 'bad_url', status: 400 });
  });

  it('headers too large are problem+json too', async () => {
    const res = await rawGet(`${store.url}/api/health`, { 'x-filler': 'a'.repeat(20_000) });
    expect(res.status).toBe(431);
    expect(res.type).toContain('application/problem+json');
    expect(JSON.parse(res.body)).toMatchObject({ code: 'headers_too_large', status: 431 });
  });

  it('every answer forbids sniffing and framing and names where scripts may come from', async () => {
    for (const path of ['/api/health', '/api/sales/sale_nosuchsale00000000000', '/api/stores']) {
      const res = await fetch(`${store.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).toContain("script-src 'self'");
    }
  });

  it('a page made here runs its one inline script by the nonce its own answer names, a fresh one each time', async () => {
    // A paid sale's e-receipt page: its rating form is the inline script.
    const till = apiClient(store.url);
    await till.signInAtTill('SH01-C1');
    const barcode = (
      await till.get<{ variants: { barcode: string }[] }>('/api/stores/store_sh01/variants?q=KN-301')
    ).body.variants[0]!.barcode;
    const sale = (await till.post<{ id: string }>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' }))
      .body;
    const line = await till.post<{ totalFen: number }>(`/api/sales/${sale.id}/lines`, { barcode });
    await till.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: line.body.totalFen });
    const nonceOf = async () => {
      const res = await fetch(`${store.url}/r/${sale.id}?lang=en`);
      const csp = res.headers.get('content-security-policy') ?? '';
      const body = await res.text();
      return {
        header: /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1],
        page: /<script nonce="([^"]+)">/.exec(body)?.[1],
      };
    };
    const first = await nonceOf();
    expect(first.header).toBeDefined();
    expect(first.page).toBe(first.header);
    expect((await nonceOf()).header).not.toBe(first.header);
  });
});
