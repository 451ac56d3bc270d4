/**
 * The customer's wallet payment codes, from the scan until the request leaves — in this process's
 * memory only, never in the database: a code written to a row, even one nulled a moment later,
 * survives in the WAL and in freed pages on disk. A code is good for about a minute and one use;
 * an attempt whose code was lost with a restart is not sent (the customer scans a fresh one).
 */
const held = new Map<string, string>();
/** Bounded: codes of attempts never driven (a rolled-back start) must not pile up. */
const MAX_HELD = 10_000;

export function holdPaymentCode(attemptId: string, code: string): void {
  if (held.size >= MAX_HELD) {
    const oldest = held.keys().next().value;
    if (oldest !== undefined) held.delete(oldest);
  }
  held.set(attemptId, code);
}

/** The code, if this process still holds it; it stays until `dropPaymentCode`. */
export function heldPaymentCode(attemptId: string): string | undefined {
  return held.get(attemptId);
}

/** Its one use is now: the code never outlives the request. */
export function dropPaymentCode(attemptId: string): void {
  held.delete(attemptId);
}
