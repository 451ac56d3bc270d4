/**
 * ESC/POS bytes for 80 mm (48 columns) and 58 mm (32 columns) thermal printers. Text outside
 * ASCII is sent in the printers' Chinese mode: FS & (enter), the GB18030 bytes, FS . (leave),
 * which Chinese-market printers expect and which leaves ASCII printers unharmed for ASCII text.
 */
import iconv from 'iconv-lite';
import type { ReceiptDoc } from './model';
import { twoColumns, wrap } from './text-width';

export const COLUMNS_BY_WIDTH = { 58: 32, 80: 48 } as const;
export type PaperWidthMm = keyof typeof COLUMNS_BY_WIDTH;

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

/** Splits text into runs that are all ASCII or all not. */
function asciiRuns(text: string): { ascii: boolean; text: string }[] {
  const runs: { ascii: boolean; text: string }[] = [];
  for (const ch of text) {
    const ascii = ch.charCodeAt(0) < 0x80;
    const last = runs.at(-1);
    if (last && last.ascii === ascii) last.text += ch;
    else runs.push({ ascii, text: ch });
  }
  return runs;
}

export class EscPosWriter {
  private readonly chunks: number[] = [];

  init(): this {
    return this.raw(ESC, 0x40);
  }
  align(where: 'left' | 'centre' | 'right'): this {
    return this.raw(ESC, 0x61, where === 'left' ? 0 : where === 'centre' ? 1 : 2);
  }
  bold(on: boolean): this {
    return this.raw(ESC, 0x45, on ? 1 : 0);
  }
  /** Character size multiplier, 1–8 each way. */
  size(width: number, height: number): this {
    return this.raw(GS, 0x21, ((width - 1) << 4) | (height - 1));
  }
  text(value: string): this {
    // Chinese mode only around runs that need it, so plain ASCII stays plain.
    for (const run of asciiRuns(value)) {
      if (run.ascii) this.raw(...Buffer.from(run.text, 'ascii'));
      else this.raw(FS, 0x26, ...iconv.encode(run.text, 'gb18030'), FS, 0x2e);
    }
    return this;
  }
  line(value = ''): this {
    return this.text(value).raw(LF);
  }
  feed(lines: number): this {
    return this.raw(ESC, 0x64, lines);
  }
  /** A QR code drawn by the printer itself (GS ( k, model 2, error correction M). */
  qr(data: string, moduleSize: number): this {
    const bytes = Buffer.from(data, 'utf8');
    const len = bytes.length + 3;
    this.raw(GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00);
    this.raw(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, moduleSize);
    this.raw(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 0x31);
    this.raw(GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, 0x50, 0x30, ...bytes);
    return this.raw(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30);
  }
  /** Feed past the cutter and cut partially (GS V 66 n). */
  cut(): this {
    return this.raw(GS, 0x56, 0x42, 0x03);
  }
  raw(...bytes: number[]): this {
    for (const b of bytes) this.chunks.push(b);
    return this;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

export function renderEscPos(doc: ReceiptDoc, widthMm: PaperWidthMm): Uint8Array {
  const cols = COLUMNS_BY_WIDTH[widthMm];
  const rule = '-'.repeat(cols);
  const w = new EscPosWriter().init();
  w.align('centre').bold(true).size(1, 2);
  for (const row of wrap(doc.storeName, cols)) w.line(row);
  w.size(1, 1).bold(false);
  for (const row of wrap(doc.storeAddress, cols)) w.line(row);
  w.line(doc.storePhone);
  w.bold(true).line(doc.title).bold(false);
  if (doc.reprintMark) w.bold(true).line(doc.reprintMark).bold(false);
  w.align('left').line(rule);
  for (const [label, value] of doc.facts) w.line(twoColumns(`${label}:`, value, cols));
  w.line(rule);
  for (const line of doc.lines) {
    for (const row of wrap(line.name, cols)) w.line(row);
    w.line(twoColumns(`  ${line.detail}`, '', cols).trimEnd());
    w.line(twoColumns(`  ${line.qtyAndPrice}`, line.amount, cols));
    if (line.discount) w.line(twoColumns('', line.discount, cols));
  }
  w.line(rule);
  for (const [label, value] of doc.totals) w.line(twoColumns(label, value, cols));
  w.bold(true)
    .size(1, 2)
    .line(twoColumns(doc.grandTotal[0], doc.grandTotal[1], cols))
    .size(1, 1)
    .bold(false);
  for (const [label, value] of doc.tenders) w.line(twoColumns(label, value, cols));
  w.line(rule);
  w.align('centre')
    .qr(doc.qrUrl, cols === 48 ? 6 : 4)
    .line();
  w.line(doc.qrCaption);
  for (const row of doc.footer) for (const part of wrap(row, cols)) w.line(part);
  return w.feed(3).cut().bytes();
}
