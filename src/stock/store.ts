import type { Kysely } from 'kysely';
import { appendAudit } from '../audit';
import type { Ctx } from '../context';
import { type PreparedQuery, prepared, type Schema, type StockMovementsTable, sumInt } from '../db';
import { findDrift, type LedgerDrift, type MovementKind, RESERVATION_KINDS } from './model';

export interface MovementWrite {
  storeId: string;
  variantId: string;
  kind: MovementKind;
  delta: number;
  refType?: string | null;
  refId?: string | null;
  note?: string | null;
  actorId: string;
}

const BUMP_LEVEL = prepared((db, p: { storeId: string; variantId: string; delta: number; at: string }) =>
  db
    .updateTable('stock_levels')
    .set((eb) => ({
      on_hand: eb('on_hand', '+', p.delta),
      last_seq: eb('last_seq', '+', 1),
      updated_at: p.at,
    }))
    .where('store_id', '=', p.storeId)
    .where('variant_id', '=', p.variantId)
    .returning(['on_hand', 'last_seq']),
);

const BUMP_RESERVED = prepared((db, p: { storeId: string; variantId: string; delta: number; at: string }) =>
  db
    .updateTable('stock_levels')
    .set((eb) => ({
      reserved: eb('reserved', '+', p.delta),
      last_seq: eb('last_seq', '+', 1),
      updated_at: p.at,
    }))
    .where('store_id', '=', p.storeId)
    .where('variant_id', '=', p.variantId)
    .returning(['on_hand', 'last_seq', 'reserved']),
);

/**
 * Moves the cached on-hand (or, for a reservation, reserved) figure and takes the next running
 * sequence number for one (store, item), inside the caller's transaction. The UPDATE comes first
 * so PostgreSQL locks the level row; the insert covers an item's first movement in a store.
 */
async function bumpLevel(
  tx: Kysely<Schema>,
  move: MovementWrite,
  at: string,
): Promise<{ on_hand: number; last_seq: number }> {
  if (RESERVATION_KINDS.has(move.kind)) {
    if (move.kind === 'reserve' ? move.delta <= 0 : move.delta >= 0)
      throw new Error(`invariant: a ${move.kind} of ${move.delta} goes the wrong way`);
    const params = { storeId: move.storeId, variantId: move.variantId, delta: move.delta, at };
    const level =
      (await BUMP_RESERVED.first(tx, params)) ??
      (await tx
        .insertInto('stock_levels')
        .values({
          store_id: move.storeId,
          variant_id: move.variantId,
          on_hand: 0,
          reserved: move.delta,
          last_seq: 1,
          updated_at: at,
        })
        .returning(['on_hand', 'last_seq', 'reserved'])
        .executeTakeFirstOrThrow());
    // More given back than was set aside: a bug in the caller, never a figure to keep.
    if (Number(level.reserved) < 0)
      throw new Error(
        `invariant: reserved stock of ${move.variantId} in ${move.storeId} would be ${level.reserved}`,
      );
    return { on_hand: Number(level.on_hand), last_seq: Number(level.last_seq) };
  }
  const level = await BUMP_LEVEL.first(tx, {
    storeId: move.storeId,
    variantId: move.variantId,
    delta: move.delta,
    at,
  });
  if (level) return level;
  return tx
    .insertInto('stock_levels')
    .values({
      store_id: move.storeId,
      variant_id: move.variantId,
      on_hand: move.delta,
      last_seq: 1,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc.columns(['store_id', 'variant_id']).doUpdateSet((eb) => ({
        on_hand: eb('stock_levels.on_hand', '+', move.delta),
        last_seq: eb('stock_levels.last_seq', '+', 1),
        updated_at: at,
      })),
    )
    .returning(['on_hand', 'last_seq'])
    .executeTakeFirstOrThrow();
}

/** Writes movements (one insert for all of them) and, if asked, one audit event that lists them. */
export async function writeMovements(
  tx: Kysely<Schema>,
  ctx: Ctx,
  moves: readonly MovementWrite[],
  audit: { action: string; entityType: string; entityId: string; saleId?: string | null } | null,
): Promise<{ variantId: string; delta: number; onHandAfter: number }[]> {
  const at = ctx.clock.now().toISOString();
  const rows: StockMovementsTable[] = [];
  for (const move of moves) {
    const level = await bumpLevel(tx, move, at);
    rows.push({
      id: ctx.ids.next('mov'),
      store_id: move.storeId,
      variant_id: move.variantId,
      kind: move.kind,
      seq: level.last_seq,
      qty_delta: move.delta,
      on_hand_after: level.on_hand,
      ref_type: move.refType ?? null,
      ref_id: move.refId ?? null,
      note: move.note ?? null,
      actor_id: move.actorId,
      at,
    });
  }
  // Bounded chunks keep each statement under the SQLite variable limit.
  for (let i = 0; i < rows.length; i += 500)
    await tx
      .insertInto('stock_movements')
      .values(rows.slice(i, i + 500))
      .execute();
  const results = rows.map((r) => ({
    variantId: r.variant_id,
    delta: r.qty_delta,
    onHandAfter: r.on_hand_after,
  }));
  const first = moves[0];
  if (audit && first) {
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: first.storeId,
      actorId: first.actorId,
      action: audit.action,
      entityType: audit.entityType,
      entityId: audit.entityId,
      saleId: audit.saleId ?? null,
      after: { movements: results.map((r, i) => ({ ...r, kind: moves[i]!.kind })) },
    });
  }
  return results;
}

// Every sale view shows on-hand for its items: one prepared query per number of items (a sale has a few).
const ON_HAND_PREPARED_MAX = 20;
const onHandQueries = new Map<
  number,
  PreparedQuery<{ storeId: string } & Record<string, string>, OnHandRow>
>();
type OnHandRow = { variant_id: string; on_hand: number };
function onHandQuery(count: number) {
  let query = onHandQueries.get(count);
  if (!query) {
    query = prepared((db, p: { storeId: string } & Record<string, string>) =>
      db
        .selectFrom('stock_levels')
        .select(['variant_id', 'on_hand'])
        .where('store_id', '=', p.storeId)
        .where(
          'variant_id',
          'in',
          Array.from({ length: count }, (_, i) => p[`v${i}`]!),
        ),
    );
    onHandQueries.set(count, query);
  }
  return query;
}

export async function onHandOf(
  db: Kysely<Schema>,
  storeId: string,
  variantIds: readonly string[],
): Promise<Map<string, number>> {
  if (variantIds.length === 0) return new Map();
  const rows =
    variantIds.length <= ON_HAND_PREPARED_MAX
      ? await onHandQuery(variantIds.length).all(db, {
          storeId,
          ...Object.fromEntries(variantIds.map((id, i) => [`v${i}`, id])),
        })
      : await db
          .selectFrom('stock_levels')
          .select(['variant_id', 'on_hand'])
          .where('store_id', '=', storeId)
          .where('variant_id', 'in', variantIds)
          .execute();
  return new Map(rows.map((r) => [r.variant_id, r.on_hand]));
}

export interface MovementView {
  id: string;
  variantId: string;
  kind: string;
  delta: number;
  onHandAfter: number;
  refType: string | null;
  refId: string | null;
  note: string | null;
  actorId: string;
  at: string;
}

export async function listMovements(
  db: Kysely<Schema>,
  storeId: string,
  variantId: string,
  limit = 50,
): Promise<MovementView[]> {
  const rows = await db
    .selectFrom('stock_movements')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('variant_id', '=', variantId)
    .orderBy('seq', 'desc')
    .limit(Math.min(Math.max(limit, 1), 500))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    variantId: r.variant_id,
    kind: r.kind,
    delta: r.qty_delta,
    onHandAfter: r.on_hand_after,
    refType: r.ref_type,
    refId: r.ref_id,
    note: r.note,
    actorId: r.actor_id,
    at: r.at,
  }));
}

/**
 * Recomputes on-hand from the ledger for every (store, variant) and reports each place where
 * the cached figure or the last running total disagrees with the ledger.
 */
export async function checkLedger(db: Kysely<Schema>): Promise<{ checked: number; drift: LedgerDrift[] }> {
  const reservations = [...RESERVATION_KINDS];
  const sums = await db
    .selectFrom('stock_movements')
    .select(['store_id', 'variant_id', sumInt('qty_delta').as('ledger_sum')])
    .where('kind', 'not in', reservations)
    .groupBy(['store_id', 'variant_id'])
    .execute();
  const reservedSums = await db
    .selectFrom('stock_movements')
    .select(['store_id', 'variant_id', sumInt('qty_delta').as('reserved_sum')])
    .where('kind', 'in', reservations)
    .groupBy(['store_id', 'variant_id'])
    .execute();
  const lastRows = await db
    .selectFrom('stock_movements as m')
    .innerJoin('stock_levels as l', (join) =>
      join
        .onRef('l.store_id', '=', 'm.store_id')
        .onRef('l.variant_id', '=', 'm.variant_id')
        .onRef('l.last_seq', '=', 'm.seq'),
    )
    .select(['m.store_id', 'm.variant_id', 'm.on_hand_after'])
    .execute();
  const levels = await db
    .selectFrom('stock_levels')
    .select(['store_id', 'variant_id', 'on_hand', 'reserved'])
    .execute();
  const key = (s: string, v: string) => `${s}\u0000${v}`;
  const rows = new Map<string, LedgerDrift>();
  const rowFor = (storeId: string, variantId: string): LedgerDrift => {
    const k = key(storeId, variantId);
    let row = rows.get(k);
    if (!row) {
      row = {
        storeId,
        variantId,
        ledgerSum: 0,
        onHand: null,
        lastOnHandAfter: null,
        reservedSum: 0,
        reserved: null,
      };
      rows.set(k, row);
    }
    return row;
  };
  for (const s of sums) rowFor(s.store_id, s.variant_id).ledgerSum = s.ledger_sum;
  for (const s of reservedSums) rowFor(s.store_id, s.variant_id).reservedSum = s.reserved_sum;
  for (const l of lastRows) {
    const row = rows.get(key(l.store_id, l.variant_id));
    if (row) row.lastOnHandAfter = l.on_hand_after;
  }
  for (const l of levels) {
    const row = rowFor(l.store_id, l.variant_id);
    row.onHand = l.on_hand;
    row.reserved = Number(l.reserved);
  }
  const drift = [...rows.values()].map(findDrift).filter((d): d is LedgerDrift => d !== null);
  return { checked: rows.size, drift };
}

/** Every item's on-hand in a store, by variant id (the demo seed copies one store's to another). */
export async function levelsOf(
  db: Kysely<Schema>,
  storeId: string,
): Promise<{ variantId: string; onHand: number }[]> {
  const rows = await db
    .selectFrom('stock_levels')
    .select(['variant_id', 'on_hand'])
    .where('store_id', '=', storeId)
    .orderBy('variant_id')
    .execute();
  return rows.map((r) => ({ variantId: r.variant_id, onHand: r.on_hand }));
}
