import type { Db, Tx } from './db';
import type { Clock, IdSource } from './kernel';
import type { Role } from './shared';

/** Who is acting: the signed-in person of a request (src/access), as services see them. */
export interface Actor {
  staffId: string;
  name: string;
  role: Role;
  /** null: head office, across stores. */
  storeId: string | null;
  surface: 'till' | 'backoffice';
  tillId: string | null;
  sessionId: string;
}

/** What every service needs from the outside world; tests pass a manual clock and seeded ids. */
export interface Ctx {
  db: Db;
  clock: Clock;
  ids: IdSource;
  /** Set per request once the session is known; absent for the CLI, the seed and start-up work. */
  actor?: Actor;
}

/** A customer acting for themselves (paying a slip from its page) is recorded as `customer:<slip id>`. */
export const CUSTOMER_ACTOR_PREFIX = 'customer:';
export const isCustomer = (actor: Actor): boolean => actor.staffId.startsWith(CUSTOMER_ACTOR_PREFIX);

/** The id recorded in audit events and ledgers for whoever acts: the person, or the system. */
export function actorIdOf(ctx: Ctx, fallback = 'system'): string {
  return ctx.actor?.staffId ?? fallback;
}

/** The same context, its queries inside `tx`: services called from a transaction join it. */
export function inTx(ctx: Ctx, tx: Tx): Ctx {
  return { ...ctx, db: { ...ctx.db, kysely: tx } };
}
