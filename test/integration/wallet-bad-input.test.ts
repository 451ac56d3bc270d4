/**
 * What a wallet's gateway must never be able to do to a sale: answers unsigned, signed by the wrong
 * key, naming another order or amount, malformed, in another charset, truncated or a 5xx — each
 * read by the real adapter (Alipay through its SDK, WeChat Pay v2) from a gateway that says exactly
 * that, and each comes out unknown (to be asked again, then undone), never paid, never a decline.
 */
import { createSign, generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChargeRequest } from '../../src/payments/provider';
import { AlipayProvider } from '../../src/payments/providers/alipay';
import { WechatPayProvider } from '../../src/payments/providers/wechat-pay';
import { signed, toWechatXml } from '../../src/payments/providers/wechat-v2';
import { sandboxAlipayKeys } from '../../src/sandbox/alipay';

/** A gateway that answers whatever the test says, once per request. */
let answer: { status: number; type: string; body: Buffer | string; drop?: boolean } = {
  status: 200,
  type: 'text/plain',
  body: '',
};
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (answer.drop) {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, { 'content-type': answer.type });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const request = (code: string): ChargeRequest => ({
  merchantOrderNo: 'TS01BADINPUT0000000000000001',
  tillId: 'till_sh01_1',
  requestId: 'R000000001',
  amountFen: 45_900,
  currency: 'CNY',
  paymentCode: code,
});

describe('WeChat Pay answers that are never a payment', () => {
  const KEY = 'badinputbadinputbadinputbadinput';
  const provider = () =>
    new WechatPayProvider({
      gateway: base,
      appId: 'wxbad',
      mchId: '1900000001',
      apiKey: KEY,
      signType: 'HMAC-SHA256',
      clientIp: '127.0.0.1',
      payTimeoutMs: 1_000,
      requestTimeoutMs: 1_000,
    });
  const paid = (extra: Record<string, string> = {}) => ({
    return_code: 'SUCCESS',
    result_code: 'SUCCESS',
    appid: 'wxbad',
    mch_id: '1900000001',
    nonce_str: 'n0nce',
    sign_type: 'HMAC-SHA256',
    out_trade_no: 'TS01BADINPUT0000000000000001',
    total_fee: '45900',
    transaction_id: '4200000000000001',
    ...extra,
  });
  const xml = (params: Record<string, string>) => ({
    status: 200,
    type: 'text/xml',
    body: toWechatXml(params),
  });

  it.each([
    ['unsigned', () => xml(paid())],
    ['signed with another key', () => xml(signed(paid(), 'not-the-merchant-key-not-the-key!'))],
    ['for another order', () => xml(signed(paid({ out_trade_no: 'TS-SOMEONE-ELSE' }), KEY))],
    ['for another amount', () => xml(signed(paid({ total_fee: '45800' }), KEY))],
    ['for another merchant', () => xml(signed(paid({ mch_id: '1900000999' }), KEY))],
    [
      'with a document type (XXE)',
      () => ({
        status: 200,
        type: 'text/xml',
        body: `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${toWechatXml(signed(paid(), KEY))}`,
      }),
    ],
    [
      'truncated',
      () => ({ status: 200, type: 'text/xml', body: toWechatXml(signed(paid(), KEY)).slice(0, 60) }),
    ],
    ['not XML at all', () => ({ status: 200, type: 'text/html', body: '<html>gateway error</html>' })],
    [
      'in another charset (GBK bytes)',
      () => ({
        status: 200,
        type: 'text/xml; charset=gbk',
        body: iconv.encode(toWechatXml(signed(paid({ body: '衬衫' }), KEY)), 'gbk'),
      }),
    ],
    [
      'a communication failure (return_code FAIL)',
      () => xml({ return_code: 'FAIL', return_msg: '系统繁忙' }),
    ],
    ['a 502', () => ({ status: 502, type: 'text/plain', body: 'Bad Gateway' })],
    ['a dropped connection', () => ({ status: 200, type: 'text/plain', body: '', drop: true })],
  ])('%s: unknown, never paid or failed', async (_what, make) => {
    answer = make();
    const result = await provider().pay(request('134567890123456789'));
    expect(result.outcome).toBe('unknown');
  });

  it('a properly signed, matching answer is paid (the same gateway, the same adapter)', async () => {
    answer = xml(signed(paid(), KEY));
    expect(await provider().pay(request('134567890123456789'))).toMatchObject({
      outcome: 'paid',
      amountFen: 45_900,
    });
  });
});

describe('Alipay answers that are never a payment', () => {
  const keys = sandboxAlipayKeys();
  const other = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  const provider = () =>
    new AlipayProvider({
      gateway: `${base}/gateway.do`,
      appId: '2021000000000001',
      privateKey: keys.appPrivateKey,
      alipayPublicKey: keys.alipayPublicKey,
      timeoutMs: 1_000,
    });
  const node = (extra: Record<string, string> = {}) => ({
    code: '10000',
    msg: 'Success',
    trade_no: '2026000000000001',
    out_trade_no: 'TS01BADINPUT0000000000000001',
    total_amount: '459.00',
    ...extra,
  });
  const signedBy = (key: string, n: Record<string, string>) => {
    const text = JSON.stringify(n);
    const sign = createSign('RSA-SHA256').update(text, 'utf8').sign(key, 'base64');
    return {
      status: 200,
      type: 'application/json',
      body: `{"alipay_trade_pay_response":${text},"sign":"${sign}"}`,
    };
  };

  it.each([
    [
      'unsigned',
      () => ({
        status: 200,
        type: 'application/json',
        body: `{"alipay_trade_pay_response":${JSON.stringify(node())}}`,
      }),
    ],
    ['signed with another key', () => signedBy(other, node())],
    [
      'altered after signing',
      () => {
        const good = signedBy(keys.alipayPrivateKey, node());
        return { ...good, body: String(good.body).replace('459.00', '4.59') };
      },
    ],
    ['for another order', () => signedBy(keys.alipayPrivateKey, node({ out_trade_no: 'TS-SOMEONE-ELSE' }))],
    ['for another amount', () => signedBy(keys.alipayPrivateKey, node({ total_amount: '458.99' }))],
    [
      'with an amount that is not money',
      () => signedBy(keys.alipayPrivateKey, node({ total_amount: '4.5e2' })),
    ],
    [
      'for another method',
      () => ({
        status: 200,
        type: 'application/json',
        body: '{"alipay_trade_query_response":{"code":"10000"},"sign":"x"}',
      }),
    ],
    [
      'truncated JSON',
      () => ({ status: 200, type: 'application/json', body: '{"alipay_trade_pay_response":{"code":"100' }),
    ],
    [
      'in another charset (GBK bytes)',
      () => {
        const good = signedBy(keys.alipayPrivateKey, node({ buyer_logon_id: '王**' }));
        return {
          ...good,
          type: 'application/json; charset=gbk',
          body: iconv.encode(String(good.body), 'gbk'),
        };
      },
    ],
    ['a 500', () => ({ status: 500, type: 'text/plain', body: 'Internal Server Error' })],
    ['a dropped connection', () => ({ status: 200, type: 'text/plain', body: '', drop: true })],
  ])('%s: unknown, never paid or failed', async (_what, make) => {
    answer = make();
    const result = await provider().pay(request('281234567890123456'));
    expect(result.outcome).toBe('unknown');
  });

  it('a properly signed, matching answer is paid (the same gateway, the same SDK)', async () => {
    answer = signedBy(keys.alipayPrivateKey, node());
    expect(await provider().pay(request('281234567890123456'))).toMatchObject({
      outcome: 'paid',
      amountFen: 45_900,
    });
  });

  it('a notification is refused unless Alipay signed it, for this app', () => {
    const p = provider();
    const fields = {
      app_id: '2021000000000001',
      out_trade_no: 'TS01BADINPUT0000000000000001',
      trade_status: 'TRADE_SUCCESS',
      total_amount: '459.00',
      sign_type: 'RSA2',
    };
    const content = Object.keys(fields)
      .filter((k) => k !== 'sign_type')
      .sort()
      .map((k) => `${k}=${fields[k as keyof typeof fields]}`)
      .join('&');
    const sign = (key: string) => createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64');
    expect(p.readNotice({ ...fields, sign: sign(keys.alipayPrivateKey) })).toMatchObject({
      ok: true,
      claim: 'paid',
      amountFen: 45_900,
    });
    expect(p.readNotice({ ...fields, sign: sign(other) })).toMatchObject({
      ok: false,
      problem: 'signature does not verify',
    });
    expect(p.readNotice({ ...fields })).toMatchObject({ ok: false, problem: 'not signed' });
    expect(
      p.readNotice({ ...fields, total_amount: '1.00', sign: sign(keys.alipayPrivateKey) }),
    ).toMatchObject({ ok: false });
    expect(p.readNotice('out_trade_no=x')).toMatchObject({ ok: false });
    expect(p.readNotice({ ...fields, sign: 5 })).toMatchObject({ ok: false });
  });
});
