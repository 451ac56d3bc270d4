/**
 * The HTTP edges through the real server: a bad percent-encoding and headers too large answer
 * problem+json like every other refusal, and every answer carries the headers that keep the app
 * from being sniffed, framed or fed scripts from elsewhere — while the customer's own pages (the
 * e-receipt's rating form, the slip's page) still run their one inline script by its nonce.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStore, type TestStore } from '../support/store-server';

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
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    }
  });
});
