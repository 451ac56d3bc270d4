import { prepared, type StoresTable, type TillsTable, type Tx } from '../db';
import { type ReturnTerms, termsOf } from './return-terms';

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
  /** The return policy its tills apply and its receipts print, and its contracts' refund windows. */
  returnTerms: ReturnTerms;
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
    returnTerms: termsOf(s),
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

/** What other rooms need to know of a store: its codes, names, time zone, money and limits. */
export interface StoreFacts {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  timeZone: string;
  currency: string;
  discountLimitBp: number;
}

const STORE_FACTS = prepared((db, p: { id: string }) =>
  db
    .selectFrom('stores')
    .select(['id', 'code', 'name_zh', 'name_en', 'time_zone', 'currency', 'discount_limit_bp'])
    .where('id', '=', p.id),
);

/** A store's facts, or null for an id no store has. One prepared query (a sale opens with it). */
export async function storeFacts(db: Tx, id: string): Promise<StoreFacts | null> {
  const s = await STORE_FACTS.first(db, { id });
  return s
    ? {
        id: s.id,
        code: s.code,
        nameZh: s.name_zh,
        nameEn: s.name_en,
        timeZone: s.time_zone,
        currency: s.currency,
        discountLimitBp: s.discount_limit_bp,
      }
    : null;
}

export interface TillFacts {
  id: string;
  storeId: string;
  code: string;
  name: string;
}

const TILL_FACTS = prepared((db, p: { id: string }) =>
  db.selectFrom('tills').select(['id', 'store_id', 'code', 'name']).where('id', '=', p.id),
);
const tillFactsOf = (
  t: TillsTable | { id: string; store_id: string; code: string; name: string },
): TillFacts => ({
  id: t.id,
  storeId: t.store_id,
  code: t.code,
  name: t.name,
});

/** A till, or null for an id no till has. */
export async function tillById(db: Tx, id: string): Promise<TillFacts | null> {
  const t = await TILL_FACTS.first(db, { id });
  return t ? tillFactsOf(t) : null;
}

/** A store's tills by id (every till of every store when `storeId` is null). */
export async function tillsOf(db: Tx, storeId: string | null): Promise<TillFacts[]> {
  let q = db.selectFrom('tills').select(['id', 'store_id', 'code', 'name']).orderBy('id');
  if (storeId !== null) q = q.where('store_id', '=', storeId);
  return (await q.execute()).map(tillFactsOf);
}

/** A store the caller's own row names (a till's, a slip's): its absence is a broken invariant. */
export async function requireStore(db: Tx, id: string): Promise<StoreFacts> {
  const store = await storeFacts(db, id);
  if (!store) throw new Error(`invariant: store ${id} is named but does not exist`);
  return store;
}
