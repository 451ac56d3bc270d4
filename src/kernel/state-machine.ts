/**
 * State machines as data (Vendure's habit): a table of (state, event) → next state, a pure
 * transition, and a check run at start-up so a broken table never serves a till.
 */

export type TransitionResult<S> = { ok: true; to: S } | { ok: false; from: S; event: string };

/** The next state for `event` in `from`, or a refusal naming both. */
export function transitionIn<S extends string, E extends string>(
  table: Readonly<Record<S, Partial<Record<E, S>>>>,
  from: S,
  event: E,
): TransitionResult<S> {
  const to = table[from][event];
  return to ? { ok: true, to } : { ok: false, from, event };
}

/**
 * Checks a transition table at start-up: every target is a declared state and every state is
 * reachable from the initial one. Returns the problems found (empty when sound).
 */
export function validateTransitionTable<S extends string, E extends string>(
  states: readonly S[],
  initial: S,
  table: Readonly<Record<S, Partial<Record<E, S>>>>,
): string[] {
  const problems: string[] = [];
  for (const state of states) {
    for (const [event, target] of Object.entries(table[state] ?? {}) as [E, S][]) {
      if (!states.includes(target)) problems.push(`${state} --${event}--> unknown state ${target}`);
    }
  }
  const reached = new Set<S>([initial]);
  const queue: S[] = [initial];
  while (queue.length > 0) {
    const state = queue.shift()!;
    for (const target of Object.values(table[state] ?? {}) as S[]) {
      if (!reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  for (const state of states)
    if (!reached.has(state)) problems.push(`${state} is unreachable from ${initial}`);
  return problems;
}

/**
 * A lifecycle as data: its states, the events that move it, where it starts, where a life may end,
 * and the table of (state, event) → next state. Every room declares its rows' lifecycles this way;
 * start-up validates them all (src/start/lifecycles.ts) and the services move rows only through them.
 */
export interface Lifecycle<S extends string = string, E extends string = string> {
  readonly name: string;
  readonly states: readonly S[];
  readonly events: readonly E[];
  readonly initial: S;
  /** States a life may rest in for good (it may still have ways on, as a reopen). */
  readonly ends: readonly S[];
  readonly transitions: Readonly<Record<S, Partial<Record<E, S>>>>;
}

/** The next state of a lifecycle for `event` in `from`, or a refusal naming both. */
export function moveIn<S extends string, E extends string>(
  lifecycle: Lifecycle<S, E>,
  from: S,
  event: E,
): TransitionResult<S> {
  return transitionIn(lifecycle.transitions, from, event);
}

/**
 * Everything `validateTransitionTable` checks, and: every event in the table is declared and every
 * declared event is used; no state outside `ends` is a dead end (no way to another state); and
 * from every state some end can be reached (no loop a row could never leave).
 */
export function validateLifecycle<S extends string, E extends string>(lifecycle: Lifecycle<S, E>): string[] {
  const { states, events, initial, ends, transitions } = lifecycle;
  const problems = validateTransitionTable(states, initial, transitions);
  if (!states.includes(initial)) problems.push(`initial state ${initial} is not declared`);
  if (ends.length === 0) problems.push('no state ends the lifecycle');
  for (const end of ends) if (!states.includes(end)) problems.push(`end ${end} is not a declared state`);
  for (const state of Object.keys(transitions) as S[])
    if (!states.includes(state)) problems.push(`the table moves undeclared state ${state}`);
  const used = new Set<string>();
  for (const state of states)
    for (const event of Object.keys(transitions[state] ?? {})) {
      used.add(event);
      if (!events.includes(event as E)) problems.push(`${state} --${event}--> uses an undeclared event`);
    }
  for (const event of events) if (!used.has(event)) problems.push(`event ${event} moves nothing`);
  const onward = (state: S) =>
    (Object.values(transitions[state] ?? {}) as S[]).filter((target) => target !== state);
  for (const state of states)
    if (!ends.includes(state) && onward(state).length === 0) problems.push(`${state} is a dead end`);
  for (const state of states) {
    const seen = new Set<S>([state]);
    const queue: S[] = [state];
    let ended = ends.includes(state);
    while (queue.length > 0 && !ended) {
      for (const target of onward(queue.shift()!)) {
        if (ends.includes(target)) ended = true;
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    if (!ended) problems.push(`no end can be reached from ${state}`);
  }
  return problems;
}
