/** Small portable SQL helpers, so the capability stores never branch on dialect. */
import { type RawBuilder, sql } from 'kysely';
import type { Dialect } from './connection';

/** SUM of an integer column as an integer (PostgreSQL would answer numeric text otherwise). */
export function sumInt(column: string): RawBuilder<number> {
  return sql<number>`cast(coalesce(sum(${sql.ref(column)}), 0) as bigint)`;
}

/** Escapes LIKE wildcards in user text so a search for "50%" finds "50%". */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Case-insensitive "contains" on a text column, wildcards in the text taken literally. */
export function containsText(column: string, text: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(column)}) like ${likeContains(text.toLowerCase())} escape '\\'`;
}

/**
 * Case-sensitive "starts with" on a text column, the text taken literally. A comparison of the
 * column's start, not LIKE: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
 */
export function startsWithText(column: string, text: string): RawBuilder<boolean> {
  // Counted in characters (code points), as both databases count them.
  return sql<boolean>`substr(${sql.ref(column)}, 1, ${[...text].length}) = ${text}`;
}

/** True when an error is a unique-constraint violation, in either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Locks the rows a query reads until the transaction ends: `FOR UPDATE` in PostgreSQL, where
 * concurrent transactions could otherwise interleave; nothing in SQLite, which has one writer.
 */
export function lockedForUpdate<Q extends { forUpdate(): Q }>(query: Q, dialect: Dialect): Q {
  return dialect === 'postgres' ? query.forUpdate() : query;
}
