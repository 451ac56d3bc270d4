import { describe, expect, it } from 'vitest';
import { type Lifecycle, moveIn, validateLifecycle } from '../../src/kernel';
import { ATTEMPT_TRANSITIONS, REFUND_LIFECYCLE, transitionAttempt } from '../../src/payments/attempt-model';
import { LIFECYCLES, validateLifecycles } from '../../src/start';

const sound: Lifecycle<'a' | 'b' | 'c', 'go' | 'stop' | 'back'> = {
  name: 'example',
  states: ['a', 'b', 'c'],
  events: ['go', 'stop', 'back'],
  initial: 'a',
  ends: ['c'],
  transitions: { a: { go: 'b' }, b: { stop: 'c', back: 'a' }, c: {} },
};

describe('lifecycles', () => {
  it('registers the eleven lifecycles of the store, each sound', () => {
    expect(LIFECYCLES.map((l) => l.name)).toEqual([
      'sale',
      'parked sale',
      'payment attempt',
      'refund',
      'slip',
      'follow-up case',
      'manual confirmation',
      'approval',
      'notification',
      'complaint',
      'reconciliation case',
    ]);
    for (const lifecycle of LIFECYCLES) expect(validateLifecycle(lifecycle), lifecycle.name).toEqual([]);
    expect(() => validateLifecycles()).not.toThrow();
  });

  it('ends every life where the store says it ends: nothing moves a settled slip, a used approval, a sent message', () => {
    // Pinned by hand, not read off the tables: a table that let one of these move again would
    // let money or goods move twice.
    const endsForGood: [string, string][] = [
      ['slip', 'settled'],
      ['slip', 'written_off'],
      ['approval', 'used'],
      ['approval', 'denied'],
      ['notification', 'sent'],
      ['parked sale', 'resumed'],
      ['manual confirmation', 'confirmed'],
      ['refund', 'succeeded'],
      ['payment attempt', 'reversed'],
    ];
    for (const [name, state] of endsForGood) {
      const l = LIFECYCLES.find((x) => x.name === name)!;
      expect(l.ends, name).toContain(state);
      for (const event of l.events)
        expect(moveIn(l, state, event).ok, `${name}: ${state} --${event}-->`).toBe(false);
    }
    // And a resolved reconciliation case is the one end a person may reopen.
    const recon = LIFECYCLES.find((x) => x.name === 'reconciliation case')!;
    expect(moveIn(recon, 'resolved', 'reopen')).toEqual({ ok: true, to: 'open' });
  });

  it('accepts a sound table', () => {
    expect(validateLifecycle(sound)).toEqual([]);
  });

  it('names a dead end: a state that is not an end and leads nowhere else', () => {
    const broken = { ...sound, transitions: { ...sound.transitions, b: { back: 'b' as const } } };
    expect(validateLifecycle(broken)).toEqual(
      expect.arrayContaining(['b is a dead end', 'c is unreachable from a', 'event stop moves nothing']),
    );
  });

  it('names an undeclared event and an unknown target', () => {
    const broken = {
      ...sound,
      transitions: { ...sound.transitions, a: { go: 'b', jump: 'z' } },
    } as unknown as Lifecycle;
    expect(validateLifecycle(broken)).toEqual(
      expect.arrayContaining(['a --jump--> unknown state z', 'a --jump--> uses an undeclared event']),
    );
  });

  it('names a loop no row could leave', () => {
    const trap: Lifecycle = {
      name: 'trap',
      states: ['a', 'b', 'c', 'd'],
      events: ['go', 'back', 'end'],
      initial: 'a',
      ends: ['d'],
      transitions: { a: { go: 'b', end: 'd' }, b: { go: 'c' }, c: { back: 'b' }, d: {} },
    };
    expect(validateLifecycle(trap)).toEqual(['no end can be reached from b', 'no end can be reached from c']);
  });

  it('names a lifecycle with no end, and an end or initial state it does not declare', () => {
    expect(validateLifecycle({ ...sound, ends: [] })).toContain('no state ends the lifecycle');
    expect(validateLifecycle({ ...sound, ends: ['z' as 'c'] })).toContain('end z is not a declared state');
  });

  it('never reverses a refund: a deadline moves a charge, not a refund', () => {
    expect(transitionAttempt('unknown', 'deadline')).toEqual({ ok: true, to: 'reversing' });
    expect(transitionAttempt('unknown', 'deadline', 'refund')).toEqual({
      ok: false,
      from: 'unknown',
      event: 'deadline',
    });
    // Every refund move is a move a charge may make too: the refund table only takes away.
    for (const [from, moves] of Object.entries(REFUND_LIFECYCLE.transitions))
      for (const [event, to] of Object.entries(moves))
        expect(
          (ATTEMPT_TRANSITIONS as Record<string, Record<string, string>>)[from]?.[event],
          `${from} ${event}`,
        ).toBe(to);
  });
});
