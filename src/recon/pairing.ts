/**
 * The statement's lines paired on sight as they are read (the exact split, matcher.ts), where they
 * are read: on the reading thread for a large file, so that the importer only writes them. Before
 * the first line of a day is offered, the attempts around that day are asked for, once each, in
 * the pieces the database gives them (the thread takes in one while the next is read). No I/O
 * here: where the attempts come from is the caller's.
 */

import { ExactSplit } from './matcher';
import { PACKED_ROW, PACKED_UNIT } from './packed-text';
import { type LineKind, providerDay, WIRE_AT, WIRE_WIDTH, type WireLines } from './statement';

/**
 * The attempts at the statement's provider created on `attemptDay` (China time), in pieces, each
 * a packedRows text of: 's' when it pairs on sight (matcher.ts's pairsOnSight) or 'o', id, merchant
 * order number, amount in fen, provider reference. Null: a piece without any.
 */
export type AttemptSource = (attemptDay: string) => AsyncIterable<string | null>;

/** What pairing a whole statement found: the full matcher's residue is read from it. */
export interface PairingResult {
  /** The statement's days (sorted). */
  days: string[];
  /** Ids of the attempts read that do not pair on sight (the full matcher's). */
  otherAttempts: string[];
  /** Pairs that stand (their lines' rows name the attempt). */
  pairs: number;
  /** Keys of lines paired for a while, then contested: the residue's now. */
  withdrawn: string[];
  /** Ids of the attempts that pair on sight and are in no pair that stands. */
  unpaired: string[];
}

export const NO_PAIRING: PairingResult = {
  days: [],
  otherAttempts: [],
  pairs: 0,
  withdrawn: [],
  unpaired: [],
};

const dayStart = (day: string, offsetDays: number) =>
  new Date(Date.parse(`${day}T00:00:00+08:00`) + offsetDays * 86_400_000).toISOString();

/** When `day` (China time, `yyyy-mm-dd`) starts and ends, as the ISO instants attempts are stamped with. */
export function dayBounds(day: string): { from: string; to: string } {
  return { from: dayStart(day, 0), to: dayStart(day, 1) };
}

/**
 * The provider days whose attempts a statement of these days is matched against: each of them
 * and a day either side (a payment sent at 23:59 is on the next day's bill).
 */
export function daysAround(days: Iterable<string>): string[] {
  const around = new Set<string>();
  for (const day of days) for (const k of [-1, 0, 1]) around.add(providerDay(dayStart(day, k)));
  return [...around].sort();
}

/**
 * Pairs each batch of lines (wire form) in place: a line's attempt id, where it pairs on sight,
 * goes in its last field (null: the residue's, for now).
 */
export class LinePairing {
  private readonly days = new Set<string>();
  private readonly attemptDays = new Set<string>();
  private readonly otherAttempts: string[] = [];
  private readonly split = new ExactSplit();

  constructor(private readonly attempts: AttemptSource) {}

  async pair(wire: WireLines): Promise<void> {
    const { key, kind, merchant_order_no, provider_ref, amount_fen, day, attempt_id } = WIRE_AT;
    for (let w = 0; w < wire.length; w += WIRE_WIDTH) {
      const lineDay = wire[w + day] as string;
      if (!this.days.has(lineDay)) {
        this.days.add(lineDay);
        await this.loadAround(lineDay);
      }
      wire[w + attempt_id] = this.split.offer(
        wire[w + key] as string,
        wire[w + kind] as LineKind,
        wire[w + merchant_order_no] as string,
        wire[w + provider_ref] as string,
        wire[w + amount_fen] as number,
      );
    }
  }

  finish(): PairingResult {
    return { days: [...this.days].sort(), otherAttempts: this.otherAttempts, ...this.split.finish() };
  }

  private async loadAround(day: string): Promise<void> {
    for (const attemptDay of daysAround([day])) {
      if (this.attemptDays.has(attemptDay)) continue;
      this.attemptDays.add(attemptDay);
      for await (const packed of this.attempts(attemptDay)) if (packed) this.addPacked(packed);
    }
  }

  /**
   * A piece of attempts (see AttemptSource) into the split: read in place, each row's id, order
   * number and reference left where they are in the text (no string for each value: a day is a
   * million rows).
   */
  private addPacked(text: string): void {
    for (let row = 0; row <= text.length; ) {
      let end = text.indexOf(PACKED_ROW, row);
      if (end < 0) end = text.length;
      const id = text.indexOf(PACKED_UNIT, row) + 1;
      const order = text.indexOf(PACKED_UNIT, id) + 1;
      const amount = text.indexOf(PACKED_UNIT, order) + 1;
      const ref = text.indexOf(PACKED_UNIT, amount) + 1;
      if (ref === 0 || ref > end) throw new Error('attempts: a row without its five values');
      if (text.charCodeAt(row) === SIGHT)
        this.split.addFrom(
          text,
          id,
          order - 1,
          order,
          amount - 1,
          Number(text.slice(amount, ref - 1)),
          ref,
          end,
        );
      else this.otherAttempts.push(text.slice(id, order - 1));
      row = end + 1;
    }
  }
}

/** 's': the attempt pairs on sight. */
const SIGHT = 0x73;
