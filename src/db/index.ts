export { configFromEnv, type Db, type DbConfig, type Dialect, openDb } from './connection';
export { migrateToLatest } from './migrate';
export type * from './schema';
export { containsText, countAll, inTransaction, isUniqueViolation, likeContains, sumInt } from './sql';
