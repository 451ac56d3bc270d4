import type { Kysely } from 'kysely';

/**
 * Where a payment row's money moved, when that is not its sale's till: a return's cash leaves the
 * drawer of the till that took the return, which may be another than the one that sold. The day
 * close counts each row at its own till (null: the sale's, as before).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payments').addColumn('till_id', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payments').dropColumn('till_id').execute();
}
