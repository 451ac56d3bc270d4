/** The database: SQLite (store mode) or PostgreSQL (chain mode) through one Kysely schema; migrations, durability, prepared queries. Its only door. */
export { configFromEnv, type Db, type DbConfig, type Dialect, openDb } from './connection';
export { nextNumber } from './counters';
export { type Durability, transaction } from './durability';
export { DurabilityNotConfirmedError } from './group-commit';
export { migrateToLatest } from './migrate';
export { BulkInsert, PreparedQuery, prepared, rowOf } from './prepared';
export type * from './schema';
export {
  containsText,
  isUniqueViolation,
  likeContains,
  lockedForUpdate,
  startsWithText,
  sumInt,
} from './sql';
