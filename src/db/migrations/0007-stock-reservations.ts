import type { Kysely } from 'kysely';

/**
 * Goods set aside (a parked sale, a slip whose goods the store holds) are reserved, not sold: the
 * ledger gains `reserve` and `release` movements, which move `reserved` and leave `on_hand` as it
 * is. Available to sell = on hand − reserved.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('stock_levels')
    .addColumn('reserved', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('stock_levels').dropColumn('reserved').execute();
}
