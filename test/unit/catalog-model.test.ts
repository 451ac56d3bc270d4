import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeCsv, parseCatalogCsv } from '../../src/catalog/csv';
import { demoCatalogCsv } from '../../src/catalog/demo-catalog';
import {
  barcodeProblem,
  CATALOG_COLUMNS,
  gs1CheckDigit,
  isValidGs1,
  validateCatalogRows,
} from '../../src/catalog/model';
import { Refusal } from '../../src/kernel';

const HEADER = CATALOG_COLUMNS.join(',');
const row = (over: Partial<Record<string, string>> = {}) => {
  const base: Record<string, string> = {
    style_code: 'TS-1',
    name_zh: 'T恤',
    name_en: 'Tee',
    brand: 'B',
    category: 'C',
    season: 'SS26',
    sku: 'TS-1-W-M',
    barcode: '6901230000010',
    size: 'M',
    colour_zh: '白色',
    colour_en: 'White',
    price: '79.00',
    ...over,
  };
  return CATALOG_COLUMNS.map((c) => base[c]).join(',');
};

function refusalOf(fn: () => unknown): Refusal {
  try {
    fn();
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('barcodes', () => {
  it('computes GS1 check digits', () => {
    expect(gs1CheckDigit('690123000001')).toBe(0);
    expect(gs1CheckDigit('400638133393')).toBe(1); // a published EAN-13
    expect(isValidGs1('6901230000010')).toBe(true);
    expect(isValidGs1('6901230000018')).toBe(false);
    expect(isValidGs1('96385074')).toBe(true); // EAN-8
  });
  it('accepts store codes and refuses bad ones with a reason', () => {
    expect(barcodeProblem('SKU-0001')).toBeNull();
    expect(barcodeProblem('6901230000018')).toBe('GS1 check digit is wrong');
    expect(barcodeProblem('ab')).toMatch(/4 to 32/);
    expect(barcodeProblem('abc def')).toMatch(/letters/);
  });
});

describe('catalog CSV', () => {
  it('reads rows with their real line numbers, also after blank lines and quoted line breaks', () => {
    const text = `${HEADER}\n${row()}\n\n"TS-2",${row({ style_code: 'x' }).split(',').slice(1).join(',').replace('T恤', '"T恤\n二"')}\n`;
    const rows = parseCatalogCsv(text);
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
    expect(rows[1]!.cells.name_zh).toBe('T恤\n二');
  });

  it('reports every bad field with line, field and reason, and keeps no row', () => {
    const text = [
      HEADER,
      row(),
      row({ sku: 'TS-1-W-L', barcode: '6901230000018', price: '12.345' }),
      row({ sku: 'TS-1-W-M', barcode: '6901230000027' }),
    ].join('\n');
    const { rows, errors } = validateCatalogRows(parseCatalogCsv(text));
    expect(rows).toEqual([]);
    expect(errors).toEqual([
      { line: 3, field: 'barcode', reason: 'GS1 check digit is wrong' },
      { line: 3, field: 'price', reason: expect.stringMatching(/yuan/) },
      { line: 4, field: 'sku', reason: 'repeats line 2' },
    ]);
  });

  it('refuses prices that overflow, negative stock and a style described two ways', () => {
    const text = [
      `${HEADER},stock`,
      `${row({ price: '99999999999' })},1`,
      `${row({ sku: 'B', barcode: '6901230000027' })},-4`,
      `${row({ sku: 'C', barcode: '6901230000034', name_en: 'Other' })},1`,
    ].join('\n');
    const { errors } = validateCatalogRows(parseCatalogCsv(text));
    expect(errors.map((e) => `${e.line}:${e.field}`)).toEqual(['2:price', '3:stock', '4:name_en']);
  });

  it('refuses a row with the wrong number of cells', () => {
    const { errors } = validateCatalogRows(parseCatalogCsv(`${HEADER}\n${row()},extra\n`));
    expect(errors).toEqual([{ line: 2, field: '', reason: 'has 13 cells, the header has 12' }]);
  });

  it('refuses missing, unknown and repeated columns before reading rows', () => {
    const refusal = refusalOf(() => parseCatalogCsv('style_code,name,name\nx,y,z\n'));
    expect(refusal.code).toBe('csv_columns_invalid');
    const errors = refusal.extra.errors as { field: string; reason: string }[];
    expect(errors).toContainEqual({ line: 1, field: 'name', reason: 'unknown column' });
    expect(errors).toContainEqual({ line: 1, field: 'name', reason: 'column appears twice' });
    expect(errors).toContainEqual({ line: 1, field: 'price', reason: 'required column is missing' });
  });

  it('refuses a GBK file read as UTF-8, and reads it when told the encoding', () => {
    const gbk = iconv.encode(`${HEADER}\n${row()}\n`, 'gb18030');
    expect(refusalOf(() => decodeCsv(gbk, 'utf-8')).code).toBe('csv_encoding_invalid');
    const rows = parseCatalogCsv(decodeCsv(gbk, 'gb18030'));
    expect(rows[0]!.cells.colour_zh).toBe('白色');
  });

  it('strips a UTF-8 byte-order mark', () => {
    const bytes = new TextEncoder().encode(`\uFEFF${HEADER}\n${row()}\n`);
    expect(parseCatalogCsv(decodeCsv(bytes, 'utf-8'))).toHaveLength(1);
  });

  it('the demo catalog is valid and has at least 200 SKUs', () => {
    const { rows, errors } = validateCatalogRows(parseCatalogCsv(demoCatalogCsv()));
    expect(errors).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(200);
    expect(new Set(rows.map((r) => r.styleCode)).size).toBeGreaterThanOrEqual(25);
  });
});
