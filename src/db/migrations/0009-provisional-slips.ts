import type { Kysely } from 'kysely';

/**
 * 小单: a sale that cannot be finished now goes on account. The sale keeps on itself that it is on
 * account and whether the customer took the goods (so every later payment keeps it so, and its
 * completion moves stock exactly once); the slip says who owes what; the follow-up case and its
 * timeline are the store's to-do for the next business morning.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sales').addColumn('on_account_at', 'text').execute();
  await db.schema.alterTable('sales').addColumn('goods_taken', 'integer').execute();
  await db.schema
    .createTable('slips')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('sale_id', 'text', (c) => c.notNull().unique().references('sales.id'))
    .addColumn('status', 'text', (c) => c.notNull()) // issued | settled | cancelled | written_off
    .addColumn('goods', 'text', (c) => c.notNull()) // taken | held
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('customer_name', 'text', (c) => c.notNull())
    .addColumn('customer_phone', 'text', (c) => c.notNull())
    .addColumn('total_fen', 'bigint', (c) => c.notNull())
    .addColumn('paid_fen', 'bigint', (c) => c.notNull())
    .addColumn('due_fen', 'bigint', (c) => c.notNull())
    .addColumn('attempt_pending', 'integer', (c) => c.notNull())
    .addColumn('pay_token', 'text', (c) => c.notNull().unique())
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema
    .createTable('follow_up_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('slip_id', 'text', (c) => c.notNull().unique().references('slips.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('follow_up_cases_queue')
    .on('follow_up_cases')
    .columns(['store_id', 'status', 'due_at'])
    .execute();
  await db.schema
    .createTable('follow_up_events')
    .addColumn('case_id', 'text', (c) => c.notNull().references('follow_up_cases.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('detail_json', 'text')
    .addPrimaryKeyConstraint('follow_up_events_pk', ['case_id', 'seq'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('follow_up_events').execute();
  await db.schema.dropTable('follow_up_cases').execute();
  await db.schema.dropTable('slips').execute();
  await db.schema.alterTable('sales').dropColumn('goods_taken').execute();
  await db.schema.alterTable('sales').dropColumn('on_account_at').execute();
}
