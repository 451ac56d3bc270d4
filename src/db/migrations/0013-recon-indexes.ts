import type { Kysely } from 'kysely';

/**
 * What reconciliation reads a day of: the attempts at a provider by time, and each one's payment
 * row by its attempt (without these a day of a million payments is a nested scan).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('payments_attempt').on('payments').column('attempt_id').execute();
  await db.schema
    .createIndex('payment_attempts_tender_time')
    .on('payment_attempts')
    .columns(['tender', 'created_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('payment_attempts_tender_time').execute();
  await db.schema.dropIndex('payments_attempt').execute();
}
