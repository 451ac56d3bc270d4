/**
 * The exception desk's rules: every (state, event) pair of the follow-up case, allowed and
 * forbidden, against a table written out here independently; when a case is due and a parked
 * sale's hold ends, in the store's own time; the order of the manager's queue; what a
 * customer's phone number may be.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CASE_EVENTS,
  CASE_STATUSES,
  CASE_TRANSITIONS,
  type CaseStatus,
  closingFits,
  FINAL_CASE_STATUSES,
  followUpDueAt,
  maskEmail,
  orderQueue,
  type QueueEntry,
  transitionCase,
  urgencyOf,
} from '../../src/exceptions/model';
import { DEFAULT_HOURS, validateTransitionTable } from '../../src/kernel';
import { PARK_HOLD_MS, parkExpiresAt } from '../../src/sales/model';
import { maskPhone, normalizePhone } from '../../src/shared';

const CASE_ALLOWED: Record<string, CaseStatus> = {
  'open/contacted': 'contacted',
  'open/noted': 'open',
  'open/paid': 'settled',
  'open/cancel': 'cancelled',
  'open/write_off': 'written_off',
  'open/manual_confirmation': 'awaiting_statement',
  'contacted/contacted': 'contacted',
  'contacted/noted': 'contacted',
  'contacted/paid': 'settled',
  'contacted/cancel': 'cancelled',
  'contacted/write_off': 'written_off',
  'contacted/manual_confirmation': 'awaiting_statement',
  'awaiting_statement/noted': 'awaiting_statement',
  'awaiting_statement/statement_confirms': 'settled',
  'awaiting_statement/statement_disagrees': 'open',
};

describe('follow-up case transitions (every pair)', () => {
  for (const from of CASE_STATUSES)
    for (const event of CASE_EVENTS) {
      const expected = CASE_ALLOWED[`${from}/${event}`];
      it(`${from} --${event}--> ${expected ?? 'refused'}`, () => {
        expect(transitionCase(from, event)).toEqual(
          expected ? { ok: true, to: expected } : { ok: false, from, event },
        );
      });
    }

  it('the table is sound, and a closed case never moves again', () => {
    expect(validateTransitionTable(CASE_STATUSES, 'open', CASE_TRANSITIONS)).toEqual([]);
    for (const status of FINAL_CASE_STATUSES) expect(CASE_TRANSITIONS[status]).toEqual({});
  });

  it('while proof awaits the statement, no payment can settle the case too (money counted once)', () => {
    expect(transitionCase('awaiting_statement', 'paid').ok).toBe(false);
    expect(transitionCase('awaiting_statement', 'cancel').ok).toBe(false);
  });

  it('a cancel restocks held goods; a write-off accepts goods taken — never the other way round', () => {
    expect(closingFits('cancel', 'held')).toBe(true);
    expect(closingFits('cancel', 'taken')).toBe(false);
    expect(closingFits('write_off', 'taken')).toBe(true);
    expect(closingFits('write_off', 'held')).toBe(false);
  });
});

/** A moment in Shanghai (UTC+8) as a UTC instant. */
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe('business days, in the store’s own time', () => {
  it('a slip issued any time of the day is due at 10:00 the next morning, Shanghai time', () => {
    expect(followUpDueAt(shanghai('2026-12-01T15:30:00'))).toBe(shanghai('2026-12-02T10:00:00'));
    expect(followUpDueAt(shanghai('2026-12-01T00:05:00'))).toBe(shanghai('2026-12-02T10:00:00'));
    expect(followUpDueAt(shanghai('2026-12-01T23:59:00'))).toBe(shanghai('2026-12-02T10:00:00'));
    // 01:00 UTC on the 2nd is already 09:00 on the 2nd in Shanghai: due on the 3rd.
    expect(followUpDueAt(Date.parse('2026-12-02T01:00:00Z'))).toBe(shanghai('2026-12-03T10:00:00'));
    expect(followUpDueAt(shanghai('2026-12-31T20:00:00'))).toBe(shanghai('2027-01-01T10:00:00'));
  });

  it('is always the next local day’s opening, strictly later, at most two days on (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2035-01-01') }), (at) => {
        const due = followUpDueAt(at);
        expect(due).toBeGreaterThan(at);
        expect(due - at).toBeLessThanOrEqual(2 * 86_400_000);
        const local = new Date(due + DEFAULT_HOURS.utcOffsetMinutes * 60_000);
        expect([local.getUTCHours(), local.getUTCMinutes()]).toEqual([10, 0]);
      }),
    );
  });

  it('a parked sale holds its goods four hours, but not past closing at 22:00', () => {
    const morning = shanghai('2026-12-01T11:00:00');
    expect(parkExpiresAt(morning)).toBe(morning + PARK_HOLD_MS);
    expect(parkExpiresAt(shanghai('2026-12-01T20:30:00'))).toBe(shanghai('2026-12-01T22:00:00'));
    // Parked after closing (a late till): the full hold.
    const late = shanghai('2026-12-01T22:30:00');
    expect(parkExpiresAt(late)).toBe(late + PARK_HOLD_MS);
  });
});

describe('the follow-up queue', () => {
  const now = shanghai('2026-12-02T10:05:00');
  const entry = (
    id: string,
    status: CaseStatus,
    due: string,
    opened = '2026-11-30T12:00:00',
  ): QueueEntry => ({
    id,
    status,
    dueAt: shanghai(due),
    openedAt: shanghai(opened),
  });

  it('puts overdue cases first, then today’s, then later ones, and leaves closed cases out', () => {
    const queue = orderQueue(
      [
        entry('later', 'open', '2026-12-03T10:00:00'),
        entry('today', 'contacted', '2026-12-02T18:00:00'),
        entry('settled', 'settled', '2026-11-30T10:00:00'),
        entry('overdue-new', 'open', '2026-12-02T10:00:00'),
        entry('overdue-old', 'awaiting_statement', '2026-12-01T10:00:00'),
      ],
      now,
    );
    expect(queue.map((e) => e.id)).toEqual(['overdue-old', 'overdue-new', 'today', 'later']);
    expect(urgencyOf(entry('x', 'open', '2026-12-02T23:59:00'), now)).toBe('due_today');
  });

  it('never loses or repeats an open case, and is ordered by urgency then due time (property)', () => {
    const status = fc.constantFrom(...CASE_STATUSES);
    const arb = fc.array(
      fc.record({
        id: fc.uuid(),
        status,
        dueAt: fc.integer({ min: now - 5 * 86_400_000, max: now + 5 * 86_400_000 }),
        openedAt: fc.integer({ min: now - 10 * 86_400_000, max: now }),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(arb, (entries) => {
        const queue = orderQueue(entries, now);
        const open = entries.filter((e) => !FINAL_CASE_STATUSES.has(e.status));
        expect(queue.length).toBe(open.length);
        expect(new Set(queue)).toEqual(new Set(open));
        const rank = { overdue: 0, due_today: 1, later: 2 } as const;
        for (let i = 1; i < queue.length; i++) {
          const [a, b] = [queue[i - 1]!, queue[i]!];
          const ra = rank[urgencyOf(a, now)];
          const rb = rank[urgencyOf(b, now)];
          expect(ra <= rb).toBe(true);
          if (ra === rb) expect(a.dueAt <= b.dueAt).toBe(true);
        }
      }),
    );
  });
});

describe('the customer’s phone', () => {
  it.each([
    ['13812345678', '+8613812345678'],
    ['138 1234 5678', '+8613812345678'],
    ['138-1234-5678', '+8613812345678'],
    ['+86 138 1234 5678', '+8613812345678'],
    ['008619912345678', '+8619912345678'],
    ['021-62880001', '+86-21-62880001'],
    ['010 8888 8888', '+86-10-88888888'],
    ['0571-87654321', '+86-571-87654321'],
    ['+86-21-62880001', '+86-21-62880001'],
    ['+86 571 87654321', '+86-571-87654321'],
  ])('%s is %s', (text, normalized) => expect(normalizePhone(text)).toBe(normalized));

  it.each([
    '',
    '12812345678',
    '1381234567',
    '138123456789',
    '+1 415 555 0100',
    '0000000',
    '011-12345678',
    '0271234567',
    'call me',
    '138１2345678',
    `1${'3'.repeat(30)}`,
  ])('%s is refused', (text) => expect(normalizePhone(text)).toBeNull());

  it('masks the middle for the screen and the slip', () => {
    expect(maskPhone('+8613812345678')).toBe('+86138****5678');
    expect(maskPhone('+86-21-62880001')).toBe('+86-21-****0001');
  });

  it('anything it accepts has 11 national digits for a mobile, and normalising twice changes nothing (property)', () => {
    const likely = fc.oneof(
      fc.string({ maxLength: 24 }),
      fc.stringMatching(/^(\+86|0086)?[ -]?0?(10|2\d|[3-9]\d\d)[ -]?\d{7,8}$/),
      fc.stringMatching(/^(\+86 ?)?1[3-9]\d{9}$/),
    );
    fc.assert(
      fc.property(likely, (text) => {
        const n = normalizePhone(text);
        if (n === null) return;
        expect(normalizePhone(n)).toBe(n);
        if (!n.includes('-')) expect(n).toMatch(/^\+861[3-9]\d{9}$/);
      }),
    );
  });
});

describe('a customer e-mail address as staff see it', () => {
  it('keeps the first letter and the domain only', () => {
    expect(maskEmail('li.xiansheng@example.com')).toBe('l***@example.com');
    expect(maskEmail('a@b.cn')).toBe('a***@b.cn');
    expect(maskEmail('not-an-address')).toBe('***');
  });
});
