/** The tables a piece of source names in its queries (Kysely calls and raw SQL), in order. */
import { SCHEMA_TABLES } from './schema-tables';

export interface TableUse {
  table: string;
  /** The call or keyword that names it. */
  how: string;
  write: boolean;
}

const WRITES = new Set([
  'insertInto',
  'updateTable',
  'deleteFrom',
  'BulkInsert',
  'INSERT INTO',
  'UPDATE',
  'DELETE FROM',
]);
const KYSELY =
  /\b(selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|BulkInsert)(?:<[^>]*>)?\(\s*['"]([a-z_]+)(?:\s+as\s+\w+)?['"]/g;
const RAW = /\b(INSERT INTO|DELETE FROM|UPDATE|FROM|JOIN)\s+([a-z_]+)\b/g;

export function tablesNamed(text: string): TableUse[] {
  const found: (TableUse & { at: number })[] = [];
  for (const m of text.matchAll(KYSELY)) {
    const [, how = '', table = ''] = m;
    if (SCHEMA_TABLES.has(table)) found.push({ table, how, write: WRITES.has(how), at: m.index ?? 0 });
  }
  for (const m of text.matchAll(RAW)) {
    const [, how = '', table = ''] = m;
    if (SCHEMA_TABLES.has(table)) found.push({ table, how, write: WRITES.has(how), at: m.index ?? 0 });
  }
  return found.sort((a, b) => a.at - b.at).map(({ table, how, write }) => ({ table, how, write }));
}
