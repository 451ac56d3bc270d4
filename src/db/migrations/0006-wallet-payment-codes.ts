import type { Kysely } from 'kysely';

/**
 * A QR wallet attempt carries the customer's payment code from the scan until the request leaves
 * (a restart in between can still send it); the column is emptied in the same transaction that
 * records `sent`, so no code outlives its one use.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payment_attempts').addColumn('payment_code', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payment_attempts').dropColumn('payment_code').execute();
}
