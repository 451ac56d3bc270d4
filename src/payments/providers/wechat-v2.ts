/**
 * WeChat Pay API v2's wire format, as both our adapter and the sandbox speak it (docs/providers.md, "WeChat Pay"):
 * flat XML `<xml><k><![CDATA[v]]></k>…</xml>`, signed over the non-empty parameters but `sign`,
 * sorted by key, `k=v&…&key=API_KEY`, MD5 or HMAC-SHA256, hex upper-case. Amounts are integer fen
 * (`total_fee`) on the wire already. Pure but for the hash.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

export type WechatSignType = 'MD5' | 'HMAC-SHA256';
export type WechatParams = Record<string, string>;

/** The string that is signed: non-empty parameters but `sign`, sorted (ASCII), then the key. */
export function wechatSignString(params: WechatParams, apiKey: string): string {
  const pairs = Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`);
  return `${pairs.join('&')}&key=${apiKey}`;
}

export function wechatSign(params: WechatParams, apiKey: string, type: WechatSignType): string {
  const text = wechatSignString(params, apiKey);
  const digest =
    type === 'MD5'
      ? createHash('md5').update(text, 'utf8').digest('hex')
      : createHmac('sha256', apiKey).update(text, 'utf8').digest('hex');
  return digest.toUpperCase();
}

/** Signs in place of `sign`, with the type the parameters name (MD5 when they name none). */
export function signed(params: WechatParams, apiKey: string): WechatParams {
  const type = params.sign_type === 'HMAC-SHA256' ? 'HMAC-SHA256' : 'MD5';
  return { ...params, sign: wechatSign(params, apiKey, type) };
}

/** Is the signature right, by the type the message itself names? Constant time. */
export function verifyWechat(params: WechatParams, apiKey: string): boolean {
  const given = params.sign;
  if (!given) return false;
  const type = params.sign_type === 'HMAC-SHA256' ? 'HMAC-SHA256' : params.sign_type ? null : 'MD5';
  if (!type) return false;
  const want = Buffer.from(wechatSign(params, apiKey, type));
  const got = Buffer.from(given.toUpperCase());
  return want.length === got.length && timingSafeEqual(want, got);
}

const cdata = (v: string) => `<![CDATA[${v.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

export function toWechatXml(params: WechatParams): string {
  const body = Object.entries(params)
    .map(([k, v]) => `<${k}>${/^\d+$/.test(v) ? v : cdata(v)}</${k}>`)
    .join('');
  return `<xml>${body}</xml>`;
}

const parser = new XMLParser({
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
});

export type ParsedXml = { ok: true; params: WechatParams } | { ok: false; problem: string };

/**
 * Reads a flat `<xml>` message. A document type (the way to external entities), nesting, repeated
 * fields or anything but one `<xml>` root is refused, as WeChat Pay's own guidance asks.
 */
export function fromWechatXml(text: string): ParsedXml {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return { ok: false, problem: 'document type not allowed' };
  let doc: unknown;
  try {
    doc = parser.parse(text, true);
  } catch (error) {
    return { ok: false, problem: `not XML: ${String(error).slice(0, 120)}` };
  }
  const root = (doc as { xml?: unknown } | null)?.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root))
    return { ok: false, problem: 'no <xml> root' };
  const params: WechatParams = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) {
    if (typeof v !== 'string') return { ok: false, problem: `field ${k} is not a single text value` };
    params[k] = v;
  }
  return { ok: true, params };
}

/** A `nonce_str`: 32 characters from the given bytes (randomness injected for replay). */
export function nonceOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').slice(0, 32).padEnd(32, '0');
}
