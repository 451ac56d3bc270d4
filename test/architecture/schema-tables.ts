/** The tables of the schema, read from `interface Schema` in src/db/schema.ts. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SRC } from './source-files';

const schema = readFileSync(path.join(SRC, 'db', 'schema.ts'), 'utf8');
const block = schema.slice(schema.indexOf('export interface Schema {'));
export const SCHEMA_TABLES: ReadonlySet<string> = new Set(
  [...block.slice(0, block.indexOf('\n}')).matchAll(/^\s{2}([a-z_]+): [A-Z]\w+;/gm)].map((m) => m[1] ?? ''),
);
