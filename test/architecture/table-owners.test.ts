import { describe, expect, it } from 'vitest';
import { TABLE_OWNERS } from './rooms';
import { roomOf, sourceFiles } from './source-files';
import { tablesNamed } from './sql-tables';

const files = sourceFiles().filter(
  (f) => f.path.startsWith('src/') && !f.path.startsWith('src/db/migrations/'),
);
const uses = files.flatMap((f) =>
  tablesNamed(f.text).map((u) => ({ ...u, file: f.path, room: roomOf(f.path).room })),
);

describe('one owner per table', () => {
  it('gives every table of the schema one owning room', async () => {
    const { SCHEMA_TABLES } = await import('./schema-tables');
    expect(Object.keys(TABLE_OWNERS).sort()).toEqual([...SCHEMA_TABLES].sort());
  });

  it('lets only the owning room write a table', () => {
    const foreign = uses.filter((u) => u.write && TABLE_OWNERS[u.table] !== u.room);
    expect(foreign.map((u) => `${u.file}: ${u.how} ${u.table} (owned by ${TABLE_OWNERS[u.table]})`)).toEqual(
      [],
    );
  });

  it('lets only the owning room read a table (another asks through its door)', () => {
    const foreign = uses.filter((u) => !u.write && TABLE_OWNERS[u.table] !== u.room);
    expect(foreign.map((u) => `${u.file}: ${u.how} ${u.table} (owned by ${TABLE_OWNERS[u.table]})`)).toEqual(
      [],
    );
  });

  it('finds the tables a query names, and whether it writes them', () => {
    expect(
      tablesNamed(`db.selectFrom('sales as s').innerJoin('sale_lines as l', 'l.sale_id', 's.id');
        tx.updateTable('slips').set({}); new BulkInsert<X>('statement_lines', COLS);
        sql\`UPDATE stock_levels SET on_hand = 1\`; sql\`SELECT 1 FROM payments p JOIN payment_attempts a ON a.id = p.attempt_id\`;
        sql<boolean>\`exists (select 1 from slips s where s.id = x)\`; // a comment naming sales, from sales`),
    ).toEqual([
      { table: 'sales', how: 'selectFrom', write: false },
      { table: 'sale_lines', how: 'innerJoin', write: false },
      { table: 'slips', how: 'updateTable', write: true },
      { table: 'statement_lines', how: 'BulkInsert', write: true },
      { table: 'stock_levels', how: 'UPDATE', write: true },
      { table: 'payments', how: 'FROM', write: false },
      { table: 'payment_attempts', how: 'JOIN', write: false },
      { table: 'slips', how: 'FROM', write: false },
    ]);
  });
});
