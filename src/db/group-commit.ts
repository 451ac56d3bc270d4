/**
 * Group commit for the embedded SQLite store. Concurrent mutations run one after another (SQLite
 * has one writer anyway) as savepoints of one transaction, which commits when no more are waiting
 * (or after a bounded batch); only then is each of them answered. The commit — writing the WAL
 * pages — is shared by the batch: concurrent sales append to the same last pages of each table and
 * index, so a batch of eight writes little more than one request.
 *
 * Durability: a batch holding a `full` mutation (money, stock) is answered only after the WAL is
 * synced (`syncWal`, wal.ts). The sync runs on the thread pool while the next batch is already
 * being built, and batches are answered in commit order — a cart edit committed after a payment
 * is never answered before that payment is on the disk.
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
  /** Settles when every batch committed so far may be answered (its sync, if any, is done). */
  private answered: Promise<void> = Promise.resolve();

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
    let durable = false;
    const done: { item: Pending; value: unknown }[] = [];
    const started = performance.now();
    try {
      await this.kysely.transaction().execute(async (tx) => {
        for (let n = 0; n < MAX_BATCH_ITEMS && performance.now() - started < MAX_BATCH_MS; n++) {
          // better-sqlite3 answers synchronously, so without a pause the batch would finish in
          // microtasks before any waiting request was even read: yield once to let them queue.
          if (this.queue.length === 0) await new Promise<void>((resolve) => setImmediate(resolve));
          const next = this.queue.shift();
          if (!next) break;
          await SAVEPOINT.run(tx, {});
          try {
            const value = await next.work(tx);
            await RELEASE.run(tx, {});
            done.push({ item: next, value });
            if (next.durability === 'full') durable = true;
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
    const earlier = this.answered;
    let ready: Promise<void> = earlier;
    if (durable) {
      this.syncs++;
      // Not awaited here: the next batch is built while the disk syncs this one.
      ready = Promise.all([earlier, this.syncWal()]).then(() => undefined);
    }
    // A failed sync fails only the batches it was meant to confirm; a later sync covers them all.
    this.answered = ready.catch(() => undefined);
    ready.then(
      () => {
        for (const { item, value } of done) item.resolve(value);
      },
      (error: unknown) => {
        for (const { item } of done) item.reject(new DurabilityNotConfirmedError(error));
      },
    );
  }

  /** How many commits served how many mutations, and how many WAL syncs (diagnostics, benchmark). */
  stats(): { batches: number; mutations: number; syncs: number } {
    return { batches: this.batches, mutations: this.mutations, syncs: this.syncs };
  }
}
