/**
 * A statement file from disk (or bytes) through its provider's parser, line by line: WeChat's bill
 * and the card settlement file stream as UTF-8 text; Alipay's `.csv.zip` is opened, its detail CSV
 * (`…_业务明细.csv`, not the summary) decoded from GBK — a bare GBK CSV is read the same. Text that
 * is not in the file's encoding is a bad line, reported with its number.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import iconv from 'iconv-lite';
import { type AttemptSource, daysAround, LinePairing, NO_PAIRING, type PairingResult } from './pairing';
import { alipayParser } from './parse-alipay';
import { cardParser } from './parse-card';
import { wechatParser } from './parse-wechat';
import type { ReadJob, ReadMessage, ReadReply } from './read-worker';
import {
  dayOfKey,
  type LineError,
  type LineForm,
  type LineSink,
  lineError,
  type ParsedStatement,
  type StatementLine,
  type StatementParser,
  type StatementProvider,
  toWire,
  type WireLines,
} from './statement';
import { readZip, ZipError } from './zip-read';

const PARSERS: Record<StatementProvider, (emit?: LineSink) => StatementParser> = {
  alipay: alipayParser,
  wechat: wechatParser,
  card: cardParser,
};

/** A whole file that cannot be read as a statement at all (not a zip, no detail inside). */
export class StatementFileError extends Error {}

/** What reading a statement found besides its good lines (those went to the sink). */
export interface StatementRead {
  errors: LineError[];
  /** Data lines seen (not headers, comments or summaries), bad ones included. */
  dataLines: number;
  /** Read on its own thread: how long that thread worked (the benchmark's breakdown). */
  threadMs?: number;
}

/** A statement read and its lines paired on sight as they were read. */
export interface PairedRead extends StatementRead {
  pairing: PairingResult;
}

/** A file that is no statement at all: its one error, on line 0. */
export function notAFile(error: StatementFileError): PairedRead {
  return {
    errors: [lineError(0, { code: 'not_a_file', message: error.message })],
    dataLines: 0,
    pairing: NO_PAIRING,
  };
}

/** The byte order mark a file may start with, in each line form. */
const BOM: Record<LineForm, string> = { text: '\uFEFF', utf8_bytes: '\xEF\xBB\xBF' };

/**
 * The file to the parser line by line (LF or CRLF), in the form it reads lines in: decoded text
 * in pieces, or — utf8_bytes — the file's bytes in pieces, one character a byte. By hand rather
 * than through readline: a day's file is a million lines, and readline's per-line events were a
 * fifth of reading one. A line not in the file's encoding is a bad line: looked for only in a
 * piece that may hold one (text: it has U+FFFD, what an undecodable byte becomes; bytes: the piece
 * is not valid UTF-8 — a character cut in two at its end is enough).
 */
async function feedLines(
  parser: StatementParser,
  pieces: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
  drain?: () => Promise<void>,
): Promise<ParsedStatement> {
  const { form } = parser;
  const notInEncoding =
    form === 'utf8_bytes'
      ? (line: string) => !isUtf8(Buffer.from(line, 'latin1'))
      : (line: string) => line.includes('\uFFFD');
  let n = 0;
  const bad: LineError[] = [];
  let suspect = false;
  const feed = (text: string) => {
    n++;
    if (suspect && notInEncoding(text)) bad.push(lineError(n, { code: 'encoding' }));
    else parser.feed(text.endsWith('\r') ? text.slice(0, -1) : text, n);
  };
  let rest = '';
  let first = true;
  for await (const piece of pieces) {
    const bytes = typeof piece !== 'string';
    if (bytes !== (form === 'utf8_bytes')) throw new Error(`the ${form} parser was given the wrong pieces`);
    let text = rest + (bytes ? piece.toString('latin1') : piece);
    if (first && text.startsWith(BOM[form])) text = text.slice(BOM[form].length);
    first = false;
    // The line carried over from the piece before is looked at again with this one.
    suspect = (rest !== '' && suspect) || (bytes ? !isUtf8(piece) : piece.includes('\uFFFD'));
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      feed(text.slice(from, nl));
      from = nl + 1;
    }
    rest = text.slice(from);
    await drain?.();
  }
  suspect = true; // the last line, looked at by itself
  if (rest !== '') feed(rest);
  const parsed = parser.end(n);
  if (bad.length > 0) parsed.errors = [...bad, ...parsed.errors].sort((a, b) => a.line - b.line);
  return parsed;
}

/** A statement file from disk, each good line handed to `emit` as it is read. */
export async function readStatementFile(
  provider: StatementProvider,
  file: string,
  emit: LineSink,
  drain?: () => Promise<void>,
): Promise<StatementRead> {
  const parser = PARSERS[provider](emit);
  // Read as it streams when its parser takes the bytes; decoded whole (Alipay's zip) otherwise.
  const source =
    parser.form === 'utf8_bytes'
      ? (createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>)
      : piecesFor(parser, await readFile(file));
  const { errors, dataLines } = await feedLines(parser, source, drain);
  return { errors, dataLines };
}

/** A statement file in memory (an upload), each good line handed to `emit` as it is read. */
export async function readStatementBytes(
  provider: StatementProvider,
  bytes: Buffer,
  emit: LineSink,
  drain?: () => Promise<void>,
): Promise<StatementRead> {
  const parser = PARSERS[provider](emit);
  const { errors, dataLines } = await feedLines(parser, piecesFor(parser, bytes), drain);
  return { errors, dataLines };
}

/** A file's bytes in pieces, as its parser reads them: the bytes themselves, or decoded. */
function piecesFor(parser: StatementParser, bytes: Buffer): Iterable<string | Buffer> {
  return parser.form === 'utf8_bytes' ? pieces(bytes) : pieces(decodeStatement(bytes));
}

/** Bytes or text in pieces of a megabyte or so, so that an upload is drained as it is read, not at its end. */
function* pieces<T extends string | Buffer>(whole: T): Generator<T> {
  for (let at = 0; at < whole.length; at += 1 << 20)
    yield (
      typeof whole === 'string' ? whole.slice(at, at + (1 << 20)) : whole.subarray(at, at + (1 << 20))
    ) as T;
}

/** The text of a file its parser reads decoded: Alipay's detail CSV out of its zip (or bare), from GBK. */
function decodeStatement(bytes: Buffer): string {
  let csv = bytes;
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    let entries: ReturnType<typeof readZip>;
    try {
      entries = readZip(bytes);
    } catch (error: unknown) {
      throw new StatementFileError(error instanceof ZipError ? error.message : String(error));
    }
    const detail = entries.find((e) => e.name.endsWith('.csv') && !e.name.includes('汇总'));
    if (!detail) throw new StatementFileError('no detail CSV (…_业务明细.csv) in the zip');
    csv = detail.data;
  }
  return iconv.decode(csv, 'gbk');
}

/** A whole statement file parsed, its good lines kept (tests, small files). */
export function parseStatementFile(provider: StatementProvider, file: string): Promise<ParsedStatement> {
  return keepingLines(provider, (emit) => readStatementFile(provider, file, emit));
}

export function parseStatementBytes(provider: StatementProvider, bytes: Buffer): Promise<ParsedStatement> {
  return keepingLines(provider, (emit) => readStatementBytes(provider, bytes, emit));
}

async function keepingLines(
  provider: StatementProvider,
  read: (emit: LineSink) => Promise<StatementRead>,
): Promise<ParsedStatement> {
  const lines: StatementLine[] = [];
  const result = await read((l) => void lines.push(l));
  return { provider, lines, errors: result.errors, dataLines: result.dataLines };
}

/** From this size on a statement is read on its own thread (smaller ones are not worth starting it for). */
export const THREAD_FROM_BYTES = 1 << 20;

/** How much of a file's start is read here to learn its first day. */
const HEAD_BYTES = 256 * 1024;

/**
 * The provider day of a statement's first good line, read here from the first lines of the file:
 * null when they have none, or when the file is read decoded whole (Alipay's zip). The thread asks
 * for the attempts around that day first; they are read while it starts.
 */
export async function firstDayOf(job: ReadJob): Promise<string | null> {
  let day: string | null = null;
  const parser = PARSERS[job.provider]((line) => {
    day ??= dayOfKey(line.key);
  });
  if (parser.form !== 'utf8_bytes') return null;
  let head: Buffer;
  if (job.bytes)
    head = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, Math.min(job.bytes.length, HEAD_BYTES));
  else {
    const file = await open(job.file!, 'r');
    try {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }
  // Whole lines only: a cut one could read as another.
  const end = head.lastIndexOf(0x0a);
  if (end < 0) return null;
  await feedLines(parser, [head.subarray(0, end + 1)]);
  return day;
}

/**
 * A statement read on its own thread (read-worker.ts): its lines paired there, with the attempts
 * `attempts` reads here for each day the thread asks for (handed over a piece at a time; those
 * around the file's first day from the start, while the thread starts), and each batch given to
 * `take`, and written, before the thread may read much further. The same answers as reading and
 * pairing it here (readPaired).
 */
export function readStatementInThread(
  job: ReadJob,
  take: (wire: WireLines) => Promise<void>,
  attempts: AttemptSource,
): Promise<PairedRead> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./read.worker.mjs', import.meta.url), {
      workerData: job,
      execArgv: [],
    });
    const reply = (m: ReadReply) => worker.postMessage(m);
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      finish();
      void worker.terminate();
    };
    // Everything is done one after another, in the order it came: a day's attempts are read
    // between the writes of the batches before and after it (one transaction, one connection).
    let writing = Promise.resolve();
    const then = (work: () => Promise<void>) => {
      writing = writing
        .then(() => (settled ? undefined : work()))
        .catch((error: unknown) => settle(() => reject(error)));
    };
    // Each day's attempts are read once: asked for by the thread, or before it asked.
    const served = new Set<string>();
    const serve = (day: string) => {
      if (served.has(day)) return;
      served.add(day);
      then(async () => {
        for await (const packed of attempts(day)) reply({ type: 'attempts', day, packed });
        reply({ type: 'attempts_end', day });
      });
    };
    // While the thread starts (half a second): a file it cannot read, it reports itself.
    firstDayOf(job).then(
      (day) => {
        if (day && !settled) for (const around of daysAround([day])) serve(around);
      },
      () => undefined,
    );
    worker.on('message', (m: ReadMessage) => {
      if (m.type === 'attempts') return serve(m.day);
      then(async () => {
        if (m.type === 'lines') {
          await take(m.wire);
          reply({ type: 'written' });
        } else if (m.type === 'done')
          settle(() =>
            resolve({ errors: m.errors, dataLines: m.dataLines, threadMs: m.threadMs, pairing: m.pairing }),
          );
        else if (m.type === 'not_a_file') settle(() => reject(new StatementFileError(m.message)));
        else settle(() => reject(new Error(`reading the statement failed: ${m.message}`)));
      });
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => {
      // After what it sent was written: a thread that ends on its own before 'done' lost the rest.
      writing = writing.then(() =>
        settle(() => reject(new Error(`the statement reader stopped before the end (exit ${code})`))),
      );
    });
  });
}

/** A statement read here, its lines paired on sight (with `attempts`) before each batch goes to `take`. */
export async function readPaired(
  read: (emit: LineSink, drain: () => Promise<void>) => Promise<StatementRead>,
  attempts: AttemptSource,
  take: (wire: WireLines) => Promise<void>,
): Promise<PairedRead> {
  const pairing = new LinePairing(attempts);
  const result = await readAsWire(read, async (wire) => {
    await pairing.pair(wire);
    await take(wire);
  });
  return { ...result, pairing: pairing.finish() };
}

/**
 * A reader's lines in wire form: gathered as the parser hands them, and given to `take` at each
 * drain (a megabyte or so of the file) and at the end.
 */
export async function readAsWire(
  read: (emit: LineSink, drain: () => Promise<void>) => Promise<StatementRead>,
  take: (wire: WireLines) => Promise<void>,
): Promise<StatementRead> {
  let batch: WireLines = [];
  const drain = async () => {
    if (batch.length === 0) return;
    const full = batch;
    batch = [];
    await take(full);
  };
  const result = await read((line) => toWire(line, batch), drain);
  await drain();
  return result;
}
