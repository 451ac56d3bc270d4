import type { Kysely } from 'kysely';

/**
 * An attempt taken by a sandbox provider moved no money: it is marked so (and its receipt says
 * it), so a demo or training payment is never mistaken for a real one.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('payment_attempts')
    .addColumn('sandbox', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payment_attempts').dropColumn('sandbox').execute();
}
