import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, DurabilityNotConfirmedError, migrateToLatest, openDb, transaction } from '../../src/db';
import { SqliteGroupCommit } from '../../src/db/group-commit';
import { freshDatabase, type TestDatabase } from '../support/databases';

describe('group commit in store mode (SQLite)', () => {
  let database: TestDatabase;
  let db: Db;
  beforeEach(async () => {
    database = await freshDatabase('sqlite');
    db = openDb(database.config);
    await migrateToLatest(db);
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  const insertCounter = (name: string) => (tx: Db['kysely']) =>
    tx.insertInto('counters').values({ scope: 'test', name, value: 1 }).execute();
  const names = async () =>
    (
      await db.kysely
        .selectFrom('counters')
        .select('name')
        .where('scope', '=', 'test')
        .orderBy('name')
        .execute()
    ).map((r) => r.name);

  it('commits concurrent mutations together, and one that fails takes only itself back', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        transaction(db, 'relaxed', async (tx) => {
          await insertCounter(`m${String(i).padStart(2, '0')}`)(tx);
          if (i % 2 === 1) throw new Error(`mutation ${i} refused`);
          return i;
        }),
      ),
    );
    expect(
      results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<number>).value),
    ).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(10);
    expect(await names()).toEqual(['m00', 'm02', 'm04', 'm06', 'm08', 'm10', 'm12', 'm14', 'm16', 'm18']);
    const stats = db.groupCommit!.stats();
    expect(stats.mutations).toBe(10);
    expect(stats.batches).toBeLessThan(10);
  });

  it('a mutation that violates a constraint is rolled back alone, the batch goes on', async () => {
    const results = await Promise.allSettled([
      transaction(db, 'relaxed', insertCounter('same')),
      transaction(db, 'relaxed', insertCounter('same')),
      transaction(db, 'relaxed', insertCounter('other')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await names()).toEqual(['other', 'same']);
  });

  it('a transaction inside a mutation joins it', async () => {
    await transaction(db, 'full', async (tx) => {
      await insertCounter('outer')(tx);
      await transaction({ ...db, kysely: tx }, 'relaxed', insertCounter('inner'));
    });
    expect(await names()).toEqual(['inner', 'outer']);
  });

  it('a payment (full) is answered only after the WAL is synced; cart edits alone never sync', async () => {
    let releaseSync: () => void = () => {};
    let syncCalls = 0;
    const gc = new SqliteGroupCommit(db.kysely, () => {
      syncCalls++;
      return new Promise<void>((resolve) => {
        releaseSync = resolve;
      });
    });
    await Promise.all([gc.run('relaxed', insertCounter('edit1')), gc.run('relaxed', insertCounter('edit2'))]);
    expect(syncCalls).toBe(0);

    const answered: string[] = [];
    const payment = gc.run('full', insertCounter('payment')).then(() => answered.push('payment'));
    // A cart edit in the same batch is answered at the commit, without waiting for the disk.
    await gc.run('relaxed', insertCounter('edit-same-batch'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    // Committed (visible to reads) but not answered while the disk has not confirmed it.
    expect(await names()).toContain('payment');
    expect(answered).toEqual([]);
    // A cart edit committed after it is not held behind the payment's sync.
    await gc.run('relaxed', insertCounter('edit3')).then(() => answered.push('edit3'));
    expect(answered).toEqual(['edit3']);
    expect(syncCalls).toBe(1);
    releaseSync();
    await payment;
    expect(answered).toEqual(['edit3', 'payment']);
    expect(gc.stats()).toMatchObject({ mutations: 5, syncs: 1 });
  });

  it('a failed sync fails the payments it was meant to confirm, with an error that says retry', async () => {
    const gc = new SqliteGroupCommit(db.kysely, () => Promise.reject(new Error('EIO')));
    await expect(gc.run('full', insertCounter('payment'))).rejects.toBeInstanceOf(
      DurabilityNotConfirmedError,
    );
    // The next cart edit is not held hostage by the failed sync.
    await expect(gc.run('relaxed', insertCounter('edit'))).resolves.toBeDefined();
  });

  it('the real store syncs the WAL for payments and checkpoints it in the background', async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        transaction(db, i % 10 === 0 ? 'full' : 'relaxed', insertCounter(`c${i}`)),
      ),
    );
    expect(db.groupCommit!.stats().syncs).toBeGreaterThan(0);
    const autocheckpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(
      db.kysely,
    );
    expect(autocheckpoint.rows[0]!.wal_autocheckpoint).toBe(0);
    const result = await db.checkpointer!.checkpointNow();
    expect(result.busy).toBe(0);
    expect(result.logFrames).toBeGreaterThan(0);
    expect(result.checkpointedFrames).toBe(result.logFrames);
  });
});
