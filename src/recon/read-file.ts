/**
 * A statement file from disk (or bytes) through its provider's parser, line by line: WeChat's bill
 * and the card settlement file stream as UTF-8 text; Alipay's `.csv.zip` is opened, its detail CSV
 * (`…_业务明细.csv`, not the summary) decoded from GBK — a bare GBK CSV is read the same. Text that
 * is not in the file's encoding is a bad line, reported with its number.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import iconv from 'iconv-lite';
import { alipayParser } from './parse-alipay';
import { cardParser } from './parse-card';
import { wechatParser } from './parse-wechat';
import type { ReadJob, ReadMessage } from './read-worker';
import {
  type LineError,
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

/**
 * Text chunks to the parser line by line (LF or CRLF). By hand rather than through readline: a
 * day's file is a million lines, and readline's per-line events were a fifth of reading one.
 */
async function feedLines(
  parser: StatementParser,
  chunks: AsyncIterable<string> | Iterable<string>,
  drain?: () => Promise<void>,
): Promise<ParsedStatement> {
  let n = 0;
  const bad: LineError[] = [];
  // A byte sequence the encoding does not have decodes to U+FFFD: the file is in another one.
  // Looked for in each line only when the piece of the file it is in has one.
  let suspect = false;
  const feed = (text: string) => {
    n++;
    if (suspect && text.includes('\uFFFD')) bad.push(lineError(n, { code: 'encoding' }));
    else parser.feed(text.endsWith('\r') ? text.slice(0, -1) : text, n);
  };
  let rest = '';
  for await (const chunk of chunks) {
    const text = rest + chunk;
    suspect = text.includes('\uFFFD');
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      feed(text.slice(from, nl));
      from = nl + 1;
    }
    rest = text.slice(from);
    await drain?.();
  }
  suspect = rest.includes('\uFFFD');
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
  if (provider === 'alipay') return readStatementBytes(provider, await readFile(file), emit, drain);
  const { errors, dataLines } = await feedLines(
    PARSERS[provider](emit),
    createReadStream(file, { highWaterMark: 1 << 20 }).setEncoding('utf8'),
    drain,
  );
  return { errors, dataLines };
}

/** A statement file in memory (an upload), each good line handed to `emit` as it is read. */
export async function readStatementBytes(
  provider: StatementProvider,
  bytes: Buffer,
  emit: LineSink,
  drain?: () => Promise<void>,
): Promise<StatementRead> {
  const { errors, dataLines } = await feedLines(
    PARSERS[provider](emit),
    slices(decodeStatement(provider, bytes)),
    drain,
  );
  return { errors, dataLines };
}

/** Text in pieces of a megabyte or so, so that an upload is drained as it is read, not at its end. */
function* slices(text: string): Generator<string> {
  for (let at = 0; at < text.length; at += 1 << 20) yield text.slice(at, at + (1 << 20));
}

/** The file's text: WeChat's and the card file as UTF-8; Alipay's detail CSV out of its zip, from GBK. */
function decodeStatement(provider: StatementProvider, bytes: Buffer): string {
  if (provider !== 'alipay') return bytes.toString('utf8');
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

/**
 * A statement read on its own thread (read-worker.ts), each batch of good lines (in wire form)
 * given to `take`, and written, before the thread may read much further. The same answers as
 * reading it here.
 */
export function readStatementInThread(
  job: ReadJob,
  take: (wire: WireLines) => Promise<void>,
): Promise<StatementRead> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./read.worker.mjs', import.meta.url), {
      workerData: job,
      execArgv: [],
    });
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      finish();
      void worker.terminate();
    };
    // Batches are written one after another, in the order they were read.
    let writing = Promise.resolve();
    worker.on('message', (m: ReadMessage) => {
      writing = writing
        .then(async () => {
          if (settled) return;
          if (m.type === 'lines') {
            await take(m.wire);
            worker.postMessage('written');
          } else if (m.type === 'done')
            settle(() => resolve({ errors: m.errors, dataLines: m.dataLines, threadMs: m.threadMs }));
          else if (m.type === 'not_a_file') settle(() => reject(new StatementFileError(m.message)));
          else settle(() => reject(new Error(`reading the statement failed: ${m.message}`)));
        })
        .catch((error: unknown) => settle(() => reject(error)));
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
