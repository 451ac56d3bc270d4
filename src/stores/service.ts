/** Store settings head office changes; each change is audited with the old and new value. */
import { appendAudit } from '../audit';
import { actorIdOf, type Ctx } from '../context';
import { transaction } from '../db';
import { Refusal } from '../kernel';
import { type StoreView, storeById } from './store';

export async function setDiscountLimit(
  ctx: Ctx,
  storeId: string,
  discountLimitBp: number,
): Promise<StoreView> {
  return transaction(ctx.db, 'full', async (tx) => {
    const before = await tx
      .selectFrom('stores')
      .select('discount_limit_bp')
      .where('id', '=', storeId)
      .executeTakeFirst();
    if (!before) throw new Refusal('store_unknown');
    await tx
      .updateTable('stores')
      .set({ discount_limit_bp: discountLimitBp })
      .where('id', '=', storeId)
      .execute();
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId,
      actorId: actorIdOf(ctx),
      action: 'store.discount_limit_set',
      entityType: 'store',
      entityId: storeId,
      before: { discountLimitBp: before.discount_limit_bp },
      after: { discountLimitBp },
    });
    const view = await storeById(tx, storeId);
    if (!view) throw new Refusal('store_unknown');
    return view;
  });
}
