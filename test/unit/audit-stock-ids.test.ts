import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditHash, GENESIS_HASH, verifyChain } from '../../src/audit/model';
import { ManualClock, pooledRandomBytes, seededRandom, ulidSource } from '../../src/kernel';
import { findDrift, movementDelta, movementProblem } from '../../src/stock/model';

function chainOf(n: number) {
  const links = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = {
      chain: 's1',
      seq,
      storeId: 's1',
      at: `2026-11-23T00:00:0${seq % 10}Z`,
      actorId: 'a',
      action: 'sale.opened',
      entityType: 'sale',
      entityId: `sale_${seq}`,
      saleId: null,
      beforeJson: null,
      afterJson: `{"n":${seq}}`,
    };
    const hash = auditHash(prev, fields);
    links.push({ ...fields, id: `aud_${seq}`, prevHash: prev, hash });
    prev = hash;
  }
  return links;
}

describe('audit hash chain', () => {
  it('verifies an intact chain', () => {
    expect(verifyChain(chainOf(5))).toEqual({ ok: true, events: 5 });
  });
  it('names the first event whose content was edited', () => {
    const links = chainOf(5);
    links[2] = { ...links[2]!, afterJson: '{"n":999}' };
    const verdict = verifyChain(links);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.brokenAt.seq).toBe(3);
      expect(verdict.reason).toMatch(/content/);
    }
  });
  it('notices a deleted event', () => {
    const links = chainOf(5);
    links.splice(1, 1);
    const verdict = verifyChain(links);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.brokenAt.seq).toBe(3);
  });
});

describe('stock movements', () => {
  it('signs each kind of movement', () => {
    expect(movementDelta({ kind: 'receive', qty: 5 }, 0)).toBe(5);
    expect(movementDelta({ kind: 'return', qty: 1 }, 0)).toBe(1);
    expect(movementDelta({ kind: 'sale', qty: 2 }, 10)).toBe(-2);
    expect(movementDelta({ kind: 'adjust', delta: -3 }, 10)).toBe(-3);
    expect(movementDelta({ kind: 'count', counted: 7 }, 10)).toBe(-3);
  });
  it('refuses empty, negative and huge movements', () => {
    expect(movementProblem({ kind: 'receive', qty: 0 })).not.toBeNull();
    expect(movementProblem({ kind: 'sale', qty: -1 })).not.toBeNull();
    expect(movementProblem({ kind: 'adjust', delta: 0 })).not.toBeNull();
    expect(movementProblem({ kind: 'count', counted: -1 })).not.toBeNull();
    expect(movementProblem({ kind: 'receive', qty: 1e9 })).not.toBeNull();
    expect(movementProblem({ kind: 'count', counted: 0 })).toBeNull();
  });
  it('a count always lands on the counted figure (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        (before, counted) => before + movementDelta({ kind: 'count', counted }, before) === counted,
      ),
    );
  });
  it('finds drift between ledger, cache and running total', () => {
    expect(
      findDrift({ storeId: 's', variantId: 'v', ledgerSum: 4, onHand: 4, lastOnHandAfter: 4 }),
    ).toBeNull();
    expect(
      findDrift({ storeId: 's', variantId: 'v', ledgerSum: 4, onHand: 5, lastOnHandAfter: 4 }),
    ).not.toBeNull();
    expect(
      findDrift({ storeId: 's', variantId: 'v', ledgerSum: 4, onHand: 4, lastOnHandAfter: 3 }),
    ).not.toBeNull();
    expect(
      findDrift({ storeId: 's', variantId: 'v', ledgerSum: 0, onHand: null, lastOnHandAfter: null }),
    ).toBeNull();
  });
  it('checks reservations too: their sum must equal the reserved figure, which is never negative', () => {
    const row = { storeId: 's', variantId: 'v', ledgerSum: 4, onHand: 4, lastOnHandAfter: 4 };
    expect(findDrift({ ...row, reservedSum: 2, reserved: 2 })).toBeNull();
    expect(findDrift({ ...row, reservedSum: 2, reserved: 3 })).not.toBeNull();
    expect(findDrift({ ...row, reservedSum: -1, reserved: -1 })).not.toBeNull();
    expect(findDrift({ ...row, reservedSum: 0, reserved: null })).toBeNull();
  });
});

describe('ids', () => {
  it('are strictly increasing within a process, even in one millisecond or when the clock steps back', () => {
    const clock = new ManualClock();
    const ids = ulidSource(clock, seededRandom(1));
    const seen: string[] = [];
    for (let i = 0; i < 2000; i++) {
      if (i % 100 === 0) clock.advance(i % 300 === 0 ? -5 : 1);
      seen.push(ids.next('x'));
    }
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
  });
  it('from the pooled system randomness stay unique across pool refills and clock ticks', () => {
    const clock = new ManualClock();
    const ids = ulidSource(clock, pooledRandomBytes(64)); // a tiny pool: refilled every 4 ids
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      if (i % 3 === 0) clock.advance(1);
      seen.add(ids.next('x'));
    }
    expect(seen.size).toBe(500);
    const first = pooledRandomBytes(32);
    expect(Buffer.from(first(16))).not.toEqual(Buffer.from(first(16)));
  });
  it('a secret is 26 characters (130 bits) of fresh randomness: ids made beside it in the same millisecond tell nothing of it', () => {
    const clock = new ManualClock();
    const ids = ulidSource(clock, pooledRandomBytes());
    const slipId = ids.next('slip');
    const token = ids.secret();
    const caseId = ids.next('case');
    expect(token).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    // Not a piece of its neighbours, as the slip's token once was (an id's last 20 characters).
    for (const id of [slipId, caseId]) {
      expect(id).not.toContain(token.slice(0, 8));
      expect(token).not.toContain(id.slice(-8));
    }
    const many = new Set(Array.from({ length: 1000 }, () => ids.secret()));
    expect(many.size).toBe(1000);
  });
  it('replay the same under the same seed', () => {
    const a = ulidSource(new ManualClock(), seededRandom(7));
    const b = ulidSource(new ManualClock(), seededRandom(7));
    expect([a.next('s'), a.next('s')]).toEqual([b.next('s'), b.next('s')]);
  });
});
