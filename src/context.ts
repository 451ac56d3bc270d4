import type { Db } from './db';
import type { Clock, IdSource } from './kernel';

/** What every service needs from the outside world; tests pass a manual clock and seeded ids. */
export interface Ctx {
  db: Db;
  clock: Clock;
  ids: IdSource;
}
