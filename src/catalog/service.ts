import { appendAudit, HQ_CHAIN } from '../audit';
import type { Ctx } from '../context';
import { type Tx, transaction } from '../db';
import { Refusal } from '../kernel';
import { writeMovements } from '../stock';
import { storeFacts } from '../stores';
import { type CsvEncoding, decodeCsv, parseCatalogCsv } from './csv';
import { type CatalogRow, type RowError, validateCatalogRows } from './model';

export interface ImportSummary {
  rows: number;
  products: { created: number; updated: number };
  variants: { created: number; updated: number; unchanged: number };
  stockReceived: number;
}

/**
 * Imports a catalog CSV in one transaction: every row is validated first (and against the
 * database: a barcode may not belong to another SKU), and any error rejects the whole file.
 * Existing SKUs are updated in place; prices changes are audited with before and after.
 */
export async function importCatalog(
  ctx: Ctx,
  input: { bytes: Uint8Array; encoding: CsvEncoding; stockStoreId: string | null; actorId: string },
): Promise<ImportSummary> {
  const raw = parseCatalogCsv(decodeCsv(input.bytes, input.encoding));
  const { rows, errors } = validateCatalogRows(raw);
  if (errors.length > 0) throw new Refusal('csv_rows_invalid', `${errors.length} problem(s)`, { errors });
  if (rows.some((r) => r.stock > 0) && !input.stockStoreId) {
    throw new Refusal(
      'validation_failed',
      'the file has a stock column: name the store that receives the stock',
    );
  }
  return transaction(ctx.db, 'full', async (tx) => {
    if (input.stockStoreId) {
      const store = await storeFacts(tx, input.stockStoreId);
      if (!store) throw new Refusal('store_unknown');
    }
    const now = ctx.clock.now().toISOString();
    const summary: ImportSummary = {
      rows: rows.length,
      products: { created: 0, updated: 0 },
      variants: { created: 0, updated: 0, unchanged: 0 },
      stockReceived: 0,
    };

    // Barcodes already used by a different SKU are errors of the file, reported with their lines.
    const existingByBarcode = new Map<string, string>();
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500).map((r) => r.barcode);
      for (const v of await tx
        .selectFrom('variants')
        .select(['barcode', 'sku'])
        .where('barcode', 'in', chunk)
        .execute()) {
        existingByBarcode.set(v.barcode, v.sku);
      }
    }
    const conflicts: RowError[] = rows
      .filter((r) => existingByBarcode.has(r.barcode) && existingByBarcode.get(r.barcode) !== r.sku)
      .map((r) => ({
        line: r.line,
        field: 'barcode',
        reason: `already belongs to SKU ${existingByBarcode.get(r.barcode)}`,
      }));
    if (conflicts.length > 0)
      throw new Refusal('csv_rows_invalid', `${conflicts.length} problem(s)`, { errors: conflicts });

    const productIds = new Map<string, string>();
    const priceChanges: { sku: string; before: number; after: number }[] = [];
    const receipts: { variantId: string; qty: number }[] = [];
    for (const row of rows) {
      const productId = productIds.get(row.styleCode) ?? (await upsertProduct(ctx, tx, row, now, summary));
      productIds.set(row.styleCode, productId);
      const variantId = await upsertVariant(ctx, tx, row, productId, now, summary, priceChanges);
      if (row.stock > 0) receipts.push({ variantId, qty: row.stock });
    }
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: null,
      actorId: input.actorId,
      action: 'catalog.imported',
      entityType: 'catalog',
      entityId: HQ_CHAIN,
      after: { ...summary, priceChanges: priceChanges.slice(0, 1000) },
    });
    if (input.stockStoreId && receipts.length > 0) {
      const storeId = input.stockStoreId;
      await writeMovements(
        tx,
        ctx,
        receipts.map((r) => ({
          storeId,
          variantId: r.variantId,
          kind: 'receive',
          delta: r.qty,
          refType: 'catalog_import',
          note: 'catalog import',
          actorId: input.actorId,
        })),
        { action: 'stock.received', entityType: 'store', entityId: storeId },
      );
      summary.stockReceived = receipts.reduce((a, r) => a + r.qty, 0);
    }
    return summary;
  });
}

async function upsertProduct(
  ctx: Ctx,
  tx: Tx,
  row: CatalogRow,
  now: string,
  summary: ImportSummary,
): Promise<string> {
  const existing = await tx
    .selectFrom('products')
    .selectAll()
    .where('style_code', '=', row.styleCode)
    .executeTakeFirst();
  const fields = {
    name_zh: row.nameZh,
    name_en: row.nameEn,
    brand: row.brand,
    category: row.category,
    season: row.season,
  };
  if (!existing) {
    const id = ctx.ids.next('prd');
    await tx
      .insertInto('products')
      .values({ id, style_code: row.styleCode, ...fields, created_at: now, updated_at: now })
      .execute();
    summary.products.created++;
    return id;
  }
  const changed = (Object.keys(fields) as (keyof typeof fields)[]).some((k) => existing[k] !== fields[k]);
  if (changed) {
    await tx
      .updateTable('products')
      .set({ ...fields, updated_at: now })
      .where('id', '=', existing.id)
      .execute();
    summary.products.updated++;
  }
  return existing.id;
}

async function upsertVariant(
  ctx: Ctx,
  tx: Tx,
  row: CatalogRow,
  productId: string,
  now: string,
  summary: ImportSummary,
  priceChanges: { sku: string; before: number; after: number }[],
): Promise<string> {
  const existing = await tx.selectFrom('variants').selectAll().where('sku', '=', row.sku).executeTakeFirst();
  const fields = {
    product_id: productId,
    barcode: row.barcode,
    size: row.size,
    colour_zh: row.colourZh,
    colour_en: row.colourEn,
    price_fen: row.priceFen,
    active: 1,
  };
  if (!existing) {
    const id = ctx.ids.next('var');
    await tx
      .insertInto('variants')
      .values({ id, sku: row.sku, ...fields, created_at: now, updated_at: now })
      .execute();
    summary.variants.created++;
    return id;
  }
  const changed = (Object.keys(fields) as (keyof typeof fields)[]).some((k) => existing[k] !== fields[k]);
  if (changed) {
    await tx
      .updateTable('variants')
      .set({ ...fields, updated_at: now })
      .where('id', '=', existing.id)
      .execute();
    if (existing.price_fen !== row.priceFen)
      priceChanges.push({ sku: row.sku, before: existing.price_fen, after: row.priceFen });
    summary.variants.updated++;
  } else {
    summary.variants.unchanged++;
  }
  return existing.id;
}
