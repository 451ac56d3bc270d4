import type { Kysely } from 'kysely';

/**
 * A wallet payment code is held in memory until its request leaves (payments/payment-codes.ts),
 * never in the database: a value nulled a moment after it was written still survives in the WAL
 * and in freed pages. The column goes.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payment_attempts').dropColumn('payment_code').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payment_attempts').addColumn('payment_code', 'text').execute();
}
