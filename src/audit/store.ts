import type { Kysely } from 'kysely';
import { type AuditEventsTable, lockedForUpdate, prepared, rowOf, type Schema } from '../db';
import type { Clock, IdSource } from '../kernel';
import {
  type AuditFields,
  auditHash,
  type ChainLink,
  type ChainVerdict,
  GENESIS_HASH,
  HQ_CHAIN,
  verifyChain,
} from './model';

export interface AuditEntry {
  storeId: string | null;
  actorId: string;
  action: string;
  entityType: string;
  entityId: string;
  saleId?: string | null;
  before?: unknown;
  after?: unknown;
}

// Read with a row lock (PostgreSQL) so concurrent appenders take turns and the chain never forks.
const HEAD = prepared((db, p: { chain: string }, dialect) =>
  lockedForUpdate(db.selectFrom('audit_heads').select(['seq', 'hash']).where('chain', '=', p.chain), dialect),
);
const INSERT_EVENT = prepared((db, p: AuditEventsTable) =>
  db
    .insertInto('audit_events')
    .values(
      rowOf(p, [
        'id',
        'chain',
        'seq',
        'store_id',
        'at',
        'actor_id',
        'action',
        'entity_type',
        'entity_id',
        'sale_id',
        'before_json',
        'after_json',
        'prev_hash',
        'hash',
      ]),
    ),
);
const SET_HEAD = prepared((db, p: { chain: string; seq: number; hash: string }) =>
  db.updateTable('audit_heads').set({ seq: p.seq, hash: p.hash }).where('chain', '=', p.chain),
);

/**
 * Appends events inside the caller's transaction, so a change and its audit events commit or roll
 * back together. Per chain: the head row is read under a lock (PostgreSQL; SQLite has one writer),
 * the events are inserted, and the head moves to the last one's seq and hash.
 */
export async function appendAudit(
  tx: Kysely<Schema>,
  clock: Clock,
  ids: IdSource,
  entries: AuditEntry | readonly AuditEntry[],
): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries as AuditEntry];
  const byChain = new Map<string, AuditEntry[]>();
  for (const entry of list) {
    const chain = entry.storeId ?? HQ_CHAIN;
    const group = byChain.get(chain);
    if (group) group.push(entry);
    else byChain.set(chain, [entry]);
  }
  const at = clock.now().toISOString();
  for (const [chain, chainEntries] of byChain) {
    let head = await HEAD.first(tx, { chain });
    if (!head) {
      // First event of this chain.
      await tx
        .insertInto('audit_heads')
        .values({ chain, seq: 0, hash: GENESIS_HASH })
        .onConflict((oc) => oc.column('chain').doNothing())
        .execute();
      head = await HEAD.first(tx, { chain });
      if (!head) throw new Error(`audit head for chain ${chain} could not be created`);
    }
    let prevHash = head.hash;
    let seq = head.seq;
    const rows = chainEntries.map((entry) => {
      seq++;
      const fields: AuditFields = {
        chain,
        seq,
        storeId: entry.storeId,
        at,
        actorId: entry.actorId,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        saleId: entry.saleId ?? null,
        beforeJson: entry.before === undefined ? null : JSON.stringify(entry.before),
        afterJson: entry.after === undefined ? null : JSON.stringify(entry.after),
      };
      const hash = auditHash(prevHash, fields);
      const row = {
        id: ids.next('aud'),
        chain,
        seq,
        store_id: fields.storeId,
        at,
        actor_id: fields.actorId,
        action: fields.action,
        entity_type: fields.entityType,
        entity_id: fields.entityId,
        sale_id: fields.saleId,
        before_json: fields.beforeJson,
        after_json: fields.afterJson,
        prev_hash: prevHash,
        hash,
      };
      prevHash = hash;
      return row;
    });
    for (const row of rows) await INSERT_EVENT.run(tx, row);
    await SET_HEAD.run(tx, { chain, seq, hash: prevHash });
  }
}

export async function readChain(db: Kysely<Schema>, chain: string): Promise<ChainLink[]> {
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('chain', '=', chain)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    chain: r.chain,
    seq: r.seq,
    storeId: r.store_id,
    at: r.at,
    actorId: r.actor_id,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    saleId: r.sale_id,
    beforeJson: r.before_json,
    afterJson: r.after_json,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}

export async function listChains(db: Kysely<Schema>): Promise<string[]> {
  const rows = await db.selectFrom('audit_heads').select('chain').orderBy('chain').execute();
  return rows.map((r) => r.chain);
}

export interface AuditEventView {
  id: string;
  seq: number;
  storeId: string | null;
  at: string;
  actorId: string;
  action: string;
  entityType: string;
  entityId: string;
  saleId: string | null;
  before: unknown;
  after: unknown;
}

export async function listAuditForSale(db: Kysely<Schema>, saleId: string): Promise<AuditEventView[]> {
  const rows = await db
    .selectFrom('audit_events')
    .selectAll()
    .where('sale_id', '=', saleId)
    .orderBy('at')
    .orderBy('seq')
    .execute();
  return rows.map(eventView);
}

/** An audit row as the API shows it: its JSON parsed, numbers as numbers. */
export function eventView(r: AuditEventsTable): AuditEventView {
  return {
    id: r.id,
    seq: Number(r.seq),
    storeId: r.store_id,
    at: r.at,
    actorId: r.actor_id,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    saleId: r.sale_id,
    before: r.before_json ? JSON.parse(r.before_json) : null,
    after: r.after_json ? JSON.parse(r.after_json) : null,
  };
}

/** Verifies chains (all, or the ones named) and says, per chain, whether it holds. */
export async function verifyChains(
  db: Kysely<Schema>,
  only: string[] | null = null,
): Promise<({ chain: string } & ChainVerdict)[]> {
  const verdicts: ({ chain: string } & ChainVerdict)[] = [];
  for (const chain of await listChains(db)) {
    if (only && !only.includes(chain)) continue;
    verdicts.push({ chain, ...verifyChain(await readChain(db, chain)) });
  }
  return verdicts;
}

/** What was done to one thing, in the order it was done (a complaint's history on its page). */
export async function historyOf(
  db: Kysely<Schema>,
  entityType: string,
  entityId: string,
): Promise<{ at: string; action: string; actorId: string }[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select(['at', 'action', 'actor_id'])
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('at')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ at: r.at, action: r.action, actorId: r.actor_id }));
}
