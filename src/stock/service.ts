import type { Ctx } from '../context';
import { lockedForUpdate, type Tx, transaction } from '../db';
import { Port, Refusal } from '../kernel';
import { storeFacts } from '../stores';
import { type MovementRequest, movementDelta, movementProblem } from './model';
import { writeMovements } from './store';

/** Whether an item exists: the catalog answers (stock stands below it). */
export const VARIANT_EXISTS = new Port<(tx: Tx, variantId: string) => Promise<boolean>>(
  'stock.variantExists',
);

/** A manual stock movement from the back office: receive, return to stock, adjust, or count. */
export async function recordMovement(
  ctx: Ctx,
  input: {
    storeId: string;
    variantId: string;
    request: MovementRequest;
    note: string | null;
    actorId: string;
  },
): Promise<{ variantId: string; delta: number; onHandAfter: number }> {
  const problem = movementProblem(input.request);
  if (problem)
    throw new Refusal(
      input.request.kind === 'count' ? 'stock_count_invalid' : 'quantity_out_of_range',
      problem,
    );
  return transaction(ctx.db, 'full', async (tx) => {
    const store = await storeFacts(tx, input.storeId);
    if (!store) throw new Refusal('store_unknown');
    if (!(await VARIANT_EXISTS.call(tx, input.variantId))) throw new Refusal('variant_unknown');
    // A count's change depends on the figure before it: read it under the row lock (PostgreSQL), or two
    // concurrent counts would both start from the same figure and leave a number nobody counted.
    // An item never stocked here has no row to lock yet: create the empty one first.
    await tx
      .insertInto('stock_levels')
      .values({
        store_id: input.storeId,
        variant_id: input.variantId,
        on_hand: 0,
        last_seq: 0,
        updated_at: ctx.clock.now().toISOString(),
      })
      .onConflict((oc) => oc.columns(['store_id', 'variant_id']).doNothing())
      .execute();
    const level = await lockedForUpdate(
      tx
        .selectFrom('stock_levels')
        .select('on_hand')
        .where('store_id', '=', input.storeId)
        .where('variant_id', '=', input.variantId),
      ctx.db.dialect,
    ).executeTakeFirst();
    const before = level?.on_hand ?? 0;
    const delta = movementDelta(input.request, before);
    const [result] = await writeMovements(
      tx,
      ctx,
      [
        {
          storeId: input.storeId,
          variantId: input.variantId,
          kind: input.request.kind,
          delta,
          note: input.note,
          actorId: input.actorId,
        },
      ],
      { action: `stock.${input.request.kind}`, entityType: 'variant', entityId: input.variantId },
    );
    return result!;
  });
}
