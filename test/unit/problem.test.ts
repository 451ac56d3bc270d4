/** A refusal's extra facts travel with its problem, but never replace the problem's own fields. */
import { describe, expect, it } from 'vitest';
import { problemFor } from '../../src/http/problem';

describe('problem+json from a refusal', () => {
  it('keeps status, code, type and title whatever the extras say', () => {
    const p = problemFor('sale_unknown', 'en', undefined, {
      status: 'open',
      code: 'x',
      type: 'y',
      title: 'z',
      saleId: 's1',
    });
    expect(p).toMatchObject({
      status: 404,
      code: 'sale_unknown',
      type: 'urn:tillsafe:problem:sale_unknown',
      saleId: 's1',
    });
    expect(p.title).toBe('No such sale.');
  });

  it('masks a card number in the detail', () => {
    expect(problemFor('barcode_unknown', 'en', 'scanned 6222021000112214').detail).not.toContain(
      '6222021000112214',
    );
  });
});
