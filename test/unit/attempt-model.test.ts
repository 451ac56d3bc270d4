/**
 * The payment attempt's state machine: every (state, event) pair, allowed and forbidden, against
 * a table written out here independently; what late, duplicate and contradictory answers mean;
 * and the sale-level rule that blocks a second charge.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateTransitionTable } from '../../src/kernel';
import {
  ATTEMPT_EVENTS,
  ATTEMPT_STATUSES,
  ATTEMPT_TRANSITIONS,
  type AttemptEvent,
  type AttemptStatus,
  FINAL_STATUSES,
  interpretAnswer,
  MAY_STILL_SUCCEED,
  transitionAttempt,
} from '../../src/payments/attempt-model';

const ALLOWED: Record<string, AttemptStatus> = {
  'created/sent': 'in_flight',
  'created/not_sent': 'failed',
  'created/pending': 'created',
  'in_flight/paid': 'succeeded',
  'in_flight/declined': 'failed',
  'in_flight/not_found': 'failed',
  'in_flight/lost': 'unknown',
  'in_flight/deadline': 'reversing',
  'in_flight/review': 'needs_review',
  'unknown/paid': 'succeeded',
  'unknown/declined': 'failed',
  'unknown/not_found': 'failed',
  'unknown/pending': 'unknown',
  'unknown/deadline': 'reversing',
  'unknown/review': 'needs_review',
  'reversing/reversal_acked': 'reversed',
  'reversing/pending': 'reversing',
  'reversing/review': 'needs_review',
  'needs_review/reviewed_paid': 'succeeded',
  'needs_review/reviewed_not_paid': 'failed',
};

describe('attempt transitions (every pair)', () => {
  for (const from of ATTEMPT_STATUSES)
    for (const event of ATTEMPT_EVENTS) {
      const expected = ALLOWED[`${from}/${event}`];
      it(`${from} --${event}--> ${expected ?? 'refused'}`, () => {
        const result = transitionAttempt(from, event);
        if (expected) expect(result).toEqual({ ok: true, to: expected });
        else expect(result).toEqual({ ok: false, from, event });
      });
    }

  it('the declared table is sound: no unknown target, every state reachable from created', () => {
    expect(validateTransitionTable(ATTEMPT_STATUSES, 'created', ATTEMPT_TRANSITIONS)).toEqual([]);
  });

  it('final states have no way out: succeeded, failed and reversed stay as they are', () => {
    for (const status of FINAL_STATUSES) expect(ATTEMPT_TRANSITIONS[status]).toEqual({});
  });
});

describe('what an answer means', () => {
  it.each([
    ['unknown', 'paid', { kind: 'move', to: 'succeeded' }],
    ['succeeded', 'paid', { kind: 'repeat' }],
    ['failed', 'declined', { kind: 'repeat' }],
    ['unknown', 'lost', { kind: 'repeat' }],
    ['reversed', 'not_found', { kind: 'repeat' }],
    ['succeeded', 'pending', { kind: 'ignore' }],
    ['succeeded', 'lost', { kind: 'ignore' }],
    ['succeeded', 'declined', { kind: 'ignore' }],
    ['reversing', 'paid', { kind: 'ignore' }],
    ['failed', 'paid', { kind: 'conflict', to: 'needs_review' }],
    ['reversed', 'paid', { kind: 'conflict', to: 'needs_review' }],
    ['created', 'paid', { kind: 'conflict', to: 'needs_review' }],
    ['needs_review', 'paid', { kind: 'ignore' }],
  ] as [AttemptStatus, AttemptEvent, unknown][])('%s + %s', (status, event, meaning) => {
    expect(interpretAnswer(status, event)).toEqual(meaning);
  });

  it('a paid attempt is never moved by any later answer (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ATTEMPT_EVENTS), { maxLength: 30 }), (events) => {
        let status: AttemptStatus = 'in_flight';
        let paidSeen = false;
        for (const event of events) {
          const meaning = interpretAnswer(status, event);
          if (status === 'succeeded')
            expect(meaning.kind === 'repeat' || meaning.kind === 'ignore').toBe(true);
          if (meaning.kind === 'move' || meaning.kind === 'conflict') {
            // Every move is one the table allows; a conflict only ever goes to review.
            if (meaning.kind === 'move')
              expect(transitionAttempt(status, event)).toEqual({ ok: true, to: meaning.to });
            status = meaning.to;
          }
          if (status === 'succeeded') paidSeen = true;
        }
        if (paidSeen) expect(status).toBe('succeeded');
      }),
    );
  });

  it('news that money moved is never dropped: "paid" always moves, repeats, goes to review, or the reversal undoes it', () => {
    for (const status of ATTEMPT_STATUSES) {
      const meaning = interpretAnswer(status, 'paid');
      if (meaning.kind === 'ignore') expect(['reversing', 'needs_review']).toContain(status);
    }
  });
});

describe('a second charge', () => {
  it('waits on exactly the states that are not final: every status is one or the other', () => {
    for (const status of ATTEMPT_STATUSES)
      expect(MAY_STILL_SUCCEED.has(status) !== FINAL_STATUSES.has(status), status).toBe(true);
    expect([...MAY_STILL_SUCCEED].sort()).toEqual([
      'created',
      'in_flight',
      'needs_review',
      'reversing',
      'unknown',
    ]);
  });
});
