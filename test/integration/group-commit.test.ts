import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, migrateToLatest, openDb, transaction } from '../../src/db';
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

  it('a batch with a payment (full) waiting commits with synchronous=FULL; cart edits alone with NORMAL', async () => {
    const level = (tx: Db['kysely']) =>
      sql<{ synchronous: number }>`pragma synchronous`.execute(tx).then((r) => r.rows[0]!.synchronous);
    const relaxedOnly = await Promise.all([
      transaction(db, 'relaxed', level),
      transaction(db, 'relaxed', level),
    ]);
    expect(relaxedOnly).toEqual([1, 1]);
    const mixed = await Promise.all([transaction(db, 'relaxed', level), transaction(db, 'full', level)]);
    expect(mixed).toEqual([2, 2]);
    // Outside any batch the connection is back at FULL.
    expect(await level(db.kysely)).toBe(2);
  });
});
