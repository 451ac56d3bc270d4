/**
 * Group commit for the embedded SQLite store. Concurrent mutations run one after another (SQLite
 * has one writer anyway) as savepoints of one transaction, which commits when no more are waiting
 * (or after a bounded batch); only then is each of them answered. The commit — writing the WAL
 * pages — is shared by the batch: concurrent sales append to the same last pages of each table and
 * index, so a batch of eight writes little more than one request.
 *
 * Durability: a batch holding a `full` mutation (money, stock) is answered only after the WAL is
 * synced (`syncWal`, wal.ts). The sync runs on the thread pool while the next batch is already
 * being built. Cart edits are answered at their commit, even when a payment in the same or an
 * earlier batch is still syncing: their own durability is relaxed anyway, and nothing a till does
 * next depends on another sale's payment being on the disk. (Holding them back left the server
 * idle during every sync: at eight tills nearly every batch holds a payment.)
 *
 * A mutation that fails is rolled back to its savepoint and answered at once; the others go on.
 */
import type { Kysely } from 'kysely';
import type { Durability } from './durability';
import { preparedStatement } from './prepared';
import type { Schema } from './schema';

const SAVEPOINT = preparedStatement('savepoint mutation');
const RELEASE = preparedStatement('release mutation');
const ROLLBACK_TO = preparedStatement('rollback to mutation');

interface Pending {
  durability: Durability;
  work: (tx: Kysely<Schema>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export const MAX_BATCH_ITEMS = 32;
export const MAX_BATCH_MS = 10;

/** The commit went through but the disk did not confirm it: the client should retry (its key replays). */
export class DurabilityNotConfirmedError extends Error {
  constructor(cause: unknown) {
    super(`commit written but not confirmed on disk: ${String(cause)}`, { cause });
    this.name = 'DurabilityNotConfirmedError';
  }
}

export class SqliteGroupCommit {
  private readonly queue: Pending[] = [];
  private draining = false;
  private batches = 0;
  private mutations = 0;
  private syncs = 0;

  constructor(
    private readonly kysely: Kysely<Schema>,
    private readonly syncWal: () => Promise<void>,
  ) {}

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
    const done: { item: Pending; value: unknown }[] = [];
    const started = performance.now();
    try {
      await this.kysely.transaction().execute(async (tx) => {
        for (let n = 0; n < MAX_BATCH_ITEMS && performance.now() - started < MAX_BATCH_MS; n++) {
          // better-sqlite3 answers synchronously, so without a pause the batch would run in
          // microtasks and no request that arrived meanwhile would even be read: yield to the
          // event loop before each mutation, so those requests join this batch (and its commit).
          await new Promise<void>((resolve) => setImmediate(resolve));
          const next = this.queue.shift();
          if (!next) break;
          await SAVEPOINT.run(tx, {});
          try {
            const value = await next.work(tx);
            await RELEASE.run(tx, {});
            done.push({ item: next, value });
          } catch (error) {
            await ROLLBACK_TO.run(tx, {});
            await RELEASE.run(tx, {});
            next.reject(error);
          }
        }
      });
    } catch (error) {
      // The commit itself failed: nothing of the batch is stored, so none of it succeeded.
      for (const { item } of done) item.reject(error);
      return;
    }
    this.batches++;
    this.mutations += done.length;
    // Cart edits are answered at the commit; a payment, once the disk has it.
    const durable = done.filter(({ item }) => item.durability === 'full');
    for (const { item, value } of done) if (item.durability !== 'full') item.resolve(value);
    if (durable.length === 0) return;
    this.syncs++;
    // Not awaited: the next batch is built while the disk syncs this one. The sync starts after
    // this commit, so it covers it and every commit before it, whatever order syncs finish in.
    this.syncWal().then(
      () => {
        for (const { item, value } of durable) item.resolve(value);
      },
      (error: unknown) => {
        for (const { item } of durable) item.reject(new DurabilityNotConfirmedError(error));
      },
    );
  }

  /** How many commits served how many mutations, and how many WAL syncs (diagnostics, benchmark). */
  stats(): { batches: number; mutations: number; syncs: number } {
    return { batches: this.batches, mutations: this.mutations, syncs: this.syncs };
  }
}
