/**
 * The matcher, exhaustively by kind and by property: every money line is matched or a case;
 * every attempt the tills say moved money on the statement's days is held by a line or a case;
 * the answer does not depend on the order of the inputs, and a line seen twice counts once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AwaitingProof,
  countCases,
  ExactSplit,
  matchStatement,
  onSightOf,
  type RecordedAttempt,
  splitExact,
} from '../../src/recon/matcher';
import { PACKED_ROW, PACKED_UNIT } from '../../src/recon/packed-text';
import { LinePairing } from '../../src/recon/pairing';
import { type StatementLine, toWire, WIRE_AT, WIRE_WIDTH } from '../../src/recon/statement';

const line = (over: Partial<StatementLine> & Pick<StatementLine, 'key'>): StatementLine => ({
  provider: 'alipay',
  line: 1,
  kind: 'payment',
  merchantOrderNo: '',
  providerRef: over.key,
  refundNo: null,
  amountFen: 10_000,
  feeMilliFen: 60_000,
  at: '2026-11-23T02:00:00.000Z',
  terminalId: 'T1',
  ...over,
});
const attempt = (over: Partial<RecordedAttempt> & Pick<RecordedAttempt, 'attemptId'>): RecordedAttempt => ({
  kind: 'payment',
  merchantOrderNo: `O-${over.attemptId}`,
  providerRef: null,
  amountFen: 10_000,
  status: 'succeeded',
  at: '2026-11-23T01:59:30.000Z',
  terminalId: 'T1',
  saleId: `sale-${over.attemptId}`,
  refundOfOrderNo: null,
  booked: 'sale',
  onAccount: false,
  ...over,
});

describe('the matcher, kind by kind', () => {
  it('a payment the tills recorded, and the statement holds: matched, no case', () => {
    const r = matchStatement([line({ key: 'L1', merchantOrderNo: 'O-a1' })], [attempt({ attemptId: 'a1' })]);
    expect(r).toEqual({ matched: [{ lineKey: 'L1', attemptId: 'a1' }], cases: [] });
  });

  it('charged, not recorded — our order number on an attempt we think failed, unknown or reversed: linked to it for certain', () => {
    for (const status of ['failed', 'unknown', 'reversed', 'needs_review']) {
      const r = matchStatement(
        [line({ key: 'L1', merchantOrderNo: 'O-a1' })],
        [attempt({ attemptId: 'a1', status, booked: 'none', onAccount: true })],
      );
      expect(r.cases).toMatchObject([
        { kind: 'charged_not_recorded', attemptId: 'a1', link: { type: 'attempt', attemptId: 'a1' } },
      ]);
    }
  });

  it('charged, not recorded — no order number we know: one candidate by amount, terminal and time is linked; two are proposed; none asks for a refund', () => {
    const lost = line({ key: 'L1', merchantOrderNo: 'X-UNKNOWN' });
    const one = matchStatement([lost], [attempt({ attemptId: 'a1', status: 'unknown', booked: 'none' })]);
    expect(one.cases[0]).toMatchObject({ kind: 'charged_not_recorded', link: { attemptId: 'a1' } });
    const two = matchStatement(
      [lost],
      [
        attempt({ attemptId: 'a1', status: 'failed', booked: 'none' }),
        attempt({ attemptId: 'a2', status: 'reversed', booked: 'none' }),
      ],
    );
    expect(two.cases[0]).toMatchObject({ kind: 'charged_not_recorded', link: null });
    expect(two.cases[0]!.candidates).toHaveLength(2);
    const far = matchStatement(
      [lost],
      [attempt({ attemptId: 'a1', status: 'failed', at: '2026-11-23T05:00:00.000Z' })],
    );
    expect(far.cases[0]).toMatchObject({
      candidates: [],
      link: null,
      detail: { code: 'no_candidate' },
    });
    const other = matchStatement([lost], [attempt({ attemptId: 'a1', status: 'failed', terminalId: 'T9' })]);
    expect(other.cases[0]!.candidates).toEqual([]);
  });

  it('charged, not recorded — the customer’s proof of the same amount and day is a candidate', () => {
    const proof: AwaitingProof = {
      confirmationId: 'm1',
      saleId: 's1',
      amountFen: 10_000,
      paidOn: '2026-11-23',
      reference: 'R',
    };
    const r = matchStatement([line({ key: 'L1', merchantOrderNo: 'X' })], [], [proof]);
    expect(r.cases[0]).toMatchObject({
      kind: 'charged_not_recorded',
      link: { type: 'proof', confirmationId: 'm1' },
    });
    expect(
      matchStatement([line({ key: 'L1', merchantOrderNo: 'X', amountFen: 9_999 })], [], [proof]).cases[0]!
        .link,
    ).toBeNull();
  });

  it('recorded, not settled — paid here, nothing on the statement that day (another day is not this statement’s business)', () => {
    const r = matchStatement(
      [line({ key: 'L0', merchantOrderNo: 'O-other' })],
      [
        attempt({ attemptId: 'other' }),
        attempt({ attemptId: 'a1' }),
        attempt({ attemptId: 'a2', at: '2026-11-25T02:00:00.000Z' }),
      ],
    );
    expect(r.cases).toMatchObject([{ kind: 'recorded_not_settled', attemptId: 'a1', lineKey: null }]);
  });

  it('amount mismatch — same order number, another amount', () => {
    const r = matchStatement(
      [line({ key: 'L1', merchantOrderNo: 'O-a1', amountFen: 9_000 })],
      [attempt({ attemptId: 'a1' })],
    );
    expect(r.cases).toMatchObject([{ kind: 'amount_mismatch', attemptId: 'a1', amountFen: 9_000 }]);
  });

  it('duplicate charge — the sale holds it as a duplicate and nothing gives it back; once a refund is under way it is matched', () => {
    const dup = attempt({ attemptId: 'a2', booked: 'duplicate' });
    const lines = [line({ key: 'L2', merchantOrderNo: 'O-a2' })];
    expect(matchStatement(lines, [dup]).cases).toMatchObject([{ kind: 'duplicate_charge', attemptId: 'a2' }]);
    const refund = attempt({
      attemptId: 'r2',
      kind: 'refund',
      refundOfOrderNo: 'O-a2',
      status: 'in_flight',
      at: '2026-11-24T02:00:00.000Z',
    });
    expect(matchStatement(lines, [dup, refund]).cases).toEqual([]);
  });

  it('duplicate charge — the statement charges one order twice', () => {
    const r = matchStatement(
      [
        line({ key: 'L1', merchantOrderNo: 'O-a1' }),
        line({ key: 'L2', merchantOrderNo: 'O-a1', providerRef: 'other-trade' }),
      ],
      [attempt({ attemptId: 'a1' })],
    );
    expect(r.matched).toHaveLength(1);
    expect(r.cases).toMatchObject([{ kind: 'duplicate_charge', lineKey: 'L2' }]);
  });

  it('refund mismatch — given back there and not here, here and not there, another amount, or recorded as failed', () => {
    const refundLine = line({
      key: 'R1',
      kind: 'refund',
      merchantOrderNo: 'O-a1',
      refundNo: 'O-r1',
      amountFen: 3_000,
    });
    const paid = attempt({ attemptId: 'a1', at: '2026-11-22T02:00:00.000Z' });
    const refund = (over: Partial<RecordedAttempt> = {}) =>
      attempt({ attemptId: 'r1', kind: 'refund', refundOfOrderNo: 'O-a1', amountFen: 3_000, ...over });
    expect(matchStatement([refundLine], [paid, refund()]).matched).toEqual([
      { lineKey: 'R1', attemptId: 'r1' },
    ]);
    expect(matchStatement([refundLine], [paid]).cases).toMatchObject([
      { kind: 'refund_mismatch', attemptId: null },
    ]);
    expect(matchStatement([refundLine], [paid, refund({ amountFen: 2_000 })]).cases).toMatchObject([
      { kind: 'refund_mismatch', attemptId: 'r1' },
    ]);
    expect(matchStatement([refundLine], [paid, refund({ status: 'failed' })]).cases).toMatchObject([
      { kind: 'refund_mismatch', attemptId: 'r1' },
    ]);
    expect(
      matchStatement([line({ key: 'L9', merchantOrderNo: 'O-x' })], [attempt({ attemptId: 'x' }), refund()])
        .cases,
    ).toMatchObject([{ kind: 'refund_mismatch', attemptId: 'r1', lineKey: null }]);
  });

  it('a line that moved nothing (revoked, reversed) is never charged, and holds its reversed attempt', () => {
    const r = matchStatement(
      [
        line({ key: 'V1', kind: 'no_money', merchantOrderNo: 'O-a1' }),
        line({ key: 'V2', kind: 'no_money', merchantOrderNo: 'nobody' }),
      ],
      [attempt({ attemptId: 'a1', status: 'reversed', booked: 'none' })],
    );
    expect(r.cases).toEqual([]);
  });

  it('counts cases by kind, every kind present', () => {
    expect(countCases([{ kind: 'duplicate_charge' }, { kind: 'duplicate_charge' }])).toEqual({
      charged_not_recorded: 0,
      recorded_not_settled: 0,
      amount_mismatch: 0,
      duplicate_charge: 2,
      refund_mismatch: 0,
    });
  });
});

// ---------------------------------------------------------------- properties

const STATUSES = ['succeeded', 'failed', 'unknown', 'reversed', 'needs_review'] as const;
const DAY_BEFORE = Date.UTC(2026, 10, 22, 16);
const TWO_DAYS_BEFORE = Date.UTC(2026, 10, 21, 16);

/** A generated attempt: its number, order number and reference as small integers (null: none). */
const recordedFrom = (
  a: {
    n: number;
    order: number;
    ref: number | null;
    kind: 'payment' | 'refund';
    amount: number;
    status: string;
    minute: number;
    booked: RecordedAttempt['booked'];
    refundOf: number;
  },
  from: number,
): RecordedAttempt =>
  attempt({
    attemptId: `a${a.n}`,
    kind: a.kind,
    merchantOrderNo: `O${a.order}`,
    providerRef: a.ref === null ? null : `R${a.ref}`,
    amountFen: a.amount,
    status: a.status,
    at: new Date(from + a.minute * 60_000).toISOString(),
    booked: a.kind === 'payment' && a.status === 'succeeded' ? a.booked : 'none',
    refundOfOrderNo: a.kind === 'refund' ? `O${a.refundOf}` : null,
  });

/** A generated line: its order number (null: none) and reference (null: its key) as small integers. */
const lineFrom = (
  l: {
    n: number;
    order: number | null;
    ref: number | null;
    kind: StatementLine['kind'];
    amount: number;
    minute: number;
  },
  from: number,
): StatementLine =>
  line({
    key: `L${l.n}`,
    kind: l.kind,
    merchantOrderNo: l.order === null ? '' : `O${l.order}`,
    providerRef: l.ref === null ? `L${l.n}` : `R${l.ref}`,
    refundNo: l.kind === 'refund' && l.order !== null ? `O${l.order}` : null,
    amountFen: l.amount,
    at: new Date(from + l.minute * 60_000).toISOString(),
  });
const world = fc
  .record({
    attempts: fc.uniqueArray(
      fc.record({
        n: fc.integer({ min: 0, max: 30 }),
        kind: fc.constantFrom('payment' as const, 'refund' as const),
        amount: fc.constantFrom(1_000, 2_000, 3_000),
        status: fc.constantFrom(...STATUSES),
        minute: fc.integer({ min: 0, max: 2 * 24 * 60 }),
        booked: fc.constantFrom('sale' as const, 'duplicate' as const, 'none' as const),
        refundOf: fc.integer({ min: 0, max: 30 }),
      }),
      { selector: (a) => a.n, maxLength: 20 },
    ),
    lines: fc.uniqueArray(
      fc.record({
        n: fc.integer({ min: 0, max: 40 }),
        order: fc.integer({ min: 0, max: 40 }),
        kind: fc.constantFrom('payment' as const, 'refund' as const, 'no_money' as const),
        amount: fc.constantFrom(1_000, 2_000, 3_000),
        minute: fc.integer({ min: 0, max: 2 * 24 * 60 }),
      }),
      { selector: (l) => l.n, maxLength: 25 },
    ),
  })
  .map(({ attempts, lines }) => ({
    attempts: attempts.map((a) => recordedFrom({ ...a, order: a.n, ref: null }, DAY_BEFORE)),
    lines: lines.map((l) => lineFrom({ ...l, ref: null }, DAY_BEFORE)),
  }));

const shuffled = <T>(xs: readonly T[], seed: number): T[] => {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

describe('the matcher, by property', () => {
  it('is order-independent: any order of lines and attempts gives the same answer', () => {
    fc.assert(
      fc.property(world, fc.integer({ min: 1, max: 1_000_000 }), ({ attempts, lines }, seed) => {
        expect(matchStatement(shuffled(lines, seed), shuffled(attempts, seed + 1))).toEqual(
          matchStatement(lines, attempts),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent: a line seen twice (a re-import, overlapping files) counts once', () => {
    fc.assert(
      fc.property(world, ({ attempts, lines }) => {
        expect(matchStatement([...lines, ...lines], attempts)).toEqual(matchStatement(lines, attempts));
      }),
      { numRuns: 300 },
    );
  });

  it('every money line is matched or a case, never both; every succeeded attempt on the statement’s days is held or a case', () => {
    fc.assert(
      fc.property(world, ({ attempts, lines }) => {
        const r = matchStatement(lines, attempts);
        for (const l of lines.filter((x) => x.kind !== 'no_money')) {
          const inMatched = r.matched.filter((m) => m.lineKey === l.key).length;
          const inCases = r.cases.filter((c) => c.lineKey === l.key).length;
          expect(inMatched + inCases).toBe(1);
        }
        const days = new Set(
          lines.map((l) => new Date(Date.parse(l.at) + 8 * 3_600_000).toISOString().slice(0, 10)),
        );
        for (const a of attempts.filter((x) => x.status === 'succeeded')) {
          const day = new Date(Date.parse(a.at) + 8 * 3_600_000).toISOString().slice(0, 10);
          if (!days.has(day)) continue;
          const seen =
            r.matched.some((m) => m.attemptId === a.attemptId) ||
            r.cases.some((c) => c.attemptId === a.attemptId);
          expect(seen).toBe(true);
        }
        // A case links itself only to one of its own candidates.
        for (const c of r.cases) if (c.link) expect(c.candidates).toContainEqual(c.link);
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------- the exact split

/** Lines and attempts that collide on purpose: shared order numbers and references, blanks, repeats. */
const tangled = fc
  .record({
    attempts: fc.array(
      fc.record({
        n: fc.integer({ min: 0, max: 12 }),
        order: fc.integer({ min: 0, max: 10 }),
        ref: fc.option(fc.integer({ min: 0, max: 8 }), { nil: null }),
        kind: fc.constantFrom('payment' as const, 'payment' as const, 'refund' as const),
        amount: fc.constantFrom(1_000, 2_000),
        status: fc.constantFrom('succeeded', 'succeeded', ...STATUSES),
        minute: fc.integer({ min: 0, max: 3 * 24 * 60 }),
        booked: fc.constantFrom('sale' as const, 'sale' as const, 'duplicate' as const, 'none' as const),
        refundOf: fc.integer({ min: 0, max: 10 }),
      }),
      { maxLength: 14 },
    ),
    lines: fc.array(
      fc.record({
        n: fc.integer({ min: 0, max: 16 }),
        order: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
        ref: fc.integer({ min: 0, max: 10 }),
        kind: fc.constantFrom('payment' as const, 'payment' as const, 'refund' as const, 'no_money' as const),
        amount: fc.constantFrom(1_000, 2_000),
        minute: fc.integer({ min: 0, max: 2 * 24 * 60 }),
      }),
      { maxLength: 16 },
    ),
  })
  .map(({ attempts, lines }) => ({
    attempts: attempts.map((a) => recordedFrom(a, TWO_DAYS_BEFORE)),
    lines: lines.map((l) => lineFrom(l, DAY_BEFORE)),
  }));

const dayOf = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

describe('the exact split', () => {
  it('pairs plus the full matcher on the residue is the full matcher on everything', () => {
    fc.assert(
      fc.property(tangled, ({ attempts, lines }) => {
        const days = new Set(lines.map((l) => dayOf(l.at)));
        const whole = matchStatement(lines, attempts, [], days);
        const split = splitExact(lines, attempts);
        const rest = matchStatement(split.lines, split.attempts, [], days);
        expect({
          matched: [...split.pairs, ...rest.matched].sort((x, y) => (x.lineKey < y.lineKey ? -1 : 1)),
          cases: rest.cases,
        }).toEqual(whole);
      }),
      { numRuns: 2_000 },
    );
  });

  it('the same, line by line as a file is read: the same lines in any order, repeats withdrawn', () => {
    fc.assert(
      fc.property(tangled, fc.integer({ min: 1, max: 1_000_000 }), ({ attempts, lines }, seed) => {
        // As the importer does it: the attempts that pair on sight in whatever order the database
        // gives them, then each line as it comes.
        const unique = [...new Map(lines.map((l) => [l.key, l])).values()];
        const split = new ExactSplit();
        for (const a of shuffled(onSightOf(attempts), seed))
          split.add(a.attemptId, a.merchantOrderNo, a.amountFen, a.providerRef);
        const read = shuffled(unique, seed + 1);
        for (const l of read) split.offerLine(l);
        const { pairs, unpaired } = split.finish();
        const stood = split.pairList();
        expect(pairs).toBe(stood.length);
        // Order of reading changes nothing: the same pairs as over the lines in hand.
        expect(stood).toEqual(splitExact(unique, attempts).pairs);
        for (const id of unpaired) expect(stood.some((p) => p.attemptId === id)).toBe(false);
      }),
      { numRuns: 1_000 },
    );
  });

  it('paired as read from the packed attempts, in any pieces, it answers what adding them one by one does', async () => {
    const onSightIds = (attempts: RecordedAttempt[]) => new Set(onSightOf(attempts).map((a) => a.attemptId));
    await fc.assert(
      fc.asyncProperty(tangled, fc.integer({ min: 1, max: 1_000_000 }), async ({ attempts, lines }, seed) => {
        fc.pre(lines.length > 0); // no line asks for attempts
        const sight = onSightIds(attempts);
        const rows = shuffled(attempts, seed).map((a) =>
          [
            sight.has(a.attemptId) ? 's' : 'o',
            a.attemptId,
            a.merchantOrderNo,
            a.amountFen,
            a.providerRef ?? '',
          ].join(PACKED_UNIT),
        );
        // The rows in pieces cut where the seed says (an empty piece among them, as a query can give).
        const cuts = [
          0,
          ...[...new Set(rows.map((_, i) => (i * seed) % (rows.length + 1)))].sort((a, b) => a - b),
          rows.length,
        ];
        const pieces = cuts.slice(1).map((end, i) => rows.slice(cuts[i], end).join(PACKED_ROW) || null);
        const pairing = new LinePairing(async function* (day) {
          if (day === '2026-11-23') yield* pieces;
        });
        const wire: unknown[] = [];
        for (const l of lines) {
          toWire(l, wire);
          wire[wire.length - WIRE_WIDTH + WIRE_AT.day] = '2026-11-23'; // the tangled lines' keys carry no day
        }
        await pairing.pair(wire);

        const split = new ExactSplit();
        const others: string[] = [];
        for (const a of shuffled(attempts, seed))
          if (sight.has(a.attemptId)) split.add(a.attemptId, a.merchantOrderNo, a.amountFen, a.providerRef);
          else others.push(a.attemptId);
        const answers = lines.map((l) => split.offerLine(l));
        expect(lines.map((_, i) => wire[i * WIRE_WIDTH + WIRE_AT.attempt_id])).toEqual(answers);
        expect(pairing.finish()).toEqual({ days: ['2026-11-23'], otherAttempts: others, ...split.finish() });
      }),
      { numRuns: 500 },
    );
  });

  it('a line read twice in one file pairs with nothing: the stored one is the matcher’s', () => {
    const split = new ExactSplit();
    split.add('a1', 'O1', 1_000, 'R1');
    const l = line({ key: 'L1', merchantOrderNo: 'O1', providerRef: 'R1', amountFen: 1_000 });
    expect(split.offerLine(l)).toBe('a1');
    expect(split.offerLine(l)).toBeNull();
    expect(split.finish()).toMatchObject({ pairs: 0, withdrawn: ['L1'] });
  });

  it('a charge naming only a paired attempt’s reference withdraws the pair (the matcher falls back to it)', () => {
    const split = new ExactSplit();
    split.add('a1', 'O1', 1_000, 'R1');
    expect(
      split.offerLine(line({ key: 'L1', merchantOrderNo: 'O1', providerRef: 'R1', amountFen: 1_000 })),
    ).toBe('a1');
    expect(
      split.offerLine(line({ key: 'L2', merchantOrderNo: '', providerRef: 'R1', amountFen: 1_000 })),
    ).toBeNull();
    expect(split.finish()).toMatchObject({ pairs: 0, withdrawn: ['L1'] });
  });
});
