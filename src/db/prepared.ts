/**
 * Queries on the hot path — every scan and every payment runs a dozen of them — are built and
 * compiled once per dialect instead of on every call. The builder is written as usual, with
 * placeholders where the values go; running it swaps the values in. In store mode (SQLite) a
 * prepared query inside a transaction goes straight to the driver's cached statement: the
 * transaction holds the only connection, so nothing can interleave, and the query builder's
 * asynchronous machinery is skipped (it was a quarter of a request's time).
 */
import type SqliteDatabase from 'better-sqlite3';
import { type Compilable, type CompiledQuery, type Kysely, SqliteAdapter, sql } from 'kysely';
import type { Dialect } from './connection';
import type { Schema } from './schema';

/** Stands in for a value while the query is compiled; replaced by the call's value when run. */
class Placeholder {
  constructor(readonly name: string) {}
}

interface DirectSqlite {
  prepare(sql: string): SqliteDatabase.Statement;
  onQuery: ((sql: string, durationMs: number) => void) | undefined;
}

// Keyed by the dialect adapter, which a Kysely instance shares with its transactions.
const directByAdapter = new WeakMap<object, DirectSqlite>();

/** Lets prepared queries inside this store's transactions run on the driver directly (connection.ts). */
export function registerDirectSqlite(kysely: Kysely<Schema>, direct: DirectSqlite): void {
  directByAdapter.set(kysely.getExecutor().adapter, direct);
}

function dialectOf(db: Kysely<Schema>): Dialect {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

export class PreparedQuery<P extends object, O> {
  private readonly compiled = new Map<Dialect, CompiledQuery<O>>();

  constructor(private readonly build: (db: Kysely<Schema>, p: P, dialect: Dialect) => Compilable<O>) {}

  private compile(db: Kysely<Schema>): CompiledQuery<O> {
    const dialect = dialectOf(db);
    let compiled = this.compiled.get(dialect);
    if (!compiled) {
      // Every property read gives a placeholder named after it; the builder cannot tell the difference.
      const placeholders = new Proxy({} as P, {
        get: (_target, name) => new Placeholder(String(name)),
      });
      compiled = this.build(db, placeholders, dialect).compile();
      this.compiled.set(dialect, compiled);
    }
    return compiled;
  }

  private bind(compiled: CompiledQuery<O>, params: P): unknown[] {
    return compiled.parameters.map((value) => {
      if (!(value instanceof Placeholder)) return value;
      const bound = (params as Record<string, unknown>)[value.name];
      if (bound === undefined) throw new Error(`prepared query: no value for ${value.name}`);
      return bound;
    });
  }

  private async execute(db: Kysely<Schema>, params: P): Promise<{ rows: O[]; changes: number }> {
    const compiled = this.compile(db);
    const parameters = this.bind(compiled, params);
    const direct = db.isTransaction ? directByAdapter.get(db.getExecutor().adapter) : undefined;
    if (direct) {
      const started = direct.onQuery ? performance.now() : 0;
      const statement = direct.prepare(compiled.sql);
      const result = statement.reader
        ? { rows: statement.all(parameters) as O[], changes: 0 }
        : { rows: [] as O[], changes: statement.run(parameters).changes };
      direct.onQuery?.(compiled.sql, performance.now() - started);
      return result;
    }
    const result = await db.executeQuery<O>({ ...compiled, parameters });
    return { rows: result.rows, changes: Number(result.numAffectedRows ?? 0) };
  }

  async all(db: Kysely<Schema>, params: P): Promise<O[]> {
    return (await this.execute(db, params)).rows;
  }

  async first(db: Kysely<Schema>, params: P): Promise<O | undefined> {
    return (await this.execute(db, params)).rows[0];
  }

  /** Runs a write; answers how many rows it changed. */
  async run(db: Kysely<Schema>, params: P): Promise<number> {
    return (await this.execute(db, params)).changes;
  }
}

/**
 * An insert's row of placeholders. Kysely takes an insert's columns from the keys of its values,
 * and placeholders have none, so an insert names them; leaving a column out does not type-check.
 * (Passing `p` itself compiles to `insert … () values ()`, which both databases refuse outright.)
 */
export function rowOf<T extends object, const K extends readonly (keyof T & string)[]>(
  p: T,
  columns: K &
    ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, K[number]> }),
): T {
  return Object.fromEntries(columns.map((column) => [column, (p as Record<string, unknown>)[column]])) as T;
}

/**
 * A hot-path query, compiled once per dialect. `p.name` in the builder marks where a value goes;
 * `P` types the values each call must give.
 */
export function prepared<P extends object, O>(
  build: (db: Kysely<Schema>, p: P, dialect: Dialect) => Compilable<O>,
): PreparedQuery<P, O> {
  return new PreparedQuery(build);
}

/** A fixed statement without values (savepoints and the like), prepared the same way. */
export function preparedStatement(text: string): PreparedQuery<Record<string, never>, unknown> {
  return new PreparedQuery((db) => ({ compile: () => sql.raw(text).compile(db) }));
}

/**
 * Many rows into one table, many rows a statement, conflicts on `conflict` skipped: a day's
 * million statement lines are ten thousand inserts, not a million. Each call binds one flat
 * array — row after row, the row's own columns in order — and the `shared` columns' values once
 * (one value for every row: on SQLite, whose binding is most of an insert's cost, they are bound
 * once per statement by name; elsewhere they are repeated into each row).
 */
export class BulkInsert<T extends object> {
  private readonly compiled = new Map<string, CompiledQuery<unknown>>();
  private readonly direct = new Map<number, string>();
  /** The columns each row gives, in the order its values come. */
  readonly own: readonly (keyof T & string)[];
  private readonly isShared: readonly boolean[];

  constructor(
    private readonly table: keyof Schema & string,
    private readonly columns: readonly (keyof T & string)[],
    private readonly conflict: keyof T & string,
    private readonly shared: readonly (keyof T & string)[] = [],
  ) {
    this.own = columns.filter((c) => !shared.includes(c));
    this.isShared = columns.map((c) => shared.includes(c));
  }

  /** Every column a row, as Kysely compiles it (PostgreSQL; SQLite outside a transaction). */
  private compile(db: Kysely<Schema>, rows: number): CompiledQuery<unknown> {
    const key = `${dialectOf(db)}:${rows}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      const markers = Array.from({ length: rows }, (_, r) =>
        Object.fromEntries(this.columns.map((c, i) => [c, new Placeholder(`${r}:${i}`)])),
      );
      compiled = db
        .insertInto(this.table)
        // biome-ignore lint/suspicious/noExplicitAny: the rows are placeholders, typed by T at the call
        .values(markers as any)
        // biome-ignore lint/suspicious/noExplicitAny: the column is T's, which the table's type cannot name here
        .onConflict((oc) => oc.column(this.conflict as any).doNothing())
        .compile();
      // The expanded array binds as is only if the statement takes its values in that order.
      compiled.parameters.forEach((p, at) => {
        const [r, i] = (p as Placeholder).name.split(':').map(Number) as [number, number];
        if (r * this.columns.length + i !== at) throw new Error('bulk insert: values out of order');
      });
      this.compiled.set(key, compiled);
    }
    return compiled;
  }

  /** The SQLite statement with the shared columns as named parameters (`@column`). */
  private directSql(rows: number): string {
    let text = this.direct.get(rows);
    if (!text) {
      const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
      const row = `(${this.columns.map((c, i) => (this.isShared[i] ? `@${c}` : '?')).join(', ')})`;
      text = `insert into ${q(this.table)} (${this.columns.map(q).join(', ')}) values ${Array(rows).fill(row).join(', ')} on conflict (${q(this.conflict)}) do nothing`;
      this.direct.set(rows, text);
    }
    return text;
  }

  /** `values`: rows × `own` values; `shared`: the shared columns' values. Answers how many rows went in. */
  async run(db: Kysely<Schema>, values: readonly unknown[], shared: Partial<T> = {}): Promise<number> {
    const rows = values.length / this.own.length;
    if (rows === 0) return 0;
    const direct = db.isTransaction ? directByAdapter.get(db.getExecutor().adapter) : undefined;
    if (direct) {
      const text = this.directSql(rows);
      const started = direct.onQuery ? performance.now() : 0;
      const changes = direct.prepare(text).run(values as unknown[], shared).changes;
      direct.onQuery?.(text, performance.now() - started);
      return changes;
    }
    const compiled = this.compile(db, rows);
    const parameters =
      this.shared.length === 0 ? values : this.expand(values, rows, shared as Record<string, unknown>);
    const result = await db.executeQuery({ ...compiled, parameters });
    return Number(result.numAffectedRows ?? 0);
  }

  private expand(values: readonly unknown[], rows: number, shared: Record<string, unknown>): unknown[] {
    const out: unknown[] = [];
    let at = 0;
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < this.columns.length; i++)
        out.push(this.isShared[i] ? shared[this.columns[i]!] : values[at++]);
    return out;
  }
}
