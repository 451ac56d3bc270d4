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
