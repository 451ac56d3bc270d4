import type { Kysely } from 'kysely';

/**
 * A till held by a sale waiting at the bank is asked about on every new sale and every tender:
 * the live attempts of a till are one range of this index.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('payment_attempts_till_status')
    .on('payment_attempts')
    .columns(['till_id', 'status'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('payment_attempts_till_status').execute();
}
