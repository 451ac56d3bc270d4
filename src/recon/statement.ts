/**
 * A statement line as reconciliation sees it, whatever the provider's layout: what moved,
 * under which of our order numbers and the provider's reference, how much, when, where. Pure: the
 * parsers (parse-*.ts) make these from the providers' files; the matcher (matcher.ts) pairs them
 * with what the tills recorded.
 */

import { STATEMENT_PROVIDERS, type StatementLineKind, type StatementProvider } from '../shared';

export { STATEMENT_PROVIDERS, type StatementProvider };

/** What a line moved (shared/kinds.ts). */
export type LineKind = StatementLineKind;

export interface StatementLine {
  provider: StatementProvider;
  /** 1-based line number in the file (for a zip, in the detail file inside it). */
  line: number;
  /**
   * What makes the line itself: the same money in two files (a re-import, overlapping days) has
   * the same key, so it is stored once.
   */
  key: string;
  kind: LineKind;
  /** Ours, as we sent it (`out_trade_no`, the nexo SaleTransactionID); '' when the file has none. */
  merchantOrderNo: string;
  /** The provider's own id of the trade (支付宝交易号, 微信订单号, the acquirer's reference no.). */
  providerRef: string;
  /** For a refund: our refund number as we sent it (退款请求号, 商户退款单号), if the file has it. */
  refundNo: string | null;
  /** Always positive: the kind says which way it went. */
  amountFen: number;
  /** The provider's fee on it, exactly as stated, in thousandths of a fen; positive when charged to the store. */
  feeMilliFen: number;
  /** When it moved (ISO, UTC). */
  at: string;
  /** The device that took it, as the provider names it (终端号, 设备号), if any. */
  terminalId: string | null;
}

/** What is wrong with a line, as a code and its facts: the screens put it in words, in both languages. */
export type LineProblem =
  | { code: 'not_header'; missing: string }
  | { code: 'cells'; expected: number; found: string }
  | { code: 'unknown_value' | 'not_amount' | 'not_time' | 'wrong_sign'; column: string; value: string }
  | { code: 'empty'; column: string }
  | {
      code:
        | 'after_end'
        | 'no_header'
        | 'no_data'
        | 'no_backtick'
        | 'refund_layout'
        | 'zero'
        | 'unmasked_pan'
        | 'encoding';
    }
  | { code: 'not_a_file'; message: string };

export interface LineError {
  /** 1-based line number in the file (0: the file as a whole). */
  line: number;
  /** In English, for the command line and logs. */
  reason: string;
  problem: LineProblem;
}

/** The English words for a problem (the CLI's `reason`; the back office translates `problem`). */
export function reasonOf(p: LineProblem): string {
  switch (p.code) {
    case 'not_header':
      return `not the statement's header: missing ${p.missing || 'its columns'}`;
    case 'cells':
      return `expected ${p.expected} cells, found ${p.found}`;
    case 'unknown_value':
      return `unknown ${p.column} "${p.value}"`;
    case 'not_amount':
      return `${p.column} "${p.value}" is not an amount`;
    case 'not_time':
      return `${p.column} "${p.value}" is not a time`;
    case 'wrong_sign':
      return `${p.column}: ${p.value} has the wrong sign`;
    case 'empty':
      return `${p.column} is empty`;
    case 'after_end':
      return 'data after the end of the list (or its summary)';
    case 'no_header':
      return 'no header before the data';
    case 'no_data':
      return 'no statement data in the file';
    case 'no_backtick':
      return 'a field without its leading backtick';
    case 'refund_layout':
      return 'a refund in a layout without refund columns';
    case 'zero':
      return 'a payment of 0.00';
    case 'unmasked_pan':
      return 'an unmasked card number (only masked numbers are accepted)';
    case 'encoding':
      return 'not readable in the file’s encoding (is it UTF-8? Alipay’s is GBK)';
    case 'not_a_file':
      return p.message;
  }
}

export function lineError(line: number, problem: LineProblem): LineError {
  return { line, reason: reasonOf(problem), problem };
}

export interface ParsedStatement {
  provider: StatementProvider;
  lines: StatementLine[];
  errors: LineError[];
  /** Data lines seen (not headers, comments or summaries), bad ones included. */
  dataLines: number;
}

/**
 * Lines in bulk as they cross from the reading thread and into the importer: each line's fields
 * one after another, WIRE_WIDTH of them (a batch of plain values moves and is read far cheaper
 * than as many objects), in the order the importer's insert takes them — so a batch is written
 * as it comes.
 */
export type WireLines = unknown[];
/** The wire form's fields, named by the statement_lines columns they are written to, in order. */
export const WIRE_COLUMNS = [
  'key',
  'kind',
  'merchant_order_no',
  'provider_ref',
  'refund_no',
  'amount_fen',
  'fee_millifen',
  'at',
  'terminal_id',
  'line_no',
  'day',
  'attempt_id',
] as const;
export const WIRE_WIDTH = WIRE_COLUMNS.length;
/** Where each field is in a line's stretch of the wire form. */
export const WIRE_AT = Object.fromEntries(WIRE_COLUMNS.map((c, i) => [c, i])) as Record<
  (typeof WIRE_COLUMNS)[number],
  number
>;

/**
 * Appends a line in wire form, its fields in WIRE_COLUMNS' order; the attempt it pairs with is
 * null until pairing.ts says.
 */
export function toWire(l: StatementLine, out: WireLines): void {
  out.push(
    l.key,
    l.kind,
    l.merchantOrderNo,
    l.providerRef,
    l.refundNo,
    l.amountFen,
    l.feeMilliFen,
    l.at,
    l.terminalId,
    l.line,
    dayOfKey(l.key),
    null,
  );
}

/** The line at `i` of a batch in wire form. */
export function fromWire(provider: StatementProvider, w: WireLines, i: number): StatementLine {
  const at = WIRE_AT;
  return {
    provider,
    key: w[i + at.key] as string,
    kind: w[i + at.kind] as LineKind,
    merchantOrderNo: w[i + at.merchant_order_no] as string,
    providerRef: w[i + at.provider_ref] as string,
    refundNo: w[i + at.refund_no] as string | null,
    amountFen: w[i + at.amount_fen] as number,
    feeMilliFen: w[i + at.fee_millifen] as number,
    at: w[i + at.at] as string,
    terminalId: w[i + at.terminal_id] as string | null,
    line: w[i + at.line_no] as number,
  };
}

/** Where a parser hands each good line as it reads it (by default it keeps them in `lines`). */
export type LineSink = (line: StatementLine) => void;

/** A line-by-line parser: fed each line of the file in order, then asked for the whole. */
export interface StatementParser {
  /** How it wants its lines (read-file.ts decodes the file so; a leading BOM already taken off). */
  readonly form: LineForm;
  feed(text: string, line: number): void;
  end(lastLine: number): ParsedStatement;
}

/**
 * A money cell in yuan as the providers print it ("12.30", "-0.05", "0.00600"): to fen, exactly, or
 * null when it is not money or has fractions of a fen (an amount with them is refused: the provider
 * rounds an amount, not us). Fees may carry them: read those with `yuanCellToMilliFen`.
 */
export function yuanCellToFen(cell: string): number | null {
  return yuanCellToUnits(cell, 2, 12);
}

/**
 * A fee cell in yuan, exactly as stated, in thousandths of a fen (1e-5 yuan): WeChat Pay prints a
 * line's fee with five decimals (`3.02784` → 302_784), and the rate is checked against it later.
 */
export function yuanCellToMilliFen(cell: string): number | null {
  return yuanCellToUnits(cell, 5, 10);
}

/**
 * A decimal cell of yuan in units of 10^-places yuan: at most `maxWhole` digits before the point
 * (the result stays a safe integer) and five after it, any digit past `places` being zero.
 */
function yuanCellToUnits(cell: string, places: number, maxWhole: number): number | null {
  // By hand, not by a regular expression: a day's file has a million of these (`-?d{1,12}(.d{1,5})?`).
  const text = cell.trim();
  let i = text.charCodeAt(0) === 45 ? 1 : 0; // '-'
  let whole = 0;
  const wholeStart = i;
  for (; i < text.length && isDigit(text.charCodeAt(i)); i++) whole = whole * 10 + text.charCodeAt(i) - 48;
  const wholeDigits = i - wholeStart;
  if (wholeDigits < 1 || wholeDigits > maxWhole) return null;
  let units = whole * 10 ** places;
  if (i < text.length) {
    if (text.charCodeAt(i) !== 46) return null; // '.'
    const fracStart = ++i;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (!isDigit(c)) return null;
      const place = i - fracStart;
      if (place < places) units += (c - 48) * 10 ** (places - 1 - place);
      else if (c !== 48) return null; // finer than the unit
    }
    const fracDigits = i - fracStart;
    if (fracDigits < 1 || fracDigits > 5) return null;
  }
  return wholeStart === 1 ? -units : units;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * A line's key: the provider, the provider's day, then what makes the line itself. The day leads
 * so that a day's lines are one range of the key (statement_lines needs no index of its own).
 */
export function lineKey(provider: StatementProvider, day: string, rest: string): string {
  return `${provider}:${day}:${rest}`;
}

/**
 * The provider day a line's key carries: the parsers key each line by the day of the time cell
 * its `at` is read from, which is providerDay(at) — read here without working it out again.
 */
export function dayOfKey(key: string): string {
  const at = key.indexOf(':') + 1;
  return key.slice(at, at + 10);
}

/** The provider's day of a time cell chinaTimeToIso accepted: its date, as printed (China time). */
export function dayOfChinaTime(cell: string): string {
  return cell.trim().slice(0, 10);
}

/** The key range of a provider's day: `key >= from and key < to`. */
export function dayKeyRange(provider: StatementProvider, day: string): { from: string; to: string } {
  // ';' follows ':' — every key of the day starts with `provider:day:`.
  return { from: `${provider}:${day}:`, to: `${provider}:${day};` };
}

/** The day (yyyy-mm-dd) of an instant on the providers' calendar: their bills run on China time. */
export function providerDay(iso: string): string {
  // Asked for every line of a file: remembered by the UTC hour (a day has 24 of them, a year 8,760).
  if (!iso.endsWith('Z')) return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
  const hour = iso.slice(0, 13);
  let day = dayOfHour.get(hour);
  if (day === undefined) {
    day = new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
    if (dayOfHour.size >= 100_000) dayOfHour.clear();
    dayOfHour.set(hour, day);
  }
  return day;
}

const dayOfHour = new Map<string, string>();

const timeCache = new Map<string, string | null>();

/** "2026-11-23 10:05:07" in China time (the providers' clock) → ISO UTC; null when it is not that. */
export function chinaTimeToIso(cell: string): string | null {
  // A day's statement repeats its seconds: remember them (bounded; cleared when full).
  const known = timeCache.get(cell);
  if (known !== undefined) return known;
  if (timeCache.size >= 200_000) timeCache.clear();
  const iso = parseChinaTime(cell);
  // Kept under a copy of its own: the cell is a slice of a megabyte of the file, which the cache
  // would otherwise keep alive (every piece of a day's file, hundreds of megabytes).
  timeCache.set(Buffer.from(cell, 'utf8').toString('utf8'), iso);
  return iso;
}

function parseChinaTime(cell: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(cell.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h - 8, mi, s);
  const back = new Date(ms + 8 * 3_600_000);
  // Reject what Date would roll over (2026-02-30, 25:00).
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    back.getUTCHours() !== h
  )
    return null;
  return new Date(ms).toISOString();
}

/**
 * How a parser is given its lines: as decoded text (Alipay's GBK), or — the UTF-8 files — as the
 * bytes themselves, one character a byte (latin1). A day's million lines are mostly ASCII cells:
 * kept as their bytes they stay one-byte strings, half the memory of decoded ones (a line with
 * one Chinese cell would make every slice of it two-byte) and far cheaper to hand to the importer's
 * thread and to the database. A cell with anything beyond ASCII is decoded as the line is split.
 */
export type LineForm = 'text' | 'utf8_bytes';

/** Text as a line in utf8_bytes form has it (for comparing with the start of such a line). */
export function utf8BytesOf(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

const BEYOND_ASCII = /[\x80-\xff]/g;
const decodedCells = new Map<string, string>();

/** A cell in utf8_bytes form, decoded (the few distinct ones remembered: 消费, 退货, a shop's name). */
function decodeCell(bytes: string): string {
  let text = decodedCells.get(bytes);
  if (text === undefined) {
    text = Buffer.from(bytes, 'latin1').toString('utf8');
    if (decodedCells.size >= 10_000) decodedCells.clear();
    decodedCells.set(bytes, text);
  }
  return text;
}

/** Where the next character beyond ASCII is in `text`, from `from` on; -1 if none. */
function beyondAscii(text: string, from: number): number {
  BEYOND_ASCII.lastIndex = from;
  return BEYOND_ASCII.test(text) ? BEYOND_ASCII.lastIndex - 1 : -1;
}

/** A line with nothing on it (in utf8_bytes form, the ideographic space and its kind count as nothing too). */
export function isBlankLine(raw: string, form: LineForm = 'text'): boolean {
  if (raw.trim() === '') return true;
  return (
    form === 'utf8_bytes' && !raw.includes(',') && beyondAscii(raw, 0) >= 0 && decodeCell(raw).trim() === ''
  );
}

/**
 * One CSV line split on commas, with double-quoted cells (a quote doubled inside), each cell
 * trimmed of the spaces and tabs providers pad with. Null when a quote is left open. In utf8_bytes
 * form the cells come out decoded.
 */
export function splitCsvLine(text: string, form: LineForm = 'text'): string[] | null {
  const reader = LINE_READERS[form];
  return reader.locate(text) ? reader.all() : null;
}

/** A cell as the parsers get it: decoded (utf8_bytes form, when it holds bytes beyond ASCII), then trimmed. */
function finishedCell(raw: string, decode: boolean): string {
  const c = decode ? decodeCell(raw) : raw;
  // Only a cell with padding at an end is trimmed (trim() itself decides what padding is).
  return c.length > 0 && (isPadding(c.charCodeAt(0)) || isPadding(c.charCodeAt(c.length - 1))) ? c.trim() : c;
}

/** A line with quotes, character by character; null when a quote is left open. */
function splitQuoted(text: string, form: LineForm): string[] | null {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  const done = (c: string) => finishedCell(c, form === 'utf8_bytes' && beyondAscii(c, 0) >= 0);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === ',') {
      cells.push(done(cell));
      cell = '';
    } else cell += ch;
  }
  if (quoted) return null;
  cells.push(done(cell));
  return cells;
}

/**
 * Might trim() take something off at this end? Spaces and controls, or anything beyond ASCII (the
 * no-break and ideographic spaces among it): a cheap test, trim() itself decides.
 */
function isPadding(c: number): boolean {
  return c <= 32 || c >= 0x7f;
}

/**
 * A line's cells found without splitting it — where each one is — and made a string only when
 * asked for: a parser that reads nine cells of fourteen makes nine strings, not fourteen and an
 * array, a million times over. One reader, reused line after line; splitCsvLine reads through one
 * too. A line with quotes is split whole.
 */
export class CsvCells {
  private text = '';
  /** Where cell i starts (i < count), and one past the end of the line after the last. */
  private starts = new Int32Array(64);
  /** Cells holding bytes beyond ASCII (utf8_bytes form), to be decoded when asked for. */
  private beyond = new Uint8Array(64);
  private marked: number[] = [];
  private quoted: string[] | null = null;
  private count = 0;

  constructor(private readonly form: LineForm) {}

  /** Finds the cells of a line; false when it leaves a quote open. */
  locate(raw: string): boolean {
    this.text = raw;
    for (const i of this.marked) this.beyond[i] = 0;
    this.marked.length = 0;
    if (raw.includes('"')) {
      this.quoted = splitQuoted(raw, this.form);
      this.count = this.quoted?.length ?? 0;
      return this.quoted !== null;
    }
    this.quoted = null;
    let n = 0;
    this.starts[0] = 0;
    for (let comma = raw.indexOf(','); comma >= 0; comma = raw.indexOf(',', comma + 1)) {
      if (++n === this.starts.length - 1) this.grow();
      this.starts[n] = comma + 1;
    }
    this.count = n + 1;
    this.starts[this.count] = raw.length + 1;
    // Only the cells holding the line's bytes beyond ASCII are marked: found by searching for
    // those bytes, not by looking at every cell.
    if (this.form === 'utf8_bytes')
      for (let next = beyondAscii(raw, 0), i = 0; next >= 0; ) {
        while (this.starts[i + 1]! <= next) i++;
        this.beyond[i] = 1;
        this.marked.push(i);
        next = beyondAscii(raw, this.starts[i + 1]!);
      }
    return true;
  }

  /**
   * Reads a line of `width` cells; false, the line reported in `errors`, when it has another
   * number of cells or leaves a quote open.
   */
  read(raw: string, line: number, width: number, errors: LineError[]): boolean {
    const closed = this.locate(raw);
    if (closed && this.count === width) return true;
    errors.push(
      lineError(line, {
        code: 'cells',
        expected: width,
        found: closed ? String(this.count) : 'an open quote',
      }),
    );
    return false;
  }

  /** Cell `i` of the line read. */
  cell(i: number): string {
    if (this.quoted) return this.quoted[i]!;
    return finishedCell(this.text.slice(this.starts[i], this.starts[i + 1]! - 1), this.beyond[i] === 1);
  }

  /** Every cell of the line read. */
  all(): string[] {
    if (this.quoted) return this.quoted;
    return Array.from({ length: this.count }, (_, i) => this.cell(i));
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    starts.set(this.starts);
    this.starts = starts;
    const beyond = new Uint8Array(this.beyond.length * 2);
    beyond.set(this.beyond);
    this.beyond = beyond;
  }
}

/** The readers splitCsvLine reads through, one a form. */
const LINE_READERS: Record<LineForm, CsvCells> = {
  text: new CsvCells('text'),
  utf8_bytes: new CsvCells('utf8_bytes'),
};

/** Where each named column is in a header, or which required names it lacks. */
export function columnsOf<N extends string>(
  header: readonly string[],
  required: readonly N[],
): { ok: true; at: Record<N, number> } | { ok: false; missing: N[] } {
  const at = {} as Record<N, number>;
  const missing: N[] = [];
  for (const name of required) {
    const i = header.indexOf(name);
    if (i < 0) missing.push(name);
    else at[name] = i;
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, at };
}

/**
 * A statement's header line, read by name: the cells and where each required column is — or null,
 * once the line is reported as not the header (naming what is missing).
 */
export function readHeader<N extends string>(
  raw: string,
  line: number,
  required: readonly N[],
  errors: LineError[],
  form: LineForm = 'text',
): { cells: string[]; at: Record<N, number> } | null {
  const cells = splitCsvLine(raw, form);
  const found = cells ? columnsOf(cells, required) : null;
  if (cells && found?.ok) return { cells, at: found.at };
  errors.push(
    lineError(line, { code: 'not_header', missing: found && !found.ok ? found.missing.join(', ') : '' }),
  );
  return null;
}

/** A data line split into exactly the header's number of cells — or null, once the line is reported. */
export function readCells(
  raw: string,
  line: number,
  width: number,
  errors: LineError[],
  form: LineForm = 'text',
): string[] | null {
  const reader = LINE_READERS[form];
  return reader.read(raw, line, width, errors) ? reader.all() : null;
}
