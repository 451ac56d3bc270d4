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
/** Inside a sql`…` template SQL may be written in lower case too; prose outside it may not count. */
const RAW_ANY_CASE = /\b(insert into|delete from|update|from|join)\s+([a-z_]+)\b/gi;
const SQL_TEMPLATE = /\bsql(?:<[^>]*>)?`([^`]*)`/g;

export function tablesNamed(text: string): TableUse[] {
  const found: (TableUse & { at: number })[] = [];
  for (const m of text.matchAll(KYSELY)) {
    const [, how = '', table = ''] = m;
    if (SCHEMA_TABLES.has(table)) found.push({ table, how, write: WRITES.has(how), at: m.index ?? 0 });
  }
  const seen = new Set<number>();
  const raw = (m: RegExpMatchArray, offset: number) => {
    const [, how = '', table = ''] = m;
    const at = offset + (m.index ?? 0);
    const keyword = how.toUpperCase().replace(/\s+/g, ' ');
    if (!SCHEMA_TABLES.has(table) || seen.has(at)) return;
    seen.add(at);
    found.push({ table, how: keyword, write: WRITES.has(keyword), at });
  };
  for (const m of text.matchAll(RAW)) raw(m, 0);
  for (const t of text.matchAll(SQL_TEMPLATE)) {
    const body = t[1] ?? '';
    const offset = (t.index ?? 0) + t[0].indexOf(body);
    for (const m of body.matchAll(RAW_ANY_CASE)) raw(m, offset);
  }
  return found.sort((a, b) => a.at - b.at).map(({ table, how, write }) => ({ table, how, write }));
}
