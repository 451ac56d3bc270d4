/**
 * The audit log is append-only and hash-chained per store (and one `hq` chain for chain-wide
 * changes such as the catalog): each event's hash covers its fields and the previous hash, so an
 * edited or deleted row breaks every hash after it.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);
export const HQ_CHAIN = 'hq';

export interface AuditFields {
  chain: string;
  seq: number;
  storeId: string | null;
  at: string;
  actorId: string;
  action: string;
  entityType: string;
  entityId: string;
  saleId: string | null;
  beforeJson: string | null;
  afterJson: string | null;
}

export function auditHash(prevHash: string, fields: AuditFields): string {
  // A fixed field order (an array, not object key order) keeps the hash stable across versions.
  const canonical = JSON.stringify([
    fields.chain,
    fields.seq,
    fields.storeId,
    fields.at,
    fields.actorId,
    fields.action,
    fields.entityType,
    fields.entityId,
    fields.saleId,
    fields.beforeJson,
    fields.afterJson,
    prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainLink extends AuditFields {
  id: string;
  prevHash: string;
  hash: string;
}

export type ChainVerdict =
  | { ok: true; events: number }
  | { ok: false; events: number; brokenAt: ChainLink; reason: string };

/** Walks one chain in seq order and names the first event whose link does not hold. */
export function verifyChain(links: readonly ChainLink[]): ChainVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const link of links) {
    if (link.seq !== expectedSeq)
      return {
        ok: false,
        events: links.length,
        brokenAt: link,
        reason: `sequence gap: expected ${expectedSeq}`,
      };
    if (link.prevHash !== prev)
      return { ok: false, events: links.length, brokenAt: link, reason: 'previous hash does not match' };
    if (auditHash(prev, link) !== link.hash)
      return { ok: false, events: links.length, brokenAt: link, reason: 'content does not match its hash' };
    prev = link.hash;
    expectedSeq++;
  }
  return { ok: true, events: links.length };
}
