/**
 * The portable SQL helpers of src/db/sql.ts (and reconciliation's packedRows) on both databases: each gives the same answer on
 * SQLite and PostgreSQL, so no room's query branches on the dialect.
 */

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  containsText,
  type Db,
  isUniqueViolation,
  likeContains,
  lockedForUpdate,
  migrateToLatest,
  openDb,
  startsWithText,
  sumInt,
} from '../../src/db';
import { packedRows } from '../../src/recon/tills-recorded';
import { DIALECTS, freshDatabase, type TestDatabase } from '../support/databases';

describe.each(DIALECTS)('the portable SQL helpers on %s', (dialect) => {
  let test: TestDatabase;
  let db: Db;
  const rows = [
    { scope: 'dialect', name: 'Cashmere 50% off', value: 3 },
    { scope: 'dialect', name: 'cashmere_cardigan', value: 4_000_000_000 },
    { scope: 'dialect', name: '羊绒开衫', value: 5 },
    { scope: 'dialect', name: 'cashmereX50 off', value: 7 },
  ];

  beforeAll(async () => {
    test = await freshDatabase(dialect);
    db = openDb(test.config);
    await migrateToLatest(db);
    await db.kysely.insertInto('counters').values(rows).execute();
  });
  afterAll(async () => {
    await db.close();
    await test.drop();
  });

  const names = (where: ReturnType<typeof containsText>) =>
    db.kysely
      .selectFrom('counters')
      .select('name')
      .where('scope', '=', 'dialect')
      .where(where)
      .orderBy('name')
      .execute()
      .then((r) => r.map((x) => x.name));

  it('sumInt: an integer beyond 32 bits, and 0 for no rows', async () => {
    const all = await db.kysely
      .selectFrom('counters')
      .select(sumInt('value').as('total'))
      .where('scope', '=', 'dialect')
      .executeTakeFirstOrThrow();
    expect(all.total).toBe(4_000_000_015);
    expect(typeof all.total).toBe('number');
    const none = await db.kysely
      .selectFrom('counters')
      .select(sumInt('value').as('total'))
      .where('scope', '=', 'nothing')
      .executeTakeFirstOrThrow();
    expect(none.total).toBe(0);
  });

  it('likeContains and containsText: case-insensitive, wildcards in the text taken literally', async () => {
    expect(likeContains('50%_')).toBe('%50\\%\\_%');
    expect(await names(containsText('name', '50%'))).toEqual(['Cashmere 50% off']);
    expect(await names(containsText('name', 'CASHMERE'))).toEqual(
      ['Cashmere 50% off', 'cashmereX50 off', 'cashmere_cardigan'].sort(),
    );
    expect(await names(containsText('name', 'e_c'))).toEqual(['cashmere_cardigan']);
    expect(await names(containsText('name', '绒开'))).toEqual(['羊绒开衫']);
  });

  it('startsWithText: case-sensitive, wildcards taken literally', async () => {
    expect(await names(startsWithText('name', 'cash'))).toEqual(
      ['cashmereX50 off', 'cashmere_cardigan'].sort(),
    );
    expect(await names(startsWithText('name', 'Cash'))).toEqual(['Cashmere 50% off']);
    expect(await names(startsWithText('name', 'cashmere_'))).toEqual(['cashmere_cardigan']);
  });

  it('isUniqueViolation: a duplicate key says so; another error does not', async () => {
    const duplicate = await db.kysely
      .insertInto('counters')
      .values(rows[0]!)
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
    const other = await sql`select * from no_such_table`.execute(db.kysely).catch((e: unknown) => e);
    expect(isUniqueViolation(other)).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });

  it('lockedForUpdate: the same rows, locked in PostgreSQL, as is in SQLite', async () => {
    const q = db.kysely.selectFrom('counters').select('name').where('scope', '=', 'dialect').orderBy('name');
    const compiled = lockedForUpdate(q, db.dialect).compile().sql;
    expect(compiled.toLowerCase().includes('for update')).toBe(db.dialect === 'postgres');
    await db.kysely.transaction().execute(async (tx) => {
      const locked = await lockedForUpdate(
        tx.selectFrom('counters').select('name').where('scope', '=', 'dialect').orderBy('name'),
        db.dialect,
      ).execute();
      expect(locked.map((r) => r.name)).toEqual(rows.map((r) => r.name).sort());
    });
  });

  it('packedRows: many rows as one text, values and rows split by their separators, a null as empty', async () => {
    const packed = await db.kysely
      .selectFrom('counters')
      .select(packedRows(db.dialect, [sql`name`, sql`value`, sql`cast(null as text)`]).as('packed'))
      .where('scope', '=', 'dialect')
      .executeTakeFirstOrThrow();
    const read = (packed.packed ?? '')
      .split('\u001e')
      .map((row) => row.split('\u001f'))
      .sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
    expect(read).toEqual(
      rows.map((r) => [r.name, String(r.value), '']).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
    );
  });
});
