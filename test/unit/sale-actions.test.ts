/**
 * What the till may offer for a sale is the server's verdict (sale-actions.ts): held here for every
 * state and amount, against the sale's lifecycle — an action offered is one the server will take.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SALE_TRANSITIONS, saleActions } from '../../src/sales';
import { SALE_STATUSES } from '../../src/shared';

const facts = fc.record({
  status: fc.constantFrom(...SALE_STATUSES),
  lineCount: fc.integer({ min: 0, max: 5 }),
  paidFen: fc.integer({ min: 0, max: 100_000 }),
  dueFen: fc.integer({ min: 0, max: 100_000 }),
  returnedFen: fc.constantFrom(0, 0, 1_000),
});

describe('what the till may offer for a sale', () => {
  it('offers only what the sale’s lifecycle allows from its state', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const from = SALE_TRANSITIONS[f.status];
        for (const a of saleActions(f)) {
          if (a === 'edit' || a === 'discount') expect(from.edit).toBeDefined();
          if (a === 'pay') expect(from.pay_in_full ?? from.charge).toBeDefined();
          if (a === 'park') expect(from.park).toBeDefined();
          if (a === 'slip') expect(from.put_on_account).toBeDefined();
          if (a === 'void') expect(from.void ?? from.void_after_payment).toBeDefined();
          if (a === 'void' && f.status === 'completed') expect(f.returnedFen).toBe(0);
          if (a === 'return') expect(from.return).toBeDefined();
        }
      }),
    );
  });

  it('takes no money for nothing: no tender or slip without lines or without anything due', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const actions = saleActions(f);
        if (f.lineCount === 0 || f.dueFen === 0) {
          expect(actions).not.toContain('pay');
          expect(actions).not.toContain('slip');
        }
      }),
    );
  });

  it('parks only before any money is taken: a part-paid sale gets a slip instead', () => {
    const partPaid = {
      status: 'open',
      lineCount: 2,
      paidFen: 10_000,
      dueFen: 5_000,
      returnedFen: 0,
    } as const;
    expect(saleActions(partPaid)).toEqual(['edit', 'discount', 'pay', 'slip', 'void']);
    expect(saleActions({ ...partPaid, paidFen: 0 })).toEqual([
      'edit',
      'discount',
      'pay',
      'park',
      'slip',
      'void',
    ]);
  });

  it('while a card may still succeed only a slip; a paid sale only a void (with approval); a sale on account only payment', () => {
    const base = { lineCount: 2, paidFen: 0, dueFen: 5_000, returnedFen: 0 };
    expect(saleActions({ ...base, status: 'awaiting_payment' })).toEqual(['slip']);
    expect(saleActions({ ...base, status: 'completed', dueFen: 0, paidFen: 5_000 })).toEqual([
      'void',
      'return',
    ]);
    // After a return, the rest comes back by another return, never a void (the money twice).
    expect(
      saleActions({ ...base, status: 'completed', dueFen: 0, paidFen: 5_000, returnedFen: 1_000 }),
    ).toEqual(['return']);
    expect(saleActions({ ...base, status: 'on_account' })).toEqual(['pay']);
    expect(saleActions({ ...base, status: 'awaiting_statement' })).toEqual([]);
    expect(saleActions({ ...base, status: 'voided' })).toEqual([]);
    expect(saleActions({ ...base, status: 'parked' })).toEqual([]);
    expect(saleActions({ ...base, status: 'open', lineCount: 0, dueFen: 0 })).toEqual(['edit', 'void']);
  });
});
