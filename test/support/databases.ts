/**
 * The databases every store test runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL is
 * set (CI sets it). Each test context gets a fresh database: a temp SQLite file, or a fresh
 * PostgreSQL schema dropped afterwards.
 */
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

let counter = 0;

export async function freshDatabase(name: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (name === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'tillsafe-test-'));
    return {
      name,
      config: { dialect: 'sqlite', file: path.join(dir, 'tillsafe.sqlite') },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    name,
    config: { dialect: 'postgres', url: POSTGRES_URL, schema, poolSize: 8 },
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}
