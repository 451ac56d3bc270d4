/**
 * StringIndex, the table the exact split finds a million attempts by order number in: it answers
 * what a Map of first positions answers, whatever the strings (repeats, the empty one, Chinese,
 * strings whose hashes collide in a small table) and however often it grows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringIndex } from '../../src/recon/order-index';

describe('StringIndex', () => {
  it('answers the first position each string was added at, as a Map would, through every growth', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', 'B1', '消费', 'B1 ')), {
          maxLength: 3_000,
        }),
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 200 }),
        (added, asked) => {
          const index = new StringIndex();
          const first = new Map<string, number>();
          added.forEach((key, at) => {
            if (!first.has(key)) first.set(key, at);
            expect(index.add(key)).toBe(first.get(key));
          });
          expect(index.size).toBe(added.length);
          for (const key of [...added, ...asked]) expect(index.get(key)).toBe(first.get(key) ?? -1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('holds a hundred thousand order numbers', () => {
    const index = new StringIndex();
    for (let i = 0; i < 100_000; i++) expect(index.add(`SH01-T1-${i}`)).toBe(i);
    expect(index.get('SH01-T1-99999')).toBe(99_999);
    expect(index.get('SH01-T1-100000')).toBe(-1);
  });
});
