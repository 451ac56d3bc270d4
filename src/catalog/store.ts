import type { Kysely } from 'kysely';
import { containsText, prepared, type Schema } from '../db';

export interface VariantView {
  id: string;
  productId: string;
  styleCode: string;
  sku: string;
  barcode: string;
  nameZh: string;
  nameEn: string;
  brand: string;
  category: string;
  season: string;
  size: string;
  colourZh: string;
  colourEn: string;
  priceFen: number;
  active: boolean;
}

function variantQuery(db: Kysely<Schema>) {
  return db
    .selectFrom('variants as v')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .select([
      'v.id',
      'v.product_id',
      'p.style_code',
      'v.sku',
      'v.barcode',
      'p.name_zh',
      'p.name_en',
      'p.brand',
      'p.category',
      'p.season',
      'v.size',
      'v.colour_zh',
      'v.colour_en',
      'v.price_fen',
      'v.active',
    ]);
}

type VariantRow = Awaited<ReturnType<ReturnType<typeof variantQuery>['executeTakeFirstOrThrow']>>;

function toView(r: VariantRow): VariantView {
  return {
    id: r.id,
    productId: r.product_id,
    styleCode: r.style_code,
    sku: r.sku,
    barcode: r.barcode,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    brand: r.brand,
    category: r.category,
    season: r.season,
    size: r.size,
    colourZh: r.colour_zh,
    colourEn: r.colour_en,
    priceFen: r.price_fen,
    active: r.active === 1,
  };
}

// Every scan looks a barcode up: compiled once.
const VARIANT_BY_BARCODE = prepared((db, p: { barcode: string }) =>
  variantQuery(db).where('v.barcode', '=', p.barcode),
);

export async function variantByBarcode(db: Kysely<Schema>, barcode: string): Promise<VariantView | null> {
  const row = await VARIANT_BY_BARCODE.first(db, { barcode });
  return row ? toView(row) : null;
}

export async function variantById(db: Kysely<Schema>, id: string): Promise<VariantView | null> {
  const row = await variantQuery(db).where('v.id', '=', id).executeTakeFirst();
  return row ? toView(row) : null;
}

/** Search by name (either language), style code, SKU or barcode; active variants first. */
export async function searchVariants(
  db: Kysely<Schema>,
  query: string,
  limit: number,
): Promise<VariantView[]> {
  const q = query.trim();
  let builder = variantQuery(db);
  if (q.length > 0) {
    builder = builder.where((eb) =>
      eb.or([
        containsText('p.name_zh', q),
        containsText('p.name_en', q),
        containsText('p.style_code', q),
        containsText('v.sku', q),
        eb('v.barcode', '=', q),
      ]),
    );
  }
  const rows = await builder
    .orderBy('v.active', 'desc')
    .orderBy('p.style_code')
    .orderBy('v.sku')
    .limit(limit)
    .execute();
  return rows.map(toView);
}

/** Whether an item exists (stock asks before it moves one). */
export async function variantExists(db: Kysely<Schema>, id: string): Promise<boolean> {
  return (await db.selectFrom('variants').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}
