import { type Kysely, SqliteAdapter, sql } from 'kysely';

/**
 * Reconciliation at a million lines a day: a line's key starts with its provider and day (a day's
 * lines are one range of the primary key, so the separate day index goes), the attempt a line
 * stands for is a column of the line (not a second million-row table), and a payment row's status
 * is in its attempt index (matching reads it for every attempt of a day).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema.alterTable('statement_lines').addColumn('attempt_id', 'text').execute();
  await sql`update statement_lines set attempt_id = (select m.attempt_id from recon_matches m where m.line_key = statement_lines.key)`.execute(
    db,
  );
  await db.schema.dropTable('recon_matches').execute();
  // Old key `provider:rest` → `provider:day:rest`, and what the cases are about with it.
  const newKey = (l: string) =>
    sql.raw(`${l}.provider || ':' || ${l}.day || substr(${l}.key, length(${l}.provider) + 1)`);
  await sql`update recon_cases set line_key = (select ${newKey('l')} from statement_lines l where l.key = recon_cases.line_key) where line_key is not null`.execute(
    db,
  );
  await sql`update recon_cases set about = provider || '|' || kind || '|' || coalesce(line_key, '') || '|' || coalesce(attempt_id, '')`.execute(
    db,
  );
  await sql`update statement_lines set key = ${newKey('statement_lines')}`.execute(db);
  await db.schema.dropIndex('statement_lines_day').execute();
  // Byte order, so that `key >= 'card:2026-11-23:' and key < 'card:2026-11-23;'` is the day (SQLite compares bytes already).
  if (!sqlite) await sql`alter table statement_lines alter column key type text collate "C"`.execute(db);
  await db.schema.dropIndex('payments_attempt').execute();
  await db.schema
    .createIndex('payments_attempt_status')
    .on('payments')
    .columns(['attempt_id', 'status'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('payments_attempt_status').execute();
  await db.schema.createIndex('payments_attempt').on('payments').column('attempt_id').execute();
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
  await sql`insert into recon_matches (line_key, attempt_id, matched_at) select key, attempt_id, '' from statement_lines where attempt_id is not null`.execute(
    db,
  );
  await db.schema.alterTable('statement_lines').dropColumn('attempt_id').execute();
}
