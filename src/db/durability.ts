/**
 * How hard a commit must be on the disk before we answer. Money and stock changes are `full`:
 * on the disk before the answer (SQLite: group commit syncs the WAL after the commit, wal.ts;
 * PostgreSQL's default). Cart edits — opening a sale, scanning, quantities, discounts — are
 * `relaxed`: they survive a crash of the process, and a power cut could lose the last of them,
 * but the next `full` commit (the payment) makes every earlier commit durable too, so a paid
 * sale always survives a power cut. Writes outside `transaction` (migrations, the demo seed) are
 * relaxed: a power cut right after them leaves the database consistent, and they run again.
 */
import { type Kysely, sql } from 'kysely';
import type { Db } from './connection';
import type { Schema } from './schema';

export type Durability = 'full' | 'relaxed';

export async function transaction<T>(
  db: Db,
  durability: Durability,
  work: (tx: Kysely<Schema>) => Promise<T>,
): Promise<T> {
  if (db.kysely.isTransaction) return work(db.kysely);
  if (db.groupCommit) return db.groupCommit.run(durability, work);
  if (durability === 'full') return db.kysely.transaction().execute(work);
  return db.kysely.transaction().execute(async (tx) => {
    await sql`set local synchronous_commit = off`.execute(tx);
    return work(tx);
  });
}
