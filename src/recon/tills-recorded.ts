/** What the tills recorded at a provider, as the pairing and the matcher need it. */
import { type Expression, type RawBuilder, sql } from 'kysely';
import type { Dialect, Tx } from '../db';
import {
  type AttemptFacts,
  attemptsAggregated,
  type RecordedAttemptRow,
  recordedByIds,
  recordedInSpan,
} from '../payments';
import type { RecordedAttempt } from './matcher';
import { PACKED_ROW, PACKED_UNIT } from './packed-text';
import { type AttemptSource, dayBounds, daysAround } from './pairing';
import type { StatementProvider } from './statement';
import { ATTEMPT_PIECES, type ImportPhase } from './statement-import';

/**
 * The attempts at this provider created on a day, for the pairing: in ATTEMPT_PIECES pieces of
 * the day, each one read (packedRows) as it is asked for.
 */
export function attemptsOfDay(
  tx: Tx,
  dialect: Dialect,
  provider: StatementProvider,
  storeId: string | null,
  timed: <T>(phase: ImportPhase, work: () => Promise<T>) => Promise<T>,
): AttemptSource {
  return async function* (attemptDay) {
    const { from, to } = dayBounds(attemptDay);
    const start = Date.parse(from);
    const span = (Date.parse(to) - start) / ATTEMPT_PIECES;
    const edges = Array.from({ length: ATTEMPT_PIECES + 1 }, (_, k) =>
      k === 0 ? from : k === ATTEMPT_PIECES ? to : new Date(start + k * span).toISOString(),
    );
    for (let k = 0; k < ATTEMPT_PIECES; k++) {
      const piece = { tender: provider, from: edges[k]!, to: edges[k + 1]!, storeId };
      const packed = await timed('load', () =>
        attemptsAggregated(tx, piece, (a) =>
          packedRows(dialect, [onSightSql(a), a.id, a.merchantOrderNo, a.amountFen, a.providerRef]),
        ),
      );
      yield packed;
    }
  };
}

/**
 * matcher.ts's pairsOnSight, asked of the database: a payment that succeeded and is booked to its
 * sale ('s'), or not ('o'). recordedOf reads "booked" from the same payment row for the matcher.
 */
function onSightSql(a: AttemptFacts): RawBuilder<string> {
  return sql<string>`case when ${a.kind} = 'payment' and ${a.status} = 'succeeded' and ${a.bookedToSale} then 's' else 'o' end`;
}

/**
 * The attempts at the provider around the statement's days (daysAround) — all of them, or only
 * those named (the residue's).
 */
export async function attemptsAround(
  tx: Tx,
  provider: StatementProvider,
  days: readonly string[],
  storeId: string | null,
  only: { ids: string[] } | null,
): Promise<RecordedAttemptRow[]> {
  if (only) return recordedByIds(tx, only.ids, storeId);
  const rows: RecordedAttemptRow[] = [];
  for (const day of daysAround(days))
    rows.push(...(await recordedInSpan(tx, { tender: provider, ...dayBounds(day), storeId })));
  return rows;
}

export function recordedOf(provider: StatementProvider, r: RecordedAttemptRow): RecordedAttempt {
  return {
    attemptId: r.id,
    kind: r.kind === 'refund' ? 'refund' : 'payment',
    merchantOrderNo: r.merchant_order_no,
    providerRef: r.provider_ref,
    amountFen: Number(r.amount_fen),
    status: r.status,
    at: r.created_at,
    // A wallet knows the till we named (terminal_id, device_info); an acquirer names its own terminal.
    terminalId: provider === 'card' ? null : r.till_id,
    saleId: r.sale_id,
    refundOfOrderNo: r.refund_of_order_no ?? null,
    booked:
      r.booked === 'succeeded'
        ? 'sale'
        : r.booked === 'duplicate' || r.booked === 'duplicate_refunded'
          ? 'duplicate'
          : 'none',
    onAccount: r.sale_status === 'on_account',
  };
}

/**
 * Many rows as one text: each row's values joined by U+001F, rows by U+001E (`group_concat` in
 * SQLite, `string_agg` in PostgreSQL), a null as ''. Reading a day's million attempts this way is
 * one value across the driver instead of a million rows (creating the rows was most of the
 * reading); the reader reads the values where they are in the text.
 */
export function packedRows(
  dialect: Dialect,
  values: readonly Expression<unknown>[],
): RawBuilder<string | null> {
  const char = (c: string) => sql.raw(`${dialect === 'postgres' ? 'chr' : 'char'}(${c.charCodeAt(0)})`);
  const unit = char(PACKED_UNIT);
  const row = sql.join(
    values.map((v) => sql`coalesce(cast(${v} as text), '')`),
    sql` || ${unit} || `,
  );
  return dialect === 'postgres'
    ? sql<string | null>`string_agg(${row}, ${char(PACKED_ROW)})`
    : sql<string | null>`group_concat(${row}, ${char(PACKED_ROW)})`;
}
