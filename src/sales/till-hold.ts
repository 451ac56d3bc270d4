/**
 * The till hold: a till whose sale waits for the bank moves on to no other sale, and a till whose
 * day was closed sells nothing more that day.
 */
import { type Ctx, isCustomer } from '../context';
import { prepared, type Tx } from '../db';
import { businessDayOf, Refusal } from '../kernel';
import type { SaleEvent } from './model';
import { TILL_CHARGES, TILL_DAY_CLOSED } from './ports';

/** What moves a till on to a sale: it must not be held by another one. */
export const TILL_MOVES_ON: ReadonlySet<SaleEvent> = new Set([
  'pay_in_full',
  'pay_part',
  'charge',
  'resume',
  'put_on_account',
]);

/**
 * Why `tillId` may not move on to `saleId` (null: a new sale): the `till_held` refusal naming the
 * sale it waits for and what the till may do meanwhile — wait for the bank, have a manager lift the
 * lock, or put that sale on a provisional slip; null when it may.
 */
async function tillHeldRefusal(tx: Tx, tillId: string, saleId: string | null): Promise<Refusal | null> {
  const held = await heldBy(tx, tillId);
  if (!held || held.sale_id === saleId) return null;
  return new Refusal('till_held', held.number, {
    heldBy: {
      saleId: held.sale_id,
      saleNumber: held.number,
      attemptId: held.attempt_id,
      attemptStatus: held.status,
      tender: held.tender,
    },
    allowed: ['wait', 'release', 'slip'],
  });
}

/**
 * The sale a till is held by: a card or wallet charge of it there may still take the money
 * (payments says which, through its port), and the sale still waits for it — no manager lifted
 * the lock. Until that ends the till opens, takes up and takes money for no other sale: leaving a
 * sale waiting at the bank and selling the same goods again is how a customer came to pay twice.
 */
async function heldBy(tx: Tx, tillId: string) {
  for (const charge of await TILL_CHARGES.call(tx, tillId)) {
    const sale = await SALE_WAITING.first(tx, { saleId: charge.saleId });
    if (sale)
      return {
        sale_id: sale.id,
        number: sale.number,
        attempt_id: charge.attemptId,
        status: charge.status,
        tender: charge.tender,
      };
  }
  return null;
}

const SALE_WAITING = prepared((db, p: { saleId: string }) =>
  db
    .selectFrom('sales')
    .select(['id', 'number'])
    .where('id', '=', p.saleId)
    .where('status', '=', 'awaiting_payment'),
);

/**
 * What the acting till may not do before it moves on to `saleId` (null: a new sale): take money
 * while another sale holds it, or sell at all after its own day close (the Z report is final).
 */
export async function refuseUnlessTillMayMoveOn(tx: Tx, ctx: Ctx, saleId: string | null): Promise<void> {
  const actor = ctx.actor;
  if (!actor?.tillId || isCustomer(actor)) return;
  const day = businessDayOf(ctx.clock.now().getTime());
  // A till whose business day was closed (its Z report kept) sells nothing more that day.
  if (await TILL_DAY_CLOSED.call(tx, actor.tillId, day)) throw new Refusal('till_day_closed', day, { day });
  const refusal = await tillHeldRefusal(tx, actor.tillId, saleId);
  if (refusal) throw refusal;
}

/** The till's verdict before it starts anything new (F9): held by a waiting sale, or free. */
export function tillHold(ctx: Ctx, tillId: string): Promise<Refusal | null> {
  return tillHeldRefusal(ctx.db.kysely, tillId, null);
}
