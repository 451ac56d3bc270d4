import type { Kysely } from 'kysely';

/**
 * Payment attempts: one row per request to a provider, saved before anything is sent, with its
 * own merchant order number; every step it takes is kept in its history. A payment row points at
 * the attempt that paid it.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('payment_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sale_id', 'text', (c) => c.notNull().references('sales.id'))
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id'))
    .addColumn('till_id', 'text', (c) => c.notNull().references('tills.id'))
    .addColumn('tender', 'text', (c) => c.notNull())
    .addColumn('merchant_order_no', 'text', (c) => c.notNull().unique())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider_ref', 'text')
    .addColumn('masked_pan', 'text')
    .addColumn('brand', 'text')
    .addColumn('code', 'text')
    .addColumn('category', 'text')
    .addColumn('slip_json', 'text')
    .addColumn('cashier_id', 'text', (c) => c.notNull())
    .addColumn('checks', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('next_check_at', 'text')
    .addColumn('deadline_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('payment_attempts_sale').on('payment_attempts').column('sale_id').execute();
  // The scheduler's work list: attempts not final, by when they are due.
  await db.schema
    .createIndex('payment_attempts_due')
    .on('payment_attempts')
    .columns(['status', 'next_check_at'])
    .execute();

  await db.schema
    .createTable('payment_attempt_events')
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('payment_attempts.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('meaning', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('detail_json', 'text')
    .addPrimaryKeyConstraint('payment_attempt_events_pk', ['attempt_id', 'seq'])
    .execute();

  await db.schema.alterTable('payments').addColumn('attempt_id', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payments').dropColumn('attempt_id').execute();
  await db.schema.dropTable('payment_attempt_events').execute();
  await db.schema.dropTable('payment_attempts').execute();
}
