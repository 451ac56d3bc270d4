import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateProportionally,
  basisPointsOf,
  displayYuan,
  formatYuan,
  MAX_AMOUNT_FEN,
  parseYuan,
} from '../../src/shared/money';

describe('money in integer fen', () => {
  it('parses yuan strings exactly, without floating point', () => {
    expect(parseYuan('129')).toBe(12900);
    expect(parseYuan('129.5')).toBe(12950);
    expect(parseYuan('0.07')).toBe(7);
    expect(parseYuan('-3.10')).toBe(-310);
    expect(parseYuan(' 0.1 ')).toBe(10);
    // 0.1 + 0.2 style traps never arise: 1.13 would be 112.99999999999999 fen as a float.
    expect(parseYuan('1.13')).toBe(113);
  });

  it('refuses malformed or out-of-range yuan', () => {
    for (const bad of [
      '',
      'abc',
      '1.234',
      '1,000',
      '1e3',
      '12.',
      '.5',
      '--1',
      '1 000',
      '9999999999',
      'NaN',
      'Infinity',
    ]) {
      expect(parseYuan(bad), bad).toBeNull();
    }
  });

  it('formats and parses back to the same fen for every amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -MAX_AMOUNT_FEN, max: MAX_AMOUNT_FEN }),
        (fen) => parseYuan(formatYuan(fen)) === fen,
      ),
    );
  });

  it('displays with the GBK-safe yuan sign and thousands separators', () => {
    expect(displayYuan(123456789)).toBe('￥1,234,567.89');
    expect(displayYuan(-5)).toBe('-￥0.05');
    expect(displayYuan(0)).toBe('￥0.00');
  });

  it('takes basis points rounding half up', () => {
    expect(basisPointsOf(999, 1000)).toBe(100); // 99.9 → 100
    expect(basisPointsOf(995, 1000)).toBe(100); // 99.5 → 100
    expect(basisPointsOf(994, 1000)).toBe(99);
    expect(basisPointsOf(12345, 10000)).toBe(12345);
    expect(basisPointsOf(12345, 0)).toBe(0);
    expect(() => basisPointsOf(100, 10001)).toThrow(RangeError);
    expect(() => basisPointsOf(100, 1.5)).toThrow(RangeError);
  });

  it('allocates an amount over weights so the parts add up exactly and stay proportional', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 50_000_000 }), { minLength: 1, maxLength: 40 }),
        (total, weights) => {
          const parts = allocateProportionally(total, weights);
          const sum = weights.reduce((a, b) => a + b, 0);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          parts.forEach((p, i) => {
            const exact = (total * weights[i]!) / sum;
            expect(p).toBeGreaterThanOrEqual(Math.floor(exact) - 0);
            expect(p).toBeLessThanOrEqual(Math.ceil(exact));
          });
        },
      ),
    );
  });

  it('gives tie remainders to the earlier weight', () => {
    expect(allocateProportionally(1, [1, 1, 1])).toEqual([1, 0, 0]);
    expect(allocateProportionally(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(allocateProportionally(0, [0, 0])).toEqual([0, 0]);
    expect(() => allocateProportionally(5, [0, 0])).toThrow(RangeError);
  });
});
