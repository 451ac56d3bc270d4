import type { Kysely } from 'kysely';

/**
 * Reconciliation: each imported statement file (a batch), its lines stored once by their own key
 * (a re-import or an overlapping file adds nothing), which attempt each line stands for, and the
 * differences as cases for the accountant, stored once by what they are about.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('statement_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text')
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('new_lines', 'integer', (c) => c.notNull())
    .addColumn('first_day', 'text')
    .addColumn('last_day', 'text')
    .addColumn('imported_by', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('statement_lines')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('statement_batches.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('merchant_order_no', 'text', (c) => c.notNull())
    .addColumn('provider_ref', 'text', (c) => c.notNull())
    .addColumn('refund_no', 'text')
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('fee_fen', 'bigint', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('terminal_id', 'text')
    .execute();
  await db.schema
    .createIndex('statement_lines_day')
    .on('statement_lines')
    .columns(['provider', 'day'])
    .execute();
  await db.schema
    .createTable('recon_matches')
    .addColumn('line_key', 'text', (c) => c.primaryKey().references('statement_lines.key'))
    .addColumn('attempt_id', 'text', (c) => c.notNull())
    .addColumn('matched_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('recon_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // What the case is about, once: kind | line key | attempt id.
    .addColumn('about', 'text', (c) => c.notNull().unique())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('line_key', 'text')
    .addColumn('attempt_id', 'text')
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('candidates_json', 'text', (c) => c.notNull())
    .addColumn('link_json', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // open | resolved
    .addColumn('resolution', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('recon_cases_open')
    .on('recon_cases')
    .columns(['store_id', 'status', 'kind'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recon_cases').execute();
  await db.schema.dropTable('recon_matches').execute();
  await db.schema.dropTable('statement_lines').execute();
  await db.schema.dropTable('statement_batches').execute();
}
