/**
 * Card numbers (PANs) must never be stored or logged. A cashier may still type one where it does
 * not belong — a void reason, a note, the search box, a staff-code field — so free text is masked
 * on the way in and request URLs on the way to the log. A PAN here is what a scanner would flag:
 * 13 to 19 digits, as typed (groups split by single spaces or dashes), passing the Luhn check,
 * standing alone. Pure.
 */

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Runs of digits, optionally grouped by single spaces or dashes, standing alone: not glued to
 * another digit or a Latin letter (`SH01-20261123-0005` is a sale number, a hex hash is a hash),
 * and not the fraction of a decimal number (`41.873726000000031` is a duration, not a card).
 */
const DIGIT_RUN = /(?<![\dA-Za-z])(?<!\d\.)\d(?:[ -]?\d){12,22}(?![\dA-Za-z])/g;

export interface PanHit {
  start: number;
  end: number;
  digits: string;
}

/** Every PAN-shaped, Luhn-valid run in `text` (13–19 digits once separators are dropped). */
export function findPans(text: string): PanHit[] {
  const hits: PanHit[] = [];
  // Fewer than 13 digits in all cannot hold one: most texts are answered without the expression
  // (a statement asks this of a million cells).
  if (digitCount(text) < 13) return hits;
  for (const match of text.matchAll(DIGIT_RUN)) {
    const raw = match[0];
    const digits = raw.replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits))
      hits.push({ start: match.index, end: match.index + raw.length, digits });
  }
  return hits;
}

function digitCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** Is the whole text a card number (as typed, with spaces or dashes)? A UUID or an id never is. */
export function isCardNumber(text: string): boolean {
  if (!/^\d[\d -]*\d$/.test(text)) return false;
  const digits = text.replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && luhnValid(digits);
}

/** Masks a PAN to its last four digits (what a receipt shows): `************1111`. */
export function maskPan(digits: string): string {
  return `${'*'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}

/** `text` with every PAN in it masked; anything else unchanged. */
export function maskPans(text: string): string {
  const hits = findPans(text);
  if (hits.length === 0) return text;
  let out = '';
  let at = 0;
  for (const hit of hits) {
    out += text.slice(at, hit.start) + maskPan(hit.digits);
    at = hit.end;
  }
  return out + text.slice(at);
}

/**
 * A request body with every PAN in every string masked, however deep, except under the keys named:
 * fields whose digits are structured and never a card — a barcode (an EAN-13 may pass Luhn), a
 * wallet's payment code (18 digits, used once and never kept), a PIN or a password. One mechanism
 * for every free-text field of every route, public ones too, before anything is stored, logged or
 * hashed into the audit chain. Returns the same value when there was nothing to mask.
 */
export function maskPansIn(value: unknown, exemptKeys: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return maskPans(value);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const m = maskPansIn(v, exemptKeys);
      if (m !== v) changed = true;
      return m;
    });
    return changed ? out : value;
  }
  if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
    let out: Record<string, unknown> | null = null;
    for (const [k, v] of Object.entries(value)) {
      if (exemptKeys.has(k)) continue;
      const m = maskPansIn(v, exemptKeys);
      if (m !== v) {
        out ??= { ...(value as Record<string, unknown>) };
        out[k] = m;
      }
    }
    return out ?? value;
  }
  return value;
}
