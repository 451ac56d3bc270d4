/** Reading a catalog CSV into raw rows with their real line numbers (quoted cells may span lines). */
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { Refusal } from '../kernel';
import { type CatalogColumn, headerProblems, type RawCatalogRow } from './model';

export type CsvEncoding = 'utf-8' | 'gb18030';

/** Decodes the file bytes; refuses invalid UTF-8 rather than importing mojibake. */
export function decodeCsv(bytes: Uint8Array, encoding: CsvEncoding): string {
  if (encoding === 'gb18030') return iconv.decode(Buffer.from(bytes), 'gb18030');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new Refusal('csv_encoding_invalid');
  }
}

export const MAX_CATALOG_ROWS = 50_000;

export function parseCatalogCsv(text: string): RawCatalogRow[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };

  const records: { start: number; cells: string[] }[] = [];
  let previousCursor = 0;
  Papa.parse<string[]>(text, {
    skipEmptyLines: false,
    step: (result) => {
      // meta.cursor points just past this record's line break, so a record starts where the last one ended.
      const start = previousCursor;
      previousCursor = result.meta.cursor;
      const cells = result.data;
      if (cells.length === 1 && cells[0]!.trim() === '') return; // blank line
      records.push({ start, cells });
    },
  });
  if (records.length === 0) {
    throw new Refusal('csv_columns_invalid', 'the file is empty', {
      errors: [{ line: 1, field: '', reason: 'the file is empty' }],
    });
  }
  const header = records[0]!.cells.map((h) => h.trim().toLowerCase());
  const problems = headerProblems(header);
  if (problems.length > 0) throw new Refusal('csv_columns_invalid', undefined, { errors: problems });
  if (records.length - 1 > MAX_CATALOG_ROWS) {
    throw new Refusal('csv_rows_invalid', `at most ${MAX_CATALOG_ROWS} rows per file`, {
      errors: [{ line: 1, field: '', reason: `more than ${MAX_CATALOG_ROWS} rows` }],
    });
  }
  return records.slice(1).map((record) => {
    const cells: Partial<Record<CatalogColumn, string>> = {};
    header.forEach((name, i) => {
      cells[name as CatalogColumn] = record.cells[i] ?? '';
    });
    const row: RawCatalogRow = { line: lineAt(record.start), cells };
    if (record.cells.length !== header.length) {
      row.shapeProblem = `has ${record.cells.length} cells, the header has ${header.length}`;
    }
    return row;
  });
}
