/**
 * What the tills recorded at a provider, asked by the statement's matching: the attempts of a span
 * of time at one tender, with how their sales booked them. The matching says what it wants of each
 * attempt and how the rows come back (for a day's million, one packed text: its own fast path);
 * the facts are named here, so the attempt and sale tables stay their owners'.
 */
import { type Expression, type RawBuilder, sql } from 'kysely';
import type { Tx } from '../db';
import { bookedToSaleSql, bookingOfSql, saleStatusSql } from '../sales';
import type { Tender } from './provider';

/** Attempts at one tender created in [from, to), at one store or all. */
export interface AttemptSpan {
  tender: Tender;
  from: string;
  to: string;
  storeId: string | null;
}

/** An attempt's facts as SQL over its row, for a caller's aggregate (see attemptsAggregated). */
export interface AttemptFacts {
  id: Expression<string>;
  kind: Expression<string>;
  status: Expression<string>;
  merchantOrderNo: Expression<string>;
  amountFen: Expression<number>;
  providerRef: Expression<string | null>;
  /** A succeeded payment row of its sale books it. */
  bookedToSale: RawBuilder<boolean>;
}

const FACTS: AttemptFacts = {
  id: sql.ref('a.id'),
  kind: sql.ref('a.kind'),
  status: sql.ref('a.status'),
  merchantOrderNo: sql.ref('a.merchant_order_no'),
  amountFen: sql.ref('a.amount_fen'),
  providerRef: sql.ref('a.provider_ref'),
  bookedToSale: bookedToSaleSql(sql.ref('a.id')),
};

/**
 * One text aggregate over the attempts of a span, built by the caller from their facts: a day's
 * attempts cross the driver as one value instead of a row each. Null: no attempt in the span.
 */
export async function attemptsAggregated(
  tx: Tx,
  span: AttemptSpan,
  aggregate: (facts: AttemptFacts) => RawBuilder<string | null>,
): Promise<string | null> {
  let q = tx
    .selectFrom('payment_attempts as a')
    .select(aggregate(FACTS).as('value'))
    .where('a.tender', '=', span.tender)
    .where('a.created_at', '>=', span.from)
    .where('a.created_at', '<', span.to);
  if (span.storeId) q = q.where('a.store_id', '=', span.storeId);
  return (await q.executeTakeFirst())?.value ?? null;
}

function recordedQuery(tx: Tx, storeId: string | null) {
  let q = tx
    .selectFrom('payment_attempts as a')
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
      bookingOfSql(sql.ref('a.id')).as('booked'),
      saleStatusSql(sql.ref('a.sale_id')).as('sale_status'),
      'o.merchant_order_no as refund_of_order_no',
    ]);
  if (storeId) q = q.where('a.store_id', '=', storeId);
  return q;
}

/** An attempt as the matcher reads it, with its sale's booking of it and the sale's status. */
export type RecordedAttemptRow = Awaited<ReturnType<ReturnType<typeof recordedQuery>['execute']>>[number];

/** The attempts of a span, one row each. */
export function recordedInSpan(tx: Tx, span: AttemptSpan): Promise<RecordedAttemptRow[]> {
  return recordedQuery(tx, span.storeId)
    .where('a.tender', '=', span.tender)
    .where('a.created_at', '>=', span.from)
    .where('a.created_at', '<', span.to)
    .execute();
}

/** Ids a statement's query may name at once (well under either database's limit of values). */
const IDS_AT_ONCE = 400;

/**
 * These attempts (an id no attempt has is left out). By id alone: with the tender too, SQLite
 * would walk that tender's attempts instead.
 */
export async function recordedByIds(
  tx: Tx,
  ids: readonly string[],
  storeId: string | null,
): Promise<RecordedAttemptRow[]> {
  const rows: RecordedAttemptRow[] = [];
  for (let i = 0; i < ids.length; i += IDS_AT_ONCE)
    rows.push(
      ...(await recordedQuery(tx, storeId)
        .where('a.id', 'in', ids.slice(i, i + IDS_AT_ONCE))
        .execute()),
    );
  return rows;
}

/** When each of these attempts was made, by id. */
export async function attemptTimes(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  const times = new Map<string, string>();
  for (let i = 0; i < unique.length; i += IDS_AT_ONCE)
    for (const r of await tx
      .selectFrom('payment_attempts')
      .select(['id', 'created_at'])
      .where('id', 'in', unique.slice(i, i + IDS_AT_ONCE))
      .execute())
      times.set(r.id, r.created_at);
  return times;
}
