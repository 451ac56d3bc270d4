import type { Kysely } from 'kysely';
import type { Schema } from '../db';
import type { Clock, IdSource } from '../kernel';
import { type AuditFields, auditHash, type ChainLink, GENESIS_HASH, HQ_CHAIN } from './model';

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

/**
 * Appends one event inside the caller's transaction, so the change and its audit event commit
 * or roll back together. The head row is updated first: in PostgreSQL that row lock serialises
 * concurrent appenders of one chain, so the chain never forks.
 */
export async function appendAudit(
  tx: Kysely<Schema>,
  clock: Clock,
  ids: IdSource,
  entry: AuditEntry,
): Promise<void> {
  const chain = entry.storeId ?? HQ_CHAIN;
  const bumpHead = () =>
    tx
      .updateTable('audit_heads')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('chain', '=', chain)
      .returning(['seq', 'hash'])
      .executeTakeFirst();
  let head = await bumpHead();
  if (!head) {
    // First event of this chain.
    await tx
      .insertInto('audit_heads')
      .values({ chain, seq: 0, hash: GENESIS_HASH })
      .onConflict((oc) => oc.column('chain').doNothing())
      .execute();
    head = await bumpHead();
    if (!head) throw new Error(`audit head for chain ${chain} could not be created`);
  }
  const fields: AuditFields = {
    chain,
    seq: head.seq,
    storeId: entry.storeId,
    at: clock.now().toISOString(),
    actorId: entry.actorId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    saleId: entry.saleId ?? null,
    beforeJson: entry.before === undefined ? null : JSON.stringify(entry.before),
    afterJson: entry.after === undefined ? null : JSON.stringify(entry.after),
  };
  const hash = auditHash(head.hash, fields);
  await tx
    .insertInto('audit_events')
    .values({
      id: ids.next('aud'),
      chain,
      seq: fields.seq,
      store_id: fields.storeId,
      at: fields.at,
      actor_id: fields.actorId,
      action: fields.action,
      entity_type: fields.entityType,
      entity_id: fields.entityId,
      sale_id: fields.saleId,
      before_json: fields.beforeJson,
      after_json: fields.afterJson,
      prev_hash: head.hash,
      hash,
    })
    .execute();
  await tx.updateTable('audit_heads').set({ hash }).where('chain', '=', chain).execute();
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
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    storeId: r.store_id,
    at: r.at,
    actorId: r.actor_id,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    saleId: r.sale_id,
    before: r.before_json ? JSON.parse(r.before_json) : null,
    after: r.after_json ? JSON.parse(r.after_json) : null,
  }));
}
