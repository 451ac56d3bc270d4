import type { StoresTable, TillsTable, Tx } from '../db';

export interface TillView {
  id: string;
  code: string;
  name: string;
}

export interface StoreView {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  addressZh: string;
  addressEn: string;
  phone: string;
  timeZone: string;
  currency: string;
  /** Discounts above this share of the goods (basis points, 2000 = 20 %) need a supervisor. */
  discountLimitBp: number;
  tills: TillView[];
}

async function storesWithTills(db: Tx, id: string | null): Promise<StoreView[]> {
  // In the order the stores were opened: a till with nothing remembered starts at the first.
  let storeQuery = db.selectFrom('stores').selectAll().orderBy('created_at').orderBy('code');
  let tillQuery = db.selectFrom('tills').selectAll().orderBy('code');
  if (id !== null) {
    storeQuery = storeQuery.where('id', '=', id);
    tillQuery = tillQuery.where('store_id', '=', id);
  }
  const [stores, tills] = [await storeQuery.execute(), await tillQuery.execute()];
  return stores.map((s) => ({
    id: s.id,
    code: s.code,
    nameZh: s.name_zh,
    nameEn: s.name_en,
    addressZh: s.address_zh,
    addressEn: s.address_en,
    phone: s.phone,
    timeZone: s.time_zone,
    currency: s.currency,
    discountLimitBp: s.discount_limit_bp,
    tills: tills.filter((t) => t.store_id === s.id).map((t) => ({ id: t.id, code: t.code, name: t.name })),
  }));
}

export function listStores(db: Tx): Promise<StoreView[]> {
  return storesWithTills(db, null);
}

export async function storeById(db: Tx, id: string): Promise<StoreView | null> {
  return (await storesWithTills(db, id))[0] ?? null;
}

export async function hasAnyStore(db: Tx): Promise<boolean> {
  return (await db.selectFrom('stores').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** A new store and its tills, in the caller's transaction (the demo seed; store set-up to come). */
export async function insertStore(tx: Tx, store: StoresTable, tills: readonly TillsTable[]): Promise<void> {
  await tx.insertInto('stores').values(store).execute();
  if (tills.length > 0)
    await tx
      .insertInto('tills')
      .values([...tills])
      .execute();
}
