import { type Kysely, sql } from 'kysely';

/**
 * Sign-in, sessions and approvals: staff get hashed credentials, an active flag and a sign-in
 * throttle; sessions are stored by the hash of their token; approvals are one-use grants; a store
 * gets its discount limit (above it, a supervisor approves).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff').addColumn('pin_hash', 'text').execute();
  await db.schema.alterTable('staff').addColumn('password_hash', 'text').execute();
  await db.schema
    .alterTable('staff')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('staff')
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('staff').addColumn('last_failure_at', 'text').execute();
  await db.schema.alterTable('staff').addColumn('locked_until', 'text').execute();
  await db.schema.alterTable('staff').addColumn('removed_at', 'text').execute();
  await db.schema
    .alterTable('staff')
    .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(sql`''`))
    .execute();
  await db.updateTable('staff').set({ updated_at: sql`created_at` }).execute();

  await db.schema
    .alterTable('stores')
    .addColumn('discount_limit_bp', 'integer', (c) => c.notNull().defaultTo(2000))
    .execute();

  await db.schema
    .createTable('sessions')
    // The SHA-256 of the cookie's token: a copy of the database opens no session.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('surface', 'text', (c) => c.notNull())
    .addColumn('store_id', 'text', (c) => c.references('stores.id'))
    .addColumn('till_id', 'text', (c) => c.references('tills.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('end_reason', 'text')
    .execute();
  await db.schema.createIndex('sessions_staff').on('sessions').columns(['staff_id', 'ended_at']).execute();
  await db.schema.createIndex('sessions_till').on('sessions').columns(['till_id', 'ended_at']).execute();

  await db.schema
    .createTable('approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('store_id', 'text', (c) => c.notNull().references('stores.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('sale_id', 'text', (c) => c.references('sales.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('decided_by', 'text', (c) => c.references('staff.id'))
    .addColumn('decided_via', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('approvals_store_status')
    .on('approvals')
    .columns(['store_id', 'status', 'created_at'])
    .execute();

  // Audit search: by actor, by action, by time, per chain.
  await db.schema.createIndex('audit_events_actor').on('audit_events').columns(['actor_id', 'at']).execute();
  await db.schema.createIndex('audit_events_action').on('audit_events').columns(['action', 'at']).execute();
  await db.schema.createIndex('audit_events_chain_at').on('audit_events').columns(['chain', 'at']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['audit_events_actor', 'audit_events_action', 'audit_events_chain_at'])
    await db.schema.dropIndex(index).execute();
  await db.schema.dropTable('approvals').execute();
  await db.schema.dropTable('sessions').execute();
  await db.schema.alterTable('stores').dropColumn('discount_limit_bp').execute();
  for (const column of [
    'pin_hash',
    'password_hash',
    'active',
    'failed_attempts',
    'last_failure_at',
    'locked_until',
    'removed_at',
    'updated_at',
  ])
    await db.schema.alterTable('staff').dropColumn(column).execute();
}
