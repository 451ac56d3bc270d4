/**
 * Searching the audit log for the back office: by store, actor, action, sale and time, newest
 * first, a page at a time. Every value is bound as a parameter (never spliced into SQL), and the
 * action filter is a prefix match with LIKE's wildcards escaped.
 */
import type { Kysely } from 'kysely';
import { type Schema, startsWithText, type Tx } from '../db';
import { Port } from '../kernel';
import { HQ_CHAIN } from './model';
import { type AuditEventView, eventView } from './store';

// What the search asks of the rooms whose rows it names (audit stands below them): plugged at start-up.
/** People's names by id, for each hit's actor. */
export const ACTOR_NAMES = new Port<(db: Tx, ids: readonly string[]) => Promise<Map<string, string>>>(
  'audit.actorNames',
);
/** The id of the person with this staff code (what a manager knows), or null. */
export const STAFF_ID_BY_CODE = new Port<(db: Tx, code: string) => Promise<string | null>>(
  'audit.staffIdByCode',
);
/** The id of the sale with this number (as printed on its receipt), or null. */
export const SALE_ID_BY_NUMBER = new Port<(db: Tx, number: string) => Promise<string | null>>(
  'audit.saleIdByNumber',
);

export interface AuditQuery {
  /** The chains to search: store ids and/or `hq`; null means every chain. */
  chains: string[] | null;
  actor: string | null;
  action: string | null;
  /** A sale id or a sale number. */
  saleId: string | null;
  from: string | null;
  to: string | null;
  /** Continue after this (at, chain, seq) position, from the previous page's `next`. */
  before: { at: string; chain: string; seq: number } | null;
  limit: number;
}

export interface AuditHit extends AuditEventView {
  chain: string;
  actorName: string | null;
  hash: string;
}

export async function searchAudit(
  db: Kysely<Schema>,
  q: AuditQuery,
): Promise<{ events: AuditHit[]; next: string | null }> {
  let query = db.selectFrom('audit_events as e').selectAll('e');
  if (q.chains) query = query.where('e.chain', 'in', q.chains.length > 0 ? q.chains : ['']);
  if (q.actor) {
    // By staff id, or by staff code (what a manager knows).
    const byCode = await STAFF_ID_BY_CODE.call(db, q.actor);
    query = query.where('e.actor_id', 'in', byCode ? [q.actor, byCode] : [q.actor]);
  }
  if (q.action) query = query.where(startsWithText('e.action', q.action));
  if (q.saleId) {
    // By sale id, or by the number printed on the receipt.
    const byNumber = await SALE_ID_BY_NUMBER.call(db, q.saleId);
    query = query.where('e.sale_id', 'in', byNumber ? [q.saleId, byNumber] : [q.saleId]);
  }
  if (q.from) query = query.where('e.at', '>=', q.from);
  if (q.to) query = query.where('e.at', '<', q.to);
  if (q.before) {
    const b = q.before;
    query = query.where((eb) =>
      eb.or([
        eb('e.at', '<', b.at),
        eb.and([eb('e.at', '=', b.at), eb('e.chain', '<', b.chain)]),
        eb.and([eb('e.at', '=', b.at), eb('e.chain', '=', b.chain), eb('e.seq', '<', b.seq)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('e.at', 'desc')
    .orderBy('e.chain', 'desc')
    .orderBy('e.seq', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  const names = await ACTOR_NAMES.call(
    db,
    page.map((r) => r.actor_id),
  );
  return {
    events: page.map((r) => ({
      ...eventView(r),
      chain: r.chain,
      actorName: names.get(r.actor_id) ?? null,
      hash: r.hash,
    })),
    next:
      rows.length > q.limit && last
        ? Buffer.from(JSON.stringify({ at: last.at, chain: last.chain, seq: Number(last.seq) })).toString(
            'base64url',
          )
        : null,
  };
}

/** Reads a `next` cursor back; null when it is not one of ours. */
export function parseCursor(cursor: string): AuditQuery['before'] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof value.at === 'string' && typeof value.chain === 'string' && Number.isInteger(value.seq))
      return { at: value.at, chain: value.chain, seq: value.seq as number };
  } catch {
    // fall through
  }
  return null;
}

/** The chains someone may read: their store's, or (head office) every chain, or the one asked for. */
export function chainsFor(callerStoreId: string | null, askedStoreId: string | null): string[] | null {
  if (callerStoreId !== null) return [callerStoreId];
  if (askedStoreId === HQ_CHAIN || askedStoreId) return [askedStoreId];
  return null;
}
