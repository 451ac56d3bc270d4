/** Finding and masking card numbers in typed text: what counts as one, and that masking keeps the rest. */

import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPans, isCardNumber, luhnValid, maskPan, maskPans } from '../../src/kernel';

describe('card numbers in text', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['378282246310005', true],
    ['6011111111111117', true],
    ['12a4', false],
  ])('Luhn(%s) = %s', (digits, valid) => {
    expect(luhnValid(digits)).toBe(valid);
  });

  it.each([
    ['paid by 4111 1111 1111 1111.', 'paid by ************1111.'],
    ['card 5555-5555-5555-4444 refused', 'card ************4444 refused'],
    ['two: 378282246310005 and 4111111111111111', 'two: ***********0005 and ************1111'],
    ['not Luhn 4111111111111112', 'not Luhn 4111111111111112'],
    ['too short 411111111111', 'too short 411111111111'],
    ['too long 41111111111111111111111', 'too long 41111111111111111111111'],
    ['a duration 41.873726000000031 s', 'a duration 41.873726000000031 s'],
    ['王芳 6222021000112214 退款', `王芳 ${maskPan('6222021000112214')} 退款`],
  ])('%s', (text, masked) => {
    expect(maskPans(text)).toBe(masked);
  });

  it('leaves no Luhn-valid run behind, and changes nothing in text without one (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789 -ab.') }), (text) => {
        const masked = maskPans(text);
        expect(findPans(masked)).toEqual([]);
        if (findPans(text).length === 0) expect(masked).toBe(text);
        expect(masked.length).toBeLessThanOrEqual(text.length);
      }),
    );
  });

  it('tells a whole card number from an id: a UUID never counts, however its digits fall', () => {
    expect(isCardNumber('4111 1111 1111 1111')).toBe(true);
    expect(isCardNumber('3530111333300000')).toBe(true);
    expect(isCardNumber('4111111111111112')).toBe(false);
    // Digit-only groups in a UUID, Luhn-valid when joined: an id, not a card.
    expect(isCardNumber('81234567-8901-4234-8678-9012abcdef01')).toBe(false);
    for (let i = 0; i < 20_000; i++) expect(isCardNumber(randomUUID())).toBe(false);
  });
});
