import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BulkInsert,
  type Db,
  migrateToLatest,
  openDb,
  prepared,
  rowOf,
  type StatementBatchesTable,
  transaction,
} from '../../src/db';
import { DIALECTS, freshDatabase, type TestDatabase } from '../support/databases';

const INSERT = prepared((db, p: { scope: string; name: string; value: number }) =>
  db.insertInto('counters').values(rowOf(p, ['scope', 'name', 'value'])),
);
const BY_SCOPE = prepared((db, p: { scope: string }) =>
  db.selectFrom('counters').select(['name', 'value']).where('scope', '=', p.scope).orderBy('name'),
);

const BATCHES = new BulkInsert<StatementBatchesTable>(
  'statement_batches',
  [
    'id',
    'provider',
    'store_id',
    'file_name',
    'file_sha256',
    'lines',
    'new_lines',
    'first_day',
    'last_day',
    'imported_by',
    'imported_at',
  ],
  'id',
  ['provider', 'imported_by'],
);
const batchRow = (id: string, lines: number) => [id, null, `${id}.csv`, 'sha', lines, 0, null, null, 'now'];

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

  it('bulk inserts: many rows a statement, the shared columns once, conflicts skipped and not counted — inside and outside transactions', async () => {
    const inside = await transaction(db, 'full', async (tx) =>
      BATCHES.run(tx, [...batchRow('b1', 1), ...batchRow('b2', 2), ...batchRow('b1', 9)], {
        provider: 'card',
        imported_by: 'cli',
      }),
    );
    const outside = await BATCHES.run(db.kysely, [...batchRow('b2', 7), ...batchRow('b3', 3)], {
      provider: 'wechat',
      imported_by: 'staff_x',
    });
    expect({ inside, outside }).toEqual({ inside: 2, outside: 1 });
    const rows = await db.kysely
      .selectFrom('statement_batches')
      .select(['id', 'provider', 'lines', 'imported_by', 'file_name'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: 'b1', provider: 'card', lines: 1, imported_by: 'cli', file_name: 'b1.csv' },
      { id: 'b2', provider: 'card', lines: 2, imported_by: 'cli', file_name: 'b2.csv' },
      { id: 'b3', provider: 'wechat', lines: 3, imported_by: 'staff_x', file_name: 'b3.csv' },
    ]);
  });
});
