import type { Kysely } from 'kysely';

/** Refunds are attempts too: their own number, their own request, the same care; `refund_of` names the paid attempt. */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('payment_attempts')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('payment'))
    .execute();
  await db.schema.alterTable('payment_attempts').addColumn('refund_of', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payment_attempts').dropColumn('refund_of').execute();
  await db.schema.alterTable('payment_attempts').dropColumn('kind').execute();
}
