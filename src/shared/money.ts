/**
 * Money is an integer count of fen (1/100 yuan). Never a float: every amount entering the
 * system is checked here, and conversion to a decimal string lives in one place.
 */

/** Upper bound of any single amount: ¥100,000,000 — far above any till, far below 2^53. */
export const MAX_AMOUNT_FEN = 10_000_000_000;

export function isFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) <= MAX_AMOUNT_FEN;
}

/** Asserts an amount is a whole, bounded number of fen (an invariant, so a fault when broken). */
export function assertFen(value: number, what = 'amount'): number {
  if (!isFen(value)) throw new RangeError(`${what} is not a bounded integer of fen: ${value}`);
  return value;
}

const YUAN_PATTERN = /^(-)?(\d{1,9})(?:\.(\d{1,2}))?$/;

/** Parses a yuan string ("129", "129.5", "129.50") into fen without floating point; null if malformed. */
export function parseYuan(text: string): number | null {
  const match = YUAN_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, minus, whole, frac = ''] = match;
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  const signed = minus ? -fen : fen;
  return isFen(signed) ? signed : null;
}

/** Formats fen as a yuan string with two decimals ("1234.50", "-0.05"). */
export function formatYuan(fen: number): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Formats fen for people: "¥1,234.50" (yuan sign U+FFE5 so it also exists in GBK for printers). */
export function displayYuan(fen: number): string {
  const plain = formatYuan(fen);
  const sign = plain.startsWith('-') ? '-' : '';
  const [whole = '0', frac = '00'] = plain.replace('-', '').split('.');
  return `${sign}￥${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** basis points of an amount, rounded half up, in integers only (10000 bp = 100 %). */
export function basisPointsOf(amountFen: number, basisPoints: number): number {
  assertFen(amountFen);
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > 10_000) {
    throw new RangeError(`basis points out of range: ${basisPoints}`);
  }
  const scaled = amountFen * basisPoints; // ≤ 1e10 × 1e4 = 1e14 < 2^53
  return Math.floor((scaled + 5_000) / 10_000);
}

/**
 * Splits `total` over `weights` in proportion, by the largest-remainder method, so the parts
 * are integers and add up to exactly `total`. Ties go to the earlier weight.
 */
export function allocateProportionally(totalFen: number, weights: readonly number[]): number[] {
  assertFen(totalFen);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (weightSum <= 0) {
    if (totalFen !== 0) throw new RangeError('cannot allocate a non-zero amount over zero weights');
    return weights.map(() => 0);
  }
  // BigInt for the products: total × weight may pass 2^53 for large sales.
  const total = BigInt(totalFen);
  const sum = BigInt(weightSum);
  const parts = weights.map((w) => (total * BigInt(w)) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (total * BigInt(w)) % sum }));
  let left = totalFen - parts.reduce((a, b) => a + Number(b), 0);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  const result = parts.map(Number);
  for (let k = 0; left > 0 && k < remainders.length; k++, left--) {
    const idx = remainders[k]!.i;
    result[idx] = result[idx]! + 1;
  }
  return result;
}

/** Renminbi in the drawer, in fen, largest first: notes ¥100 … ¥1 (and the ¥1 coin), coins 5 角 and 1 角. */
export const DENOMINATIONS_FEN = [10_000, 5_000, 2_000, 1_000, 500, 100, 50, 10] as const;
export type Denomination = (typeof DENOMINATIONS_FEN)[number];
