import type { Kysely } from 'kysely';

/** Opening a sale finds the store's cashier by role: an index instead of a scan and a sort. */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('staff_store_role_code')
    .on('staff')
    .columns(['store_id', 'role', 'code'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('staff_store_role_code').execute();
}
