/**
 * How a sale booked a payment attempt, as SQL over another room's row: for queries that ask it of
 * thousands of attempts at once (the statement's matching), where a question per attempt through
 * this door would be thousands of round trips. The tables stay this room's; the caller hands in
 * the attempt's id (or sale id) as an expression of its own query.
 */
import { type Expression, type RawBuilder, sql } from 'kysely';
import type { PaymentStatus, SaleStatus } from '../shared';

/** True when a payment row of its sale books the attempt (a succeeded tender of the sale). */
export function bookedToSaleSql(attemptId: Expression<string>): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from payments p where p.attempt_id = ${attemptId} and p.status = 'succeeded')`;
}

/**
 * The payment row's status for the attempt: 'succeeded' when one books it, else the earliest other
 * (a duplicate, a refunded one); null when the sale has no row for it.
 */
export function bookingOfSql(attemptId: Expression<string>): RawBuilder<PaymentStatus | null> {
  return sql<PaymentStatus | null>`(select p.status from payments p where p.attempt_id = ${attemptId} order by case when p.status = 'succeeded' then 0 else 1 end, p.created_at, p.id limit 1)`;
}

/** The sale's status (on account or not, say). */
export function saleStatusSql(saleId: Expression<string>): RawBuilder<SaleStatus> {
  return sql<SaleStatus>`(select s.status from sales s where s.id = ${saleId})`;
}
