/** What the tills recorded at a provider, as the pairing and the matcher need it. */
import { type RawBuilder, sql } from 'kysely';
import type { Dialect, Tx } from '../db';
import type { RecordedAttempt } from './matcher';
import { PACKED_ROW, PACKED_UNIT } from './packed-text';
import { type AttemptSource, dayBounds, daysAround } from './pairing';
import type { StatementProvider } from './statement';
import { ATTEMPT_PIECES, CHUNK, type ImportPhase } from './statement-import';

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
      let q = tx
        .selectFrom('payment_attempts as a')
        .select(
          packedRows(dialect, [
            // matcher.ts's pairsOnSight, asked of the database: a payment that succeeded and is
            // booked to its sale (recordedOf reads "booked" from the same payment row).
            sql`case when a.kind = 'payment' and a.status = 'succeeded' and exists (select 1 from payments p where p.attempt_id = a.id and p.status = 'succeeded') then 's' else 'o' end`,
            sql`a.id`,
            sql`a.merchant_order_no`,
            sql`a.amount_fen`,
            sql`a.provider_ref`,
          ]).as('packed'),
        )
        .where('a.tender', '=', provider)
        .where('a.created_at', '>=', edges[k]!)
        .where('a.created_at', '<', edges[k + 1]!);
      if (storeId) q = q.where('a.store_id', '=', storeId);
      const query = q;
      yield (await timed('load', () => query.executeTakeFirst()))?.packed ?? null;
    }
  };
}

/** Attempts as the matcher needs them (narrowed by the caller: a provider's window, or ids). */
function attemptsQuery(tx: Tx, storeId: string | null) {
  let q = tx
    .selectFrom('payment_attempts as a')
    .leftJoin('payments as p', 'p.attempt_id', 'a.id')
    .innerJoin('sales as s', 's.id', 'a.sale_id')
    .leftJoin('payment_attempts as o', 'o.id', 'a.refund_of')
    .select([
      'a.id',
      'a.kind',
      'a.merchant_order_no',
      'a.provider_ref',
      'a.amount_fen',
      'a.status',
      'a.created_at',
      'a.till_id',
      'a.sale_id',
      'a.store_id',
      'p.status as booked',
      's.status as sale_status',
      'o.merchant_order_no as refund_of_order_no',
    ]);
  if (storeId) q = q.where('a.store_id', '=', storeId);
  return q;
}

export type AttemptRow = Awaited<ReturnType<ReturnType<typeof attemptsQuery>['execute']>>[number];

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
): Promise<AttemptRow[]> {
  const rows: AttemptRow[] = [];
  const base = () => attemptsQuery(tx, storeId);
  if (!only) {
    for (const day of daysAround(days))
      rows.push(
        ...(await base()
          .where('a.tender', '=', provider)
          .where('a.created_at', '>=', dayBounds(day).from)
          .where('a.created_at', '<', dayBounds(day).to)
          .execute()),
      );
  } else {
    // Ids the pairing read around these days. By id alone: with the provider too, SQLite would
    // walk that provider's attempts instead.
    for (let i = 0; i < only.ids.length; i += CHUNK)
      rows.push(
        ...(await base()
          .where('a.id', 'in', only.ids.slice(i, i + CHUNK))
          .execute()),
      );
  }
  // One row per attempt (an attempt may have more than one payment row): the one that books it to
  // its sale when there is one, as the pairing's SQL asks (`exists … status = 'succeeded'`).
  const byId = new Map<string, AttemptRow>();
  for (const r of rows) if (!byId.has(r.id) || r.booked === 'succeeded') byId.set(r.id, r);
  return [...byId.values()];
}

export function recordedOf(provider: StatementProvider, r: AttemptRow): RecordedAttempt {
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
  values: readonly RawBuilder<unknown>[],
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
