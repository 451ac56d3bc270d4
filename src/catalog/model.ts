/** Catalog rules without I/O: barcodes, field limits, and the validation of import rows. */
import { parseYuan } from '../kernel';

/** Highest unit price a variant may carry: ¥1,000,000 (keeps every line total far below 2^53). */
export const MAX_UNIT_PRICE_FEN = 100_000_000;
export const MAX_IMPORT_STOCK = 100_000;

/** GS1 check digit (EAN-8, UPC-A, EAN-13, GTIN-14): weights 3,1,3,… from the right, excluding the check digit. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidGs1(code: string): boolean {
  if (!/^\d+$/.test(code) || ![8, 12, 13, 14].includes(code.length)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === Number(code.at(-1));
}

/**
 * A barcode is either a GS1 number (checked) or a store's own alphanumeric code. A scanner
 * types it; we accept exactly what it typed, trimmed.
 */
export function barcodeProblem(code: string): string | null {
  if (!/^[0-9A-Za-z-]{4,32}$/.test(code)) return 'must be 4 to 32 letters, digits or dashes';
  if (/^\d+$/.test(code) && [8, 12, 13, 14].includes(code.length) && !isValidGs1(code)) {
    return 'GS1 check digit is wrong';
  }
  return null;
}

export const CATALOG_COLUMNS = [
  'style_code',
  'name_zh',
  'name_en',
  'brand',
  'category',
  'season',
  'sku',
  'barcode',
  'size',
  'colour_zh',
  'colour_en',
  'price',
] as const;
export const OPTIONAL_CATALOG_COLUMNS = ['stock'] as const;

export type CatalogColumn = (typeof CATALOG_COLUMNS)[number] | (typeof OPTIONAL_CATALOG_COLUMNS)[number];

export interface RawCatalogRow {
  line: number;
  cells: Partial<Record<CatalogColumn, string>>;
  /** Set when the row has more or fewer cells than the header. */
  shapeProblem?: string;
}

export interface CatalogRow {
  line: number;
  styleCode: string;
  nameZh: string;
  nameEn: string;
  brand: string;
  category: string;
  season: string;
  sku: string;
  barcode: string;
  size: string;
  colourZh: string;
  colourEn: string;
  priceFen: number;
  stock: number;
}

export interface RowError {
  line: number;
  field: string;
  reason: string;
}

const CODE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$/;

function text(
  cells: RawCatalogRow['cells'],
  field: CatalogColumn,
  max: number,
  required: boolean,
  errors: string[][],
): string {
  const value = (cells[field] ?? '').trim();
  if (required && value.length === 0) errors.push([field, 'is required']);
  else if ([...value].length > max) errors.push([field, `is longer than ${max} characters`]);
  else if ([...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
    errors.push([field, 'contains control characters']);
  return value;
}

/** Checks the header: every required column present, no unknown or repeated ones. */
export function headerProblems(header: readonly string[]): RowError[] {
  const problems: RowError[] = [];
  const known = new Set<string>([...CATALOG_COLUMNS, ...OPTIONAL_CATALOG_COLUMNS]);
  const seen = new Set<string>();
  for (const name of header) {
    if (!known.has(name)) problems.push({ line: 1, field: name, reason: 'unknown column' });
    if (seen.has(name)) problems.push({ line: 1, field: name, reason: 'column appears twice' });
    seen.add(name);
  }
  for (const name of CATALOG_COLUMNS) {
    if (!seen.has(name)) problems.push({ line: 1, field: name, reason: 'required column is missing' });
  }
  return problems;
}

/**
 * Validates every row and the rows against each other (repeated SKUs or barcodes, one style
 * described two ways). Returns all errors at once so the file can be fixed in one pass.
 */
export function validateCatalogRows(rows: readonly RawCatalogRow[]): {
  rows: CatalogRow[];
  errors: RowError[];
} {
  const errors: RowError[] = [];
  const valid: CatalogRow[] = [];
  const skuLines = new Map<string, number>();
  const barcodeLines = new Map<string, number>();
  const styles = new Map<string, CatalogRow>();

  for (const raw of rows) {
    const fieldErrors: string[][] = [];
    if (raw.shapeProblem) {
      errors.push({ line: raw.line, field: '', reason: raw.shapeProblem });
      continue;
    }
    const c = raw.cells;
    const styleCode = text(c, 'style_code', 40, true, fieldErrors);
    if (styleCode && !CODE.test(styleCode))
      fieldErrors.push(['style_code', 'must be letters, digits, dot, dash or underscore']);
    const sku = text(c, 'sku', 40, true, fieldErrors);
    if (sku && !CODE.test(sku)) fieldErrors.push(['sku', 'must be letters, digits, dot, dash or underscore']);
    const barcode = text(c, 'barcode', 32, true, fieldErrors);
    const barcodeIssue = barcode ? barcodeProblem(barcode) : null;
    if (barcodeIssue) fieldErrors.push(['barcode', barcodeIssue]);
    const priceText = text(c, 'price', 20, true, fieldErrors);
    const priceFen = parseYuan(priceText);
    if (priceText && (priceFen === null || priceFen < 0 || priceFen > MAX_UNIT_PRICE_FEN)) {
      fieldErrors.push([
        'price',
        'must be an amount in yuan from 0.00 to 1000000.00 with at most two decimals',
      ]);
    }
    const stockText = text(c, 'stock', 10, false, fieldErrors);
    const stock = stockText === '' ? 0 : Number(stockText);
    if (stockText !== '' && (!/^\d+$/.test(stockText) || stock > MAX_IMPORT_STOCK)) {
      fieldErrors.push(['stock', `must be a whole number from 0 to ${MAX_IMPORT_STOCK}`]);
    }
    const row: CatalogRow = {
      line: raw.line,
      styleCode,
      nameZh: text(c, 'name_zh', 100, true, fieldErrors),
      nameEn: text(c, 'name_en', 100, true, fieldErrors),
      brand: text(c, 'brand', 50, true, fieldErrors),
      category: text(c, 'category', 50, true, fieldErrors),
      season: text(c, 'season', 20, false, fieldErrors),
      sku,
      barcode,
      size: text(c, 'size', 10, true, fieldErrors),
      colourZh: text(c, 'colour_zh', 30, true, fieldErrors),
      colourEn: text(c, 'colour_en', 30, true, fieldErrors),
      priceFen: priceFen ?? 0,
      stock,
    };
    if (sku && skuLines.has(sku)) fieldErrors.push(['sku', `repeats line ${skuLines.get(sku)}`]);
    if (barcode && barcodeLines.has(barcode))
      fieldErrors.push(['barcode', `repeats line ${barcodeLines.get(barcode)}`]);
    const style = styles.get(styleCode);
    if (style) {
      for (const key of ['nameZh', 'nameEn', 'brand', 'category', 'season'] as const) {
        if (style[key] !== row[key])
          fieldErrors.push([
            key === 'nameZh' ? 'name_zh' : key === 'nameEn' ? 'name_en' : key,
            `differs from line ${style.line} of the same style`,
          ]);
      }
    }
    if (sku && !skuLines.has(sku)) skuLines.set(sku, raw.line);
    if (barcode && !barcodeLines.has(barcode)) barcodeLines.set(barcode, raw.line);
    if (styleCode && !style) styles.set(styleCode, row);
    if (fieldErrors.length > 0) {
      for (const [field, reason] of fieldErrors)
        errors.push({ line: raw.line, field: field!, reason: reason! });
    } else {
      valid.push(row);
    }
  }
  return { rows: errors.length > 0 ? [] : valid, errors };
}
