/**
 * Asking again at the server's pace. An answer that may still change carries `checkAgainInMs`
 * (an attempt the bank is answering, an approval a manager has not decided, the till's notices);
 * the screen asks again after that long, and stops when the answer says null. No screen chooses
 * its own interval: the pace is part of the server's verdict.
 */
import { useEffect, useRef } from 'react';

/**
 * Calls `ask` every `everyMs` (from the latest answer) until it is null; a failed ask (offline)
 * is tried again at the same pace. `key` restarts the rhythm (another attempt, another request).
 */
export function useFollow(everyMs: number | null, ask: () => Promise<unknown>, key: unknown): void {
  const latest = useRef(ask);
  latest.current = ask;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` restarts the rhythm on purpose
  useEffect(() => {
    if (everyMs === null) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      void latest
        .current()
        .catch(() => undefined)
        .finally(() => {
          if (live) timer = setTimeout(tick, everyMs);
        });
    };
    timer = setTimeout(tick, everyMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [everyMs, key]);
}
