/**
 * A return (退货) of some lines of a past sale, pure: what may still be returned, and what each
 * returned unit gives back. No I/O; the sale, its earlier returns and the clock are the caller's.
 *
 * A line's money is its net total (after its own and its share of the sale's discount). Units
 * returned across several returns give back exactly that total in the end: the first k units of a
 * line of q for T fen are worth floor(T·k/q), so every return takes the difference and the last
 * one takes what is left, never a fen more or less than the line was sold for.
 */

/** A line of the sale as sold. */
export interface SoldLine {
  lineId: string;
  variantId: string;
  qty: number;
  /** What the customer paid for the whole line, in fen (its net total). */
  totalFen: number;
}

/** A line asked to be returned: which one, how many units. */
export interface ReturnAsk {
  lineId: string;
  qty: number;
}

/** A line of the return as it will be recorded, with the money its units give back. */
export interface ReturnedLine {
  lineId: string;
  variantId: string;
  qty: number;
  refundFen: number;
}

export type ReturnProblem =
  | { code: 'return_nothing' }
  | { code: 'return_line_unknown'; lineId: string }
  | { code: 'return_line_twice'; lineId: string }
  | { code: 'return_qty_invalid'; lineId: string }
  | { code: 'return_qty_exceeds'; lineId: string; returnableQty: number };

/** Units of each line already returned (earlier returns of the same sale), by line id. */
export type ReturnedSoFar = ReadonlyMap<string, number>;

/** What each line may still give back: units sold less those returned. */
export function returnableQty(line: SoldLine, returned: ReturnedSoFar): number {
  return Math.max(0, line.qty - (returned.get(line.lineId) ?? 0));
}

/** What the first `units` of a line are worth (cumulative, so the parts add up to the line). */
function worthOfFirst(line: SoldLine, units: number): number {
  if (units >= line.qty) return line.totalFen;
  return Math.floor((line.totalFen * units) / line.qty);
}

/** What returning `qty` more units of a line gives back, after `already` were returned. */
export function refundForUnits(line: SoldLine, already: number, qty: number): number {
  return worthOfFirst(line, already + qty) - worthOfFirst(line, already);
}

/**
 * The lines a return asks for, checked against the sale and its earlier returns: every line known,
 * each named once, a whole number of units, never more than was sold and not yet returned.
 */
export function planReturn(
  sold: readonly SoldLine[],
  returned: ReturnedSoFar,
  asks: readonly ReturnAsk[],
): { ok: true; lines: ReturnedLine[]; refundFen: number } | { ok: false; problem: ReturnProblem } {
  const byId = new Map(sold.map((l) => [l.lineId, l]));
  const seen = new Set<string>();
  const lines: ReturnedLine[] = [];
  for (const ask of asks) {
    const line = byId.get(ask.lineId);
    if (!line) return { ok: false, problem: { code: 'return_line_unknown', lineId: ask.lineId } };
    if (seen.has(ask.lineId))
      return { ok: false, problem: { code: 'return_line_twice', lineId: ask.lineId } };
    seen.add(ask.lineId);
    if (!Number.isSafeInteger(ask.qty) || ask.qty <= 0)
      return { ok: false, problem: { code: 'return_qty_invalid', lineId: ask.lineId } };
    const left = returnableQty(line, returned);
    if (ask.qty > left)
      return { ok: false, problem: { code: 'return_qty_exceeds', lineId: ask.lineId, returnableQty: left } };
    lines.push({
      lineId: line.lineId,
      variantId: line.variantId,
      qty: ask.qty,
      refundFen: refundForUnits(line, returned.get(line.lineId) ?? 0, ask.qty),
    });
  }
  if (lines.length === 0) return { ok: false, problem: { code: 'return_nothing' } };
  return { ok: true, lines, refundFen: lines.reduce((sum, l) => sum + l.refundFen, 0) };
}
