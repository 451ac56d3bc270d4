/**
 * How hard a commit must be on the disk before we answer. Money and stock changes are `full`
 * (SQLite synchronous=FULL: fsync of the WAL at commit; PostgreSQL's default). Cart edits —
 * opening a sale, scanning, quantities, discounts — are `relaxed`: they survive a crash of the
 * process, and a power cut could lose the last of them, but the next `full` commit (the payment)
 * makes every earlier commit durable too, so a paid sale always survives a power cut.
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
  if (durability === 'full' || db.kysely.isTransaction)
    return db.kysely.isTransaction ? work(db.kysely) : db.kysely.transaction().execute(work);
  if (db.dialect === 'postgres') {
    return db.kysely.transaction().execute(async (tx) => {
      await sql`set local synchronous_commit = off`.execute(tx);
      return work(tx);
    });
  }
  // SQLite: the setting belongs to the connection and cannot change inside a transaction, so the
  // connection is held for the pragma, the transaction and the reset, and no other query interleaves.
  return db.kysely.connection().execute(async (connection) => {
    await sql`pragma synchronous = normal`.execute(connection);
    try {
      return await connection.transaction().execute(work);
    } finally {
      await sql`pragma synchronous = full`.execute(connection);
    }
  });
}
