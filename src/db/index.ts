export { configFromEnv, type Db, type DbConfig, type Dialect, openDb } from './connection';
export { type Durability, transaction } from './durability';
export { migrateToLatest } from './migrate';
export type * from './schema';
export {
  containsText,
  isUniqueViolation,
  likeContains,
  lockedForUpdate,
  sumInt,
} from './sql';
