import type { Ctx } from '../context';
import { transaction } from '../db';
import { Refusal } from '../kernel';
import { type MovementRequest, movementDelta, movementProblem } from './model';
import { onHandOf, writeMovements } from './store';

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
    const store = await tx
      .selectFrom('stores')
      .select('id')
      .where('id', '=', input.storeId)
      .executeTakeFirst();
    if (!store) throw new Refusal('store_unknown');
    const variant = await tx
      .selectFrom('variants')
      .select('id')
      .where('id', '=', input.variantId)
      .executeTakeFirst();
    if (!variant) throw new Refusal('variant_unknown');
    const before = (await onHandOf(tx, input.storeId, [input.variantId])).get(input.variantId) ?? 0;
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
