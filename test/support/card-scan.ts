/**
 * Looking for card numbers where none may be: raw bytes of the database files, every text value
 * in every table, and the server's log. A hit is a Luhn-valid run of 13–19 digits
 * (src/kernel/card-data.ts) that is not one of the catalog's barcodes and not a 13-digit
 * millisecond timestamp (ISO/IEC 7812: 13-digit cards start with 4; log times start with 1).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { findPans } from '../../src/kernel';

export interface CardHit {
  where: string;
  digits: string;
  context: string;
}

const isTimestamp = (digits: string) => digits.length === 13 && digits.startsWith('1');

/** A run inside a long token of letters and digits (a hash, an id, a salt, a token) is that token, not a number. */
function insideToken(text: string, start: number, end: number): boolean {
  const tokenChar = /[A-Za-z0-9_+/=-]/;
  let a = start;
  let b = end;
  while (a > 0 && tokenChar.test(text[a - 1]!)) a--;
  while (b < text.length && tokenChar.test(text[b]!)) b++;
  const token = text.slice(a, b);
  return token.length >= 26 && /[A-Za-z]/.test(token);
}

export function panHitsIn(text: string, where: string, barcodes: ReadonlySet<string>): CardHit[] {
  return findPans(text)
    .filter((h) => !barcodes.has(h.digits) && !isTimestamp(h.digits) && !insideToken(text, h.start, h.end))
    .map((h) => ({ where, digits: h.digits, context: text.slice(Math.max(0, h.start - 30), h.end + 30) }));
}

/**
 * Raw bytes of every file in a folder (the SQLite file, its WAL and shared memory). Digits are
 * ASCII in UTF-8, so a latin1 reading finds them wherever they are, free pages included; a run
 * that holds a catalog barcode is that barcode packed against a neighbouring value.
 */
export function scanFiles(dir: string, barcodes: ReadonlySet<string>): CardHit[] {
  const hits: CardHit[] = [];
  for (const name of readdirSync(dir)) {
    const text = readFileSync(path.join(dir, name)).toString('latin1');
    for (const hit of panHitsIn(text, name, barcodes)) {
      // SQLite packs a record's values side by side: a size or a row key next to a barcode makes
      // one long run. The per-value scan (scanTables) sees those values apart.
      if (![...barcodes].some((b) => hit.digits.includes(b))) hits.push(hit);
    }
  }
  return hits;
}

/** Every text value of every table, one by one, through the database's own driver. */
export async function scanTables(
  db: Kysely<Record<string, Record<string, unknown>>>,
  barcodes: ReadonlySet<string>,
): Promise<CardHit[]> {
  const hits: CardHit[] = [];
  for (const table of await db.introspection.getTables()) {
    const rows = await db.selectFrom(table.name).selectAll().execute();
    for (const row of rows)
      for (const [column, value] of Object.entries(row))
        if (typeof value === 'string') hits.push(...panHitsIn(value, `${table.name}.${column}`, barcodes));
  }
  return hits;
}

/**
 * Files holding a given number anywhere, glued to other bytes or not: raw records pack values side
 * by side, so a number there may touch a neighbouring value's letters, which the scan above skips.
 */
export function filesContaining(dir: string, digits: string): string[] {
  return readdirSync(dir).filter((name) =>
    containsDigits(readFileSync(path.join(dir, name)).toString('latin1'), digits),
  );
}

/** Whether `needle`'s digits occur anywhere in `haystack`, as typed or with separators dropped. */
export function containsDigits(haystack: string, needle: string): boolean {
  return haystack.includes(needle) || haystack.includes(needle.replace(/[ -]/g, ''));
}
