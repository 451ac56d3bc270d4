/**
 * Group commit for the embedded SQLite store. Concurrent mutations run one after another (SQLite
 * has one writer anyway) as savepoints of one transaction, which commits when no more are waiting
 * (or after a bounded batch); only then is each of them answered. The commit — writing the WAL
 * pages, and the fsync for money — is shared by the batch: concurrent sales append to the same
 * last pages of each table and index, so a batch of eight writes little more than one request.
 *
 * A mutation that fails is rolled back to its savepoint and answered at once; the others go on.
 * A `full` (payment) mutation never joins a `relaxed` batch: a batch is as durable as its first
 * mutation, and later ones only join a batch at least as durable as they need.
 */
import { type Kysely, sql } from 'kysely';
import type { Durability } from './durability';
import type { Schema } from './schema';

interface Pending {
  durability: Durability;
  work: (tx: Kysely<Schema>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export const MAX_BATCH_ITEMS = 32;
export const MAX_BATCH_MS = 10;

export class SqliteGroupCommit {
  private readonly queue: Pending[] = [];
  private draining = false;
  private batches = 0;
  private mutations = 0;

  constructor(private readonly kysely: Kysely<Schema>) {}

  run<T>(durability: Durability, work: (tx: Kysely<Schema>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ durability, work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) await this.batch();
    } finally {
      this.draining = false;
    }
  }

  private async batch(): Promise<void> {
    let durability: Durability = 'full';
    const done: { item: Pending; value: unknown }[] = [];
    const started = performance.now();
    try {
      await this.kysely.connection().execute(async (connection) => {
        // Decided once the connection is ours (a tick later), so mutations queued in the same tick
        // count: as durable as the most demanding one waiting; a later `full` one waits for the next.
        durability = this.queue.some((p) => p.durability === 'full') ? 'full' : 'relaxed';
        // synchronous cannot change inside a transaction: set it for the whole batch.
        if (durability === 'relaxed') await sql`pragma synchronous = normal`.execute(connection);
        try {
          await connection.transaction().execute(async (tx) => {
            for (let n = 0; n < MAX_BATCH_ITEMS && performance.now() - started < MAX_BATCH_MS; n++) {
              // better-sqlite3 answers synchronously, so without a pause the batch would finish in
              // microtasks before any waiting request was even read: yield once to let them queue.
              if (this.queue.length === 0) await new Promise<void>((resolve) => setImmediate(resolve));
              const next = this.queue[0];
              if (!next) break;
              if (durability === 'relaxed' && next.durability === 'full') break;
              this.queue.shift();
              await sql`savepoint mutation`.execute(tx);
              try {
                const value = await next.work(tx);
                await sql`release mutation`.execute(tx);
                done.push({ item: next, value });
              } catch (error) {
                await sql`rollback to mutation`.execute(tx);
                await sql`release mutation`.execute(tx);
                next.reject(error);
              }
            }
          });
        } finally {
          if (durability === 'relaxed') await sql`pragma synchronous = full`.execute(connection);
        }
      });
    } catch (error) {
      // The commit itself failed: nothing of the batch is stored, so none of it succeeded.
      for (const { item } of done) item.reject(error);
      return;
    }
    this.batches++;
    this.mutations += done.length;
    for (const { item, value } of done) item.resolve(value);
  }

  /** How many commits served how many mutations (for diagnostics and the benchmark). */
  stats(): { batches: number; mutations: number } {
    return { batches: this.batches, mutations: this.mutations };
  }
}
