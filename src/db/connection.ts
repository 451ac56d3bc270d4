/**
 * One Kysely instance over either SQLite (store mode, embedded) or PostgreSQL (chain mode).
 * Dialect differences stay in this file; every query elsewhere is written once.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { SqliteGroupCommit } from './group-commit';
import { registerDirectSqlite } from './prepared';
import type { Schema } from './schema';
import { Checkpointer, WalSync } from './wal';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Schema>;
  readonly dialect: Dialect;
  /** Where the data lives, for logs and the health check (file path or database URL without password). */
  readonly location: string;
  /** PostgreSQL schema holding our tables (chain mode), when not the default search path. */
  readonly schema: string | undefined;
  /** SQLite only: batches concurrent mutations into shared commits (see group-commit.ts). */
  readonly groupCommit: SqliteGroupCommit | undefined;
  /** SQLite only: the background WAL checkpointer (see wal.ts). */
  readonly checkpointer: Checkpointer | undefined;
  close(): Promise<void>;
}

export type DbConfig = (
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'postgres'; url: string; schema?: string; poolSize?: number }
) & {
  /** Called with every SQL statement run and its duration (diagnostics, tests that count queries). */
  onQuery?: (sql: string, durationMs: number) => void;
};

// PostgreSQL returns int8 (bigint, count) as text; our integers stay below 2^53, so read them
// as numbers and fail loudly if one ever does not fit.
pg.types.setTypeParser(20, (text: string) => {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 out of safe range: ${text}`);
  return value;
});

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): DbConfig {
  if (env.DATABASE_URL) {
    const schema = env.DATABASE_SCHEMA;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
      throw new Error(`DATABASE_SCHEMA is not a plain identifier: ${schema}`);
    return schema
      ? { dialect: 'postgres', url: env.DATABASE_URL, schema }
      : { dialect: 'postgres', url: env.DATABASE_URL };
  }
  const dataDir = path.resolve(env.TILLSAFE_DATA_DIR ?? 'data');
  return { dialect: 'sqlite', file: path.join(dataDir, 'tillsafe.sqlite') };
}

/**
 * Kysely prepares every query anew; preparing is a tenth of a request's time here. The queries
 * are a fixed set of shapes (values are bound, not inlined), so a bounded cache of prepared
 * statements keyed by SQL text pays for itself.
 */
const STATEMENT_CACHE_SIZE = 500;
function statementCache(db: SqliteDatabase.Database): (source: string) => SqliteDatabase.Statement {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return (source) => {
    let statement = cache.get(source);
    if (!statement) {
      statement = db.prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(source, statement);
    }
    return statement;
  };
}

/** The driver as Kysely sees it: the same connection, with `prepare` answered from the cache. */
function withStatementCache(
  db: SqliteDatabase.Database,
  prepare: (source: string) => SqliteDatabase.Statement,
): SqliteDatabase.Database {
  return new Proxy(db, {
    get(target, property, receiver) {
      return property === 'prepare' ? prepare : Reflect.get(target, property, receiver);
    },
  });
}

function queryLogger(config: DbConfig): ((event: LogEvent) => void) | undefined {
  const onQuery = config.onQuery;
  return onQuery ? (event) => onQuery(event.query.sql, event.queryDurationMillis) : undefined;
}

/** Kysely over a SQLite connection, with the statement cache and the direct path for prepared queries. */
function sqliteKysely(sqlite: SqliteDatabase.Database, config: DbConfig): Kysely<Schema> {
  const prepare = statementCache(sqlite);
  const kysely = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite, prepare) }),
    log: queryLogger(config),
  });
  registerDirectSqlite(kysely, { prepare, onQuery: config.onQuery });
  return kysely;
}

/**
 * A store database in memory, for the deterministic simulation: the same schema, queries and
 * group commit, without a file, a WAL or a disk to wait for.
 */
function openMemoryDb(config: DbConfig): Db {
  const sqlite = new SqliteDatabase(':memory:');
  sqlite.pragma('foreign_keys = ON');
  const kysely = sqliteKysely(sqlite, config);
  return {
    kysely,
    dialect: 'sqlite',
    location: ':memory:',
    schema: undefined,
    groupCommit: new SqliteGroupCommit(kysely, async () => undefined),
    checkpointer: undefined,
    close: () => kysely.destroy(),
  };
}

export function openDb(config: DbConfig): Db {
  if (config.dialect === 'sqlite' && config.file === ':memory:') return openMemoryDb(config);
  if (config.dialect === 'sqlite') {
    mkdirSync(path.dirname(config.file), { recursive: true });
    const sqlite = new SqliteDatabase(config.file);
    // WAL, commits without fsync; a commit that must survive a power cut (money, stock) is made
    // durable by group commit syncing the WAL before answering (wal.ts): synchronous=FULL's
    // guarantee, without blocking the event loop on the disk.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // 64 MiB of page cache (the default is 2): a statement's million lines go into indexes that
    // outgrow a small cache at once, and spilling pages made importing one take half again as long.
    sqlite.pragma('cache_size = -65536');
    // After a burst the WAL file is cut back to this size at the next checkpoint.
    sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    const walSync = new WalSync(config.file);
    const checkpointer = new Checkpointer(config.file, sqlite);
    const kysely = sqliteKysely(sqlite, config);
    return {
      kysely,
      dialect: 'sqlite',
      location: config.file,
      schema: undefined,
      groupCommit: new SqliteGroupCommit(kysely, () => walSync.sync()),
      checkpointer,
      close: async () => {
        await checkpointer.close();
        await walSync.close();
        await kysely.destroy();
      },
    };
  }
  const options: pg.PoolConfig = { connectionString: config.url, max: config.poolSize ?? 10 };
  if (config.schema) options.options = `-c search_path=${config.schema}`;
  const pool = new pg.Pool(options);
  const kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }), log: queryLogger(config) });
  return {
    kysely,
    dialect: 'postgres',
    location: config.url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@'),
    schema: config.schema,
    groupCommit: undefined,
    checkpointer: undefined,
    close: () => kysely.destroy(),
  };
}
