/**
 * First-start seed: two stores with two tills each, the demo staff (src/stores/demo-staff.ts), the demo catalog
 * (through the real CSV importer) and opening stock in both stores. Runs once: on a database
 * that already has a store it does nothing.
 */
import { appendAudit } from '../audit';
import { demoCatalogCsv, importCatalog } from '../catalog';
import type { Ctx } from '../context';
import { insertStaffRows } from '../staff';
import { levelsOf, writeMovements } from '../stock';
import { DEFAULT_TERMS, hasAnyStore, insertStore, termColumns } from '../stores';
import { demoStaffRows } from './demo-staff';

export const SYSTEM_ACTOR = 'system';

export const DEMO_STORES = [
  {
    id: 'store_sh01',
    code: 'SH01',
    name_zh: '禾木服饰 上海南京西路店',
    name_en: 'Hemu Apparel, Nanjing West Rd, Shanghai',
    address_zh: '上海市静安区南京西路 1266 号',
    address_en: '1266 Nanjing West Road, Jing’an, Shanghai',
    phone: '021-6288 0001',
  },
  {
    id: 'store_hz01',
    code: 'HZ01',
    name_zh: '禾木服饰 杭州湖滨店',
    name_en: 'Hemu Apparel, Hubin, Hangzhou',
    address_zh: '杭州市上城区湖滨路 18 号',
    address_en: '18 Hubin Road, Shangcheng, Hangzhou',
    phone: '0571-8706 0002',
  },
] as const;

export async function seedDemo(ctx: Ctx): Promise<{ seeded: boolean; skus: number }> {
  if (await hasAnyStore(ctx.db.kysely)) return { seeded: false, skus: 0 };
  const now = ctx.clock.now().toISOString();
  const staff = await demoStaffRows(now);
  await ctx.db.kysely.transaction().execute(async (tx) => {
    for (const [i, store] of DEMO_STORES.entries()) {
      await insertStore(
        tx,
        {
          ...store,
          time_zone: 'Asia/Shanghai',
          currency: 'CNY',
          // Shanghai first (a millisecond apart): the till opens on it, as the README says.
          created_at: new Date(Date.parse(now) + i).toISOString(),
          discount_limit_bp: 2000,
          ...termColumns(DEFAULT_TERMS),
        },
        [1, 2].map((n) => ({
          id: `till_${store.code.toLowerCase()}_${n}`,
          store_id: store.id,
          code: `T${n}`,
          name: `收银台 ${n} / Till ${n}`,
          created_at: now,
        })),
      );
      await appendAudit(tx, ctx.clock, ctx.ids, {
        storeId: store.id,
        actorId: SYSTEM_ACTOR,
        action: 'store.created',
        entityType: 'store',
        entityId: store.id,
        after: store,
      });
    }
    await insertStaffRows(tx, staff);
    await appendAudit(
      tx,
      ctx.clock,
      ctx.ids,
      staff.map((m) => ({
        storeId: m.store_id,
        actorId: SYSTEM_ACTOR,
        action: 'staff.created',
        entityType: 'staff',
        entityId: m.id,
        after: {
          code: m.code,
          name: m.name,
          role: m.role,
          hasPin: m.pin_hash !== null,
          hasPassword: m.password_hash !== null,
        },
      })),
    );
  });
  const first = DEMO_STORES[0].id;
  const summary = await importCatalog(ctx, {
    bytes: new TextEncoder().encode(demoCatalogCsv()),
    encoding: 'utf-8',
    stockStoreId: first,
    actorId: SYSTEM_ACTOR,
  });
  // The second store opens with the same assortment at half the depth.
  await ctx.db.kysely.transaction().execute(async (tx) => {
    const levels = await levelsOf(tx, first);
    const second = DEMO_STORES[1].id;
    await writeMovements(
      tx,
      ctx,
      levels.map((l) => ({
        storeId: second,
        variantId: l.variantId,
        kind: 'receive' as const,
        delta: Math.max(1, Math.floor(l.onHand / 2)),
        refType: 'demo_seed',
        note: 'opening stock',
        actorId: SYSTEM_ACTOR,
      })),
      { action: 'stock.received', entityType: 'store', entityId: second },
    );
  });
  return { seeded: true, skus: summary.variants.created };
}
