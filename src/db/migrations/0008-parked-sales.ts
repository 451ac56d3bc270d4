import type { Kysely } from 'kysely';

/** 挂单: a sale set aside, its goods reserved until it is resumed (at any till of the store) or expires. */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('parked_sales')
    .addColumn('sale_id', 'text', (c) => c.primaryKey().references('sales.id'))
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // parked | resumed | expired
    .addColumn('note', 'text')
    .addColumn('parked_by', 'text', (c) => c.notNull())
    .addColumn('parked_at', 'text', (c) => c.notNull())
    .addColumn('parked_till_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ended_by', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('resumed_till_id', 'text')
    .execute();
  await db.schema
    .createIndex('parked_sales_open')
    .on('parked_sales')
    .columns(['store_id', 'status', 'expires_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('parked_sales').execute();
}
