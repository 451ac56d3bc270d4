import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, migrateToLatest, openDb, prepared, rowOf, transaction } from '../../src/db';
import { DIALECTS, freshDatabase, type TestDatabase } from '../support/databases';

const INSERT = prepared((db, p: { scope: string; name: string; value: number }) =>
  db.insertInto('counters').values(rowOf(p, ['scope', 'name', 'value'])),
);
const BY_SCOPE = prepared((db, p: { scope: string }) =>
  db.selectFrom('counters').select(['name', 'value']).where('scope', '=', p.scope).orderBy('name'),
);

describe.each(DIALECTS)('prepared queries (%s)', (dialect) => {
  let database: TestDatabase;
  let db: Db;
  const seen: string[] = [];
  beforeEach(async () => {
    database = await freshDatabase(dialect);
    db = openDb({ ...database.config, onQuery: (sql) => seen.push(sql) });
    await migrateToLatest(db);
    seen.length = 0;
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  it('bind each call’s values into the one compiled statement, inside and outside transactions', async () => {
    await transaction(db, 'full', async (tx) => {
      await INSERT.run(tx, { scope: 'p', name: 'b', value: 2 });
      await INSERT.run(tx, { scope: 'p', name: 'a', value: 1 });
    });
    await INSERT.run(db.kysely, { scope: 'other', name: 'c', value: 3 });
    expect(await BY_SCOPE.all(db.kysely, { scope: 'p' })).toEqual([
      { name: 'a', value: 1 },
      { name: 'b', value: 2 },
    ]);
    expect(await BY_SCOPE.first(db.kysely, { scope: 'nobody' })).toBeUndefined();
    // One SQL text for every insert: the values are bound, never inlined (logged by either path).
    expect(new Set(seen.filter((s) => s.startsWith('insert into "counters"'))).size).toBe(1);
    expect(seen.filter((s) => s.startsWith('insert into "counters"'))).toHaveLength(3);
  });

  it('a missing value is an error before anything runs; a rolled-back transaction keeps nothing', async () => {
    await expect(
      INSERT.run(db.kysely, { scope: 'p', name: 'x' } as unknown as {
        scope: string;
        name: string;
        value: number;
      }),
    ).rejects.toThrow('no value for value');
    await expect(
      transaction(db, 'full', async (tx) => {
        await INSERT.run(tx, { scope: 'p', name: 'y', value: 1 });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await BY_SCOPE.all(db.kysely, { scope: 'p' })).toEqual([]);
  });
});
