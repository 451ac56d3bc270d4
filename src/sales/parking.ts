/** 挂单: a parked sale, its goods reserved until it is taken up at any till or its hold ends. */
import type { Ctx } from '../context';
import type { Tx } from '../db';
import { moveIn, Refusal } from '../kernel';
import { namesOf } from '../staff';
import { writeMovements } from '../stock';
import { tillById } from '../stores';
import { PARKED_LIFECYCLE, type ParkedEvent, parkExpiresAt } from './model';
import { mutateSale, saleStockMoves } from './sale-change';
import type { SaleView } from './views';

// ---------------------------------------------------------------- parked sales (挂单)

export interface ParkedSaleView {
  saleId: string;
  number: string;
  storeId: string;
  totalFen: number;
  lineCount: number;
  note: string | null;
  parkedBy: { id: string; name: string };
  parkedAt: string;
  parkedTillId: string;
  expiresAt: string;
}

/**
 * 挂单: the sale is set aside so the till can serve the next customer. Its goods are reserved (not
 * sold) until it is resumed or its hold ends. Only a sale nothing has been paid on: money taken
 * goes with a provisional slip instead, which says who owes what.
 */
export async function parkSale(ctx: Ctx, saleId: string, input: { note: string | null }): Promise<SaleView> {
  const actor = ctx.actor;
  if (!actor?.tillId) throw new Refusal('wrong_surface', 'a sale is parked at a till');
  return mutateSale(ctx, saleId, 'park', async (tx, sale, lines) => {
    if (lines.length === 0) throw new Refusal('sale_empty');
    if (sale.paid_fen > 0) throw new Refusal('sale_partly_paid', undefined, { paidFen: sale.paid_fen });
    const now = ctx.clock.now().getTime();
    const expiresAt = new Date(parkExpiresAt(now)).toISOString();
    const reserved = await writeMovements(tx, ctx, saleStockMoves(ctx, sale, lines, 'reserve'), null);
    const parking = {
      status: PARKED_LIFECYCLE.initial,
      note: input.note,
      parked_by: actor.staffId,
      parked_at: new Date(now).toISOString(),
      parked_till_id: actor.tillId!,
      expires_at: expiresAt,
      ended_by: null,
      ended_at: null,
      resumed_till_id: null,
    };
    await tx
      .insertInto('parked_sales')
      .values({ sale_id: sale.id, store_id: sale.store_id, ...parking })
      // Parked once before, resumed since: this is its next parking.
      .onConflict((oc) => oc.column('sale_id').doUpdateSet(parking))
      .execute();
    return {
      saleFields: { status: 'parked' },
      audit: () => [
        {
          action: 'sale.parked',
          after: { note: input.note, expiresAt, tillId: actor.tillId, stock: reserved },
        },
      ],
    };
  });
}

/** The parked sale taken up again at this till (any till of its store); its goods are released. */
export async function resumeSale(ctx: Ctx, saleId: string): Promise<SaleView> {
  const actor = ctx.actor;
  if (!actor?.tillId) throw new Refusal('wrong_surface', 'a sale is resumed at a till');
  return mutateSale(ctx, saleId, 'resume', async (tx, sale, lines) => {
    const till = await tillById(tx, actor.tillId!);
    if (till?.storeId !== sale.store_id)
      throw new Refusal('till_unknown', 'a parked sale is resumed at a till of its own store');
    const released = await writeMovements(tx, ctx, saleStockMoves(ctx, sale, lines, 'release'), null);
    await endParking(tx, ctx, sale.id, 'resume', actor.tillId!);
    return {
      saleFields: { status: 'open', till_id: actor.tillId! },
      audit: () => [
        {
          action: 'sale.resumed',
          before: { tillId: sale.till_id },
          after: { tillId: actor.tillId, stock: released },
        },
      ],
    };
  });
}

async function endParking(tx: Tx, ctx: Ctx, saleId: string, event: ParkedEvent, tillId: string | null) {
  // Only a parked sale ends its parking (the WHERE below); the lifecycle names where it goes.
  const moved = moveIn(PARKED_LIFECYCLE, 'parked', event);
  if (!moved.ok) throw new Error(`invariant: a parked sale cannot ${event}`);
  const status = moved.to;
  const ended = await tx
    .updateTable('parked_sales')
    .set({
      status,
      ended_at: ctx.clock.now().toISOString(),
      ended_by: ctx.actor?.staffId ?? 'system',
      resumed_till_id: tillId,
    })
    .where('sale_id', '=', saleId)
    .where('status', '=', 'parked')
    .executeTakeFirst();
  if (Number(ended.numUpdatedRows) !== 1)
    throw new Error(`invariant: sale ${saleId} parked without its record`);
}

/**
 * Parked sales whose hold has ended: each releases its goods and ends (nothing was paid on it), in
 * its own transaction. Bounded per call; run by the store's sweeper and by tests.
 */
export async function expireParkedSales(ctx: Ctx, limit = 100): Promise<string[]> {
  const now = ctx.clock.now().toISOString();
  const due = await ctx.db.kysely
    .selectFrom('parked_sales')
    .select('sale_id')
    .where('status', '=', 'parked')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  const expired: string[] = [];
  for (const { sale_id } of due) {
    try {
      await mutateSale(ctx, sale_id, 'park_expired', async (tx, sale, lines) => {
        const released = await writeMovements(tx, ctx, saleStockMoves(ctx, sale, lines, 'release'), null);
        await endParking(tx, ctx, sale.id, 'expire', null);
        return {
          saleFields: { status: 'voided', voided_at: now, void_reason: 'parked sale not taken up in time' },
          audit: () => [{ action: 'sale.park_expired', after: { stock: released } }],
        };
      });
      expired.push(sale_id);
    } catch (error) {
      // Resumed meanwhile: it is no longer parked, nothing to expire.
      if (!(error instanceof Refusal)) throw error;
    }
  }
  return expired;
}

/** The store's parked sales, oldest first (for the till's "take up" list and the back office). */
export async function parkedSalesOf(ctx: Ctx, storeId: string): Promise<ParkedSaleView[]> {
  const rows = await ctx.db.kysely
    .selectFrom('parked_sales as p')
    .innerJoin('sales as s', 's.id', 'p.sale_id')
    .select([
      'p.sale_id',
      's.number',
      'p.store_id',
      's.total_fen',
      's.line_count',
      'p.note',
      'p.parked_by',
      'p.parked_at',
      'p.parked_till_id',
      'p.expires_at',
    ])
    .where('p.store_id', '=', storeId)
    .where('p.status', '=', 'parked')
    .orderBy('p.parked_at')
    .limit(200)
    .execute();
  const names = await namesOf(
    ctx.db.kysely,
    rows.map((r) => r.parked_by),
  );
  return rows.map((r) => ({
    saleId: r.sale_id,
    number: r.number,
    storeId: r.store_id,
    totalFen: Number(r.total_fen),
    lineCount: Number(r.line_count),
    note: r.note,
    parkedBy: { id: r.parked_by, name: names.get(r.parked_by) ?? r.parked_by },
    parkedAt: r.parked_at,
    parkedTillId: r.parked_till_id,
    expiresAt: r.expires_at,
  }));
}
