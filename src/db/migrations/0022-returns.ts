import type { Kysely } from 'kysely';

/**
 * Returns (退货): some lines of a past sale back, each with where the goods went (back on sale or
 * aside as damaged), and the refunds that gave the money back — each a part of one of the sale's
 * payments, by the operation its provider took (a refund attempt of its own, or cash from the
 * drawer). The sale keeps what returns gave back (`returned_fen`): a void after a return would give
 * back the same money twice.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sales')
    .addColumn('returned_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('returns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('store_id', 'text', (c) => c.notNull())
    .addColumn('sale_id', 'text', (c) => c.notNull())
    .addColumn('till_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('with_receipt', 'integer', (c) => c.notNull())
    .addColumn('refund_fen', 'bigint', (c) => c.notNull())
    .addColumn('approval_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('returns_sale').on('returns').column('sale_id').execute();
  await db.schema
    .createTable('return_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('return_id', 'text', (c) => c.notNull().references('returns.id'))
    .addColumn('sale_line_id', 'text', (c) => c.notNull())
    .addColumn('variant_id', 'text', (c) => c.notNull())
    .addColumn('qty', 'integer', (c) => c.notNull())
    .addColumn('refund_fen', 'bigint', (c) => c.notNull())
    .addColumn('disposition', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('return_lines_return').on('return_lines').column('return_id').execute();
  await db.schema
    .createTable('return_refunds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('return_id', 'text', (c) => c.notNull().references('returns.id'))
    .addColumn('tender', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    // The payment's attempt it gives back from (null: cash), and the refund attempt it made.
    .addColumn('original_attempt_id', 'text')
    .addColumn('attempt_id', 'text')
    // Why no provider took it back, when the store's cash fallback paid it instead.
    .addColumn('blocked', 'text')
    .execute();
  await db.schema.createIndex('return_refunds_return').on('return_refunds').column('return_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('return_refunds').execute();
  await db.schema.dropTable('return_lines').execute();
  await db.schema.dropTable('returns').execute();
  await db.schema.alterTable('sales').dropColumn('returned_fen').execute();
}
