import type { Kysely } from 'kysely';

/**
 * An exchange (换货) is a return whose goods pay for others: the return names the sale of the goods
 * taken instead, and how much of its value went to that sale as credit rather than back to tenders.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('returns').addColumn('exchange_sale_id', 'text').execute();
  await db.schema
    .alterTable('returns')
    .addColumn('credit_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('returns').dropColumn('credit_fen').execute();
  await db.schema.alterTable('returns').dropColumn('exchange_sale_id').execute();
}
