/** What a contract suite's harness can play, and how a test of a fault it cannot play is reported. */
import { it } from 'vitest';

/** Per fault: `true` when the harness plays it, else why the provider (or channel) cannot fail that way. */
export type Coverage<F extends string> = Readonly<Record<F, true | string>>;

/** Declares a test of one fault: run when the harness plays it, else reported skipped with its reason. */
export function itWithFault<F extends string>(coverage: Coverage<F>) {
  return (fault: F, title: string, fn: () => Promise<void>) => {
    const played = coverage[fault];
    if (played === true) it(title, fn);
    // Reported, not left undeclared: the run lists each fault a harness cannot have, and why
    // (the reason is the harness's own, in its coverage), so a missing fault never passes unseen.
    else it.skip(`${title} — not played: ${played}`, fn);
  };
}
