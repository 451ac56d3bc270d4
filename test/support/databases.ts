/**
 * The databases every store test runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is
 * set (CI sets it). Each test context gets a fresh database: a temp SQLite file, or a fresh
 * PostgreSQL schema, dropped when the whole run ends (see global-setup.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DbConfig } from '../../src/db';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  config: DbConfig;
  drop(): Promise<void>;
}

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? '';

if (!POSTGRES_URL && !process.env.TILLSAFE_QUIET_SKIPS) {
  console.warn('\n*** TEST_DATABASE_URL is not set: PostgreSQL tests are SKIPPED (CI sets it). ***\n');
}

/** The dialects to loop a suite over. */
export const DIALECTS: ('sqlite' | 'postgres')[] = POSTGRES_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export async function freshDatabase(name: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (name === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'tillsafe-test-'));
    return {
      name,
      config: { dialect: 'sqlite', file: path.join(dir, 'tillsafe.sqlite') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  // This run's name (test/support/global-setup.ts) and a random part: unique across files and runs.
  const schema = `t_${process.env.TILLSAFE_TEST_RUN ?? 'solo'}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    name,
    config: { dialect: 'postgres', url: POSTGRES_URL, schema, poolSize: 8 },
    // Dropped with the rest of the run's schemas when the run ends (global-setup.ts): dropping one
    // now would race with another file's migration, which looks at every schema.
    drop: async () => undefined,
  };
}
