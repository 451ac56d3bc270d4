import type { Kysely } from 'kysely';

/**
 * Wrong PINs and passwords are counted per account and client: a stranger's guesses from one
 * client lock that client out, not the person everywhere (the public sign-in list named whom to
 * lock). The staff row keeps the account-wide picture the back office is shown.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sign_in_throttles')
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff.id'))
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'text')
    .addColumn('locked_until', 'text')
    .addPrimaryKeyConstraint('sign_in_throttles_pk', ['staff_id', 'client'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_throttles').execute();
}
