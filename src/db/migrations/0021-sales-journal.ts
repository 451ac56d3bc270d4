import type { Kysely } from 'kysely';

/**
 * The sales journal's searches in a store with years of sales: a sale by its printed number
 * (unique per store, but looked up without the store when a receipt's code is scanned), a day's
 * sales newest first, an amount range (the index holds the time too, so a page is read in order
 * once the amount is fixed), and the customer's phone on a slip or a complaint.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('sales_number').on('sales').column('number').execute();
  await db.schema.createIndex('sales_store_opened').on('sales').columns(['store_id', 'opened_at']).execute();
  await db.schema
    .createIndex('sales_store_total')
    .on('sales')
    .columns(['store_id', 'total_fen', 'opened_at'])
    .execute();
  await db.schema.createIndex('slips_phone').on('slips').column('customer_phone').execute();
  await db.schema.createIndex('complaints_phone').on('complaints').column('customer_phone').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('complaints_phone').execute();
  await db.schema.dropIndex('slips_phone').execute();
  await db.schema.dropIndex('sales_store_total').execute();
  await db.schema.dropIndex('sales_store_opened').execute();
  await db.schema.dropIndex('sales_number').execute();
}
