/**
 * A statement file from disk (or bytes) through its provider's parser, line by line: WeChat's bill
 * and the card settlement file stream as UTF-8 text; Alipay's `.csv.zip` is opened, its detail CSV
 * (`…_业务明细.csv`, not the summary) decoded from GBK — a bare GBK CSV is read the same. Text that
 * is not in the file's encoding is a bad line, reported with its number.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { alipayParser } from './parse-alipay';
import { cardParser } from './parse-card';
import { wechatParser } from './parse-wechat';
import {
  type LineError,
  lineError,
  type ParsedStatement,
  type StatementParser,
  type StatementProvider,
} from './statement';
import { readZip, ZipError } from './zip-read';

const PARSERS: Record<StatementProvider, () => StatementParser> = {
  alipay: alipayParser,
  wechat: wechatParser,
  card: cardParser,
};

/** A whole file that cannot be read as a statement at all (not a zip, no detail inside). */
export class StatementFileError extends Error {}

async function feedLines(parser: StatementParser, input: Readable): Promise<ParsedStatement> {
  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  const bad: LineError[] = [];
  for await (const text of reader) {
    n++;
    // A byte sequence the encoding does not have decodes to U+FFFD: the file is in another one.
    if (text.includes('\uFFFD')) {
      bad.push(lineError(n, { code: 'encoding' }));
      continue;
    }
    parser.feed(text, n);
  }
  const parsed = parser.end(n);
  if (bad.length > 0) parsed.errors = [...bad, ...parsed.errors].sort((a, b) => a.line - b.line);
  return parsed;
}

export async function parseStatementFile(
  provider: StatementProvider,
  file: string,
): Promise<ParsedStatement> {
  if (provider === 'alipay') return parseStatementBytes(provider, await readFile(file));
  return feedLines(PARSERS[provider](), createReadStream(file).setEncoding('utf8'));
}

export async function parseStatementBytes(
  provider: StatementProvider,
  bytes: Buffer,
): Promise<ParsedStatement> {
  if (provider !== 'alipay') return feedLines(PARSERS[provider](), Readable.from([bytes.toString('utf8')]));
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
  return feedLines(PARSERS.alipay(), Readable.from([iconv.decode(csv, 'gbk')]));
}
