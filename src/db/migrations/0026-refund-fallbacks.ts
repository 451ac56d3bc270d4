import type { Kysely } from 'kysely';

/**
 * A return's refund that failed at its provider can be paid in cash instead, with a manager's
 * approval: the cash part names the failed part it replaces, which stays as it was (its history).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('return_refunds').addColumn('replaces', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('return_refunds').dropColumn('replaces').execute();
}
