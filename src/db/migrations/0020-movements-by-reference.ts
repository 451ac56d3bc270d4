import type { Kysely } from 'kysely';

/**
 * A sale's (or any document's) stock movements by its reference: what left the store for a sale,
 * what came back with its void or return, read without walking the whole ledger. The same for a
 * payment's refunds (every refund reads what its payment still has), a compensation's refund, and
 * the audit events of one thing (a complaint's history is read from them).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('stock_movements_ref').on('stock_movements').column('ref_id').execute();
  await db.schema
    .createIndex('payment_attempts_refund_of')
    .on('payment_attempts')
    .column('refund_of')
    .execute();
  await db.schema
    .createIndex('audit_events_entity')
    .on('audit_events')
    .columns(['entity_type', 'entity_id'])
    .execute();
  await db.schema
    .createIndex('compensations_refund_attempt')
    .on('compensations')
    .column('refund_attempt_id')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('compensations_refund_attempt').execute();
  await db.schema.dropIndex('audit_events_entity').execute();
  await db.schema.dropIndex('payment_attempts_refund_of').execute();
  await db.schema.dropIndex('stock_movements_ref').execute();
}
