/**
 * The statement parsers on files laid out as docs/providers.md describes them: Alipay's GBK detail CSV
 * in its zip (comments before and after, 25 columns by name, tab-ended cells), WeChat's backtick
 * bill with its summary, and our card settlement profile. Bad lines are reported by their 1-based
 * number with a reason; lines that moved nothing are not payments; a whole card number is refused.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { AttemptSource } from '../../src/recon/pairing';
import {
  type PairedRead,
  parseStatementBytes,
  readPaired,
  readStatementBytes,
  readStatementInThread,
  StatementFileError,
} from '../../src/recon/read-file';
import {
  CsvCells,
  chinaTimeToIso,
  fromWire,
  type LineError,
  lineError,
  readCells,
  splitCsvLine,
  utf8BytesOf,
  WIRE_AT,
  WIRE_WIDTH,
  yuanCellToFen,
  yuanCellToMilliFen,
} from '../../src/recon/statement';
import { zipStored } from '../../src/sandbox/zip';
import {
  alipayBillZip,
  CARD_HEADER,
  alipayRow as row,
  WECHAT_ALL,
  wechatBill,
  wechatRow,
} from '../support/statements';

const alipayRow = (
  trade: string,
  order: string,
  kind: string,
  amount: string,
  requestNo = '',
  fee = '-0.54',
) => row(trade, order, kind, amount, { requestNo, fee });
const alipayZip = alipayBillZip;

describe('the Alipay trade bill', () => {
  it('reads payments and refunds by header name from the GBK detail CSV in the zip, skipping comments and the summary file', async () => {
    const parsed = await parseStatementBytes(
      'alipay',
      alipayZip([
        alipayRow('2026112322001', 'SH01-T1-0001', '交易', '899.00'),
        alipayRow('2026112322001', 'SH01-T1-0001', '退款', '-100.00', 'RF-1', '0.06'),
      ]),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.dataLines).toBe(2);
    expect(parsed.lines).toMatchObject([
      {
        kind: 'payment',
        line: 5,
        merchantOrderNo: 'SH01-T1-0001',
        providerRef: '2026112322001',
        amountFen: 89_900,
        feeMilliFen: 54_000,
        at: '2026-11-23T02:00:05.000Z',
        terminalId: 'T1',
      },
      { kind: 'refund', line: 6, refundNo: 'RF-1', amountFen: 10_000, feeMilliFen: -6_000 },
    ]);
    expect(new Set(parsed.lines.map((l) => l.key)).size).toBe(2);
  });

  it('reports every bad line by its number and reason: an unknown type, a bad amount, a bad time, a wrong cell count', async () => {
    const bad = row('2026112322002', 'SH01-T1-0002', '交易', '899.00', { finished: '2026-13-40 99:00:00' });
    const parsed = await parseStatementBytes(
      'alipay',
      alipayZip([
        alipayRow('2026112322003', 'SH01-T1-0003', '转账', '1.00'),
        alipayRow('2026112322004', 'SH01-T1-0004', '交易', '8,99'),
        bad,
        'only,three,cells',
        alipayRow('2026112322005', 'SH01-T1-0005', '交易', '1.00'),
      ]),
    );
    expect(parsed.errors.map((e) => e.line)).toEqual([5, 6, 7, 8]);
    expect(parsed.errors[0]!.reason).toContain('转账');
    expect(parsed.dataLines).toBe(5);
    expect(parsed.lines).toHaveLength(1);
  });

  it('a file that is not a bill: a damaged zip, a zip without the detail, a CSV without the header', async () => {
    const zip = alipayZip([alipayRow('1', 'o', '交易', '1.00')]);
    await expect(parseStatementBytes('alipay', zip.subarray(0, zip.length - 30))).rejects.toThrow(
      /zip|central|damaged/,
    );
    await expect(
      parseStatementBytes('alipay', zipStored([{ name: 'x_业务明细(汇总).csv', data: Buffer.from('x') }])),
    ).rejects.toThrow(/no detail CSV/);
    const noHeader = await parseStatementBytes('alipay', iconv.encode('#comment\r\nfoo,bar\r\n', 'gbk'));
    expect(noHeader.errors).toMatchObject([
      { line: 2, reason: expect.stringContaining('missing 支付宝交易号') },
    ]);
  });
});

describe('the WeChat Pay bill', () => {
  it('reads SUCCESS as a payment, REFUND as a refund, REVOKED as a trade that moved nothing; the summary is not data', async () => {
    const parsed = await parseStatementBytes(
      'wechat',
      wechatBill([
        wechatRow({}),
        wechatRow({ 微信订单号: '4200002', 商户订单号: 'SH01-T1-0002', 交易状态: 'REVOKED' }),
        wechatRow({
          交易状态: 'REFUND',
          应结订单金额: '0.00',
          微信退款单号: '5000',
          商户退款单号: 'RF-9',
          退款金额: '100.00',
          手续费: '-0.60',
        }),
      ]),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.dataLines).toBe(3);
    expect(parsed.lines.map((l) => [l.kind, l.amountFen, l.line])).toEqual([
      ['payment', 89_900, 2],
      ['no_money', 89_900, 3],
      ['refund', 10_000, 4],
    ]);
    expect(parsed.lines[2]).toMatchObject({ refundNo: 'RF-9', feeMilliFen: -60_000 });
  });

  it('keeps a fee with sub-fen digits exactly as WeChat Pay states it (3.02784 → 302,784 thousandths of a fen), refusing only what is not money', async () => {
    const parsed = await parseStatementBytes(
      'wechat',
      wechatBill([
        wechatRow({ 手续费: '3.02784' }),
        wechatRow({ 微信订单号: '4200003', 商户订单号: 'SH01-T1-0003', 手续费: '0.00600' }),
        wechatRow({ 微信订单号: '4200004', 商户订单号: 'SH01-T1-0004', 手续费: '3.027841' }),
        wechatRow({ 微信订单号: '4200005', 商户订单号: 'SH01-T1-0005', 手续费: '3,02' }),
      ]),
    );
    expect(parsed.lines.map((l) => l.feeMilliFen)).toEqual([302_784, 600]);
    expect(parsed.errors.map((e) => e.line)).toEqual([4, 5]);
    expect(parsed.errors[0]!.reason).toContain('手续费');
  });

  it('bad lines are named: a field without its backtick, an unknown state, a cut line, data after the summary', async () => {
    const parsed = await parseStatementBytes(
      'wechat',
      Buffer.from(
        [
          WECHAT_ALL,
          wechatRow({}).replace('`T1', 'T1'),
          wechatRow({ 交易状态: 'PAYERROR' }),
          wechatRow({}).split(',').slice(0, 10).join(','),
          '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
          '`1,`0.00,`0.00,`0.00,`0.00000,`0.00,`0.00',
          wechatRow({ 微信订单号: '4200009' }),
        ].join('\n'),
      ),
    );
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 3, 4, 7]);
    expect(parsed.lines).toEqual([]);
  });

  it('text in another encoding is a bad line, not a guess', async () => {
    const gbk = Buffer.concat([
      Buffer.from(`${WECHAT_ALL}\n`),
      iconv.encode(`${wechatRow({ 商品名称: '羊绒开衫' })}\n`, 'gbk'),
    ]);
    const parsed = await parseStatementBytes('wechat', gbk);
    expect(parsed.errors).toMatchObject([{ line: 2, reason: expect.stringContaining('encoding') }]);
  });
});

describe('the card settlement file (our import profile)', () => {
  it('reads sales, refunds and voided sales by header name; a voided sale moved nothing', async () => {
    const parsed = await parseStatementBytes(
      'card',
      Buffer.from(
        [
          CARD_HEADER,
          '898310,T1,000012,000101,ACQ000101,123456,622202******0128,消费,2026-11-23 10:00:05,899.00,4.50,894.50,2026-11-24,SH01-T1-0001',
          '898310,T1,000012,000102,ACQ000102,123457,622202******0128,撤销,2026-11-23 10:05:00,120.00,0.00,0.00,2026-11-24,SH01-T1-0002',
          '898310,T1,000012,000103,ACQ000103,,622202******0128,退货,2026-11-23 11:00:00,100.00,-0.50,-99.50,2026-11-24,SH01-T1-0003',
        ].join('\n'),
      ),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines.map((l) => [l.kind, l.providerRef, l.amountFen, l.feeMilliFen])).toEqual([
      ['payment', 'ACQ000101', 89_900, 450_000],
      ['no_money', 'ACQ000102', 12_000, 0],
      ['refund', 'ACQ000103', 10_000, 50_000],
    ]);
  });

  it('refuses a line with a whole card number, without repeating it', async () => {
    const parsed = await parseStatementBytes(
      'card',
      Buffer.from(
        `${CARD_HEADER}\n898310,T1,000012,000101,ACQ1,1,6222021234567890128,消费,2026-11-23 10:00:05,899.00,4.50,894.50,2026-11-24,O1\n`,
      ),
    );
    expect(parsed.errors).toMatchObject([
      { line: 2, reason: expect.stringContaining('unmasked card number') },
    ]);
    expect(JSON.stringify(parsed)).not.toContain('6222021234567890128');
  });
});

describe('UTF-8 files read as their bytes (one character a byte, cells beyond ASCII decoded)', () => {
  const line = (i: number, type = '消费', terminal = 'T1') =>
    `898310,${terminal},000012,${String(i).padStart(6, '0')},ACQ${i},1,622202******0128,${type},2026-11-23 10:00:05,1.00,0.01,0.99,2026-11-24,O-${i}`;

  it('reads Chinese cells whole, a BOM and CRLF taken off, a line of ideographic spaces skipped', async () => {
    const parsed = await parseStatementBytes(
      'card',
      Buffer.from(`\uFEFF${CARD_HEADER}\r\n${line(1)}\r\n\u3000\u3000\r\n${line(2, '退货', '收银台一')}\r\n`),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines.map((l) => [l.kind, l.terminalId, l.line])).toEqual([
      ['payment', 'T1', 2],
      ['refund', '收银台一', 4],
    ]);
  });

  it('names an unknown Chinese value as it was written, and decodes quoted cells', async () => {
    const parsed = await parseStatementBytes(
      'card',
      Buffer.from(`${CARD_HEADER}\n${line(1, '预授权')}\n${line(2).replace(',T1,', ',"收银台, 二",')}\n`),
    );
    expect(parsed.errors).toMatchObject([{ line: 2, reason: expect.stringContaining('预授权') }]);
    expect(parsed.lines.map((l) => l.terminalId)).toEqual(['收银台, 二']);
  });

  it('a character cut in two where one piece of the file ends is read whole; bytes not UTF-8 are a bad line', async () => {
    // The header and lines up to just past a megabyte, with a line whose 消费 straddles the end of
    // the first piece; then a line holding a byte UTF-8 does not have.
    const head = Buffer.from(`${CARD_HEADER}\n`);
    const filler: string[] = [];
    let size = head.length;
    for (let i = 1; size < (1 << 20) - 600; i++) {
      filler.push(line(i));
      size += Buffer.byteLength(line(i)) + 1;
    }
    const before = Buffer.concat([head, Buffer.from(`${filler.join('\n')}\n`)]);
    const straddling = Buffer.from(`${line(999_001)}\n`);
    const cut = straddling.indexOf(Buffer.from('消费')) + 1; // inside 消's three bytes
    const base = Buffer.byteLength(`${line(999_000).replace('O-999000', 'O-')}\n`);
    const pad = 'x'.repeat((1 << 20) - before.length - cut - base);
    const padded = Buffer.from(`${line(999_000).replace('O-999000', `O-${pad}`)}\n`);
    expect(before.length + padded.length + cut).toBe(1 << 20);
    const bad = Buffer.from(`${line(999_002)}\n`);
    bad[bad.indexOf(Buffer.from('消费'))] = 0xff;
    const bytes = Buffer.concat([
      before.subarray(0, before.length),
      padded,
      straddling,
      bad,
      Buffer.from(`${line(999_003)}\n`),
    ]);
    const parsed = await parseStatementBytes('card', bytes);
    const n = filler.length;
    expect(parsed.errors).toMatchObject([{ line: n + 4, reason: expect.stringContaining('encoding') }]);
    expect(parsed.lines.map((l) => l.merchantOrderNo).slice(-3)).toEqual([
      `O-${pad}`,
      'O-999001',
      'O-999003',
    ]);
    expect(parsed.lines.at(-2)?.kind).toBe('payment');
  });
});

describe('reading a CSV line: CsvCells, and splitCsvLine and readCells through it', () => {
  // The plain way, on decoded text: character by character, every cell trimmed.
  const plainSplit = (text: string): string[] | null => {
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quoted && ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (quoted && ch === '"') quoted = false;
      else if (!quoted && ch === '"' && cell.trim() === '') {
        quoted = true;
        cell = '';
      } else if (!quoted && ch === ',') {
        cells.push(cell.trim());
        cell = '';
      } else cell += ch;
    }
    return quoted ? null : [...cells, cell.trim()];
  };

  it('gives the cells and the refusals of the plain way, in both line forms, whatever line came before', () => {
    const cell = fc.oneof(
      fc.constantFrom(
        '',
        ' 消费 ',
        '收银台\u3000',
        '"a,b"',
        '"d""e"',
        'x\t',
        '\u00e9t\u00e9',
        '"open',
        'ACQ1',
        '丠',
      ),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(
        fc.array(cell, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 80 }),
        (parts, width) => {
          const text = parts.join(',');
          const plain = plainSplit(text);
          const expectedErrors =
            plain?.length === width
              ? []
              : [
                  lineError(7, {
                    code: 'cells',
                    expected: width,
                    found: plain ? String(plain.length) : 'an open quote',
                  }),
                ];
          for (const form of ['text', 'utf8_bytes'] as const) {
            const raw = form === 'text' ? text : utf8BytesOf(text);
            expect(splitCsvLine(raw, form)).toEqual(plain);
            const errors: LineError[] = [];
            expect(readCells(raw, 7, width, errors, form)).toEqual(plain?.length === width ? plain : null);
            expect(errors).toEqual(expectedErrors);
            const cells = new CsvCells(form);
            // Read another line first: nothing of it may stay.
            cells.read(utf8BytesOf('消费,"x"'), 6, 2, []);
            const read: LineError[] = [];
            expect(cells.read(raw, 7, width, read)).toBe(plain?.length === width);
            expect(read).toEqual(expectedErrors);
            if (plain?.length === width) expect(plain.map((_, i) => cells.cell(i))).toEqual(plain);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('reads a line of any number of cells (past what its reader first has room for)', () => {
    const many = Array.from({ length: 200 }, (_, i) => `c${i}`);
    expect(splitCsvLine(many.join(','))).toEqual(many);
    const cells = new CsvCells('utf8_bytes');
    expect(cells.read(many.join(','), 2, 200, [])).toBe(true);
    expect(cells.cell(199)).toBe('c199');
  });
});

describe('cells', () => {
  it('money in yuan to fen exactly; fractions of a fen refused, trailing zeros accepted', () => {
    expect(['899.00', '-0.05', '0.6', '5.39000', '12'].map(yuanCellToFen)).toEqual([
      89_900, -5, 60, 539, 1_200,
    ]);
    expect(['5.391', '1,000.00', '', 'abc', '1.2.3'].map(yuanCellToFen)).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });
  it('fees in yuan to thousandths of a fen, exactly, up to five decimals', () => {
    expect(['3.02784', '-0.06', '0.00600', '12', '0'].map(yuanCellToMilliFen)).toEqual([
      302_784, -6_000, 600, 1_200_000, 0,
    ]);
    expect(['3.027841', '1,000.00', '', 'abc', '12345678901'].map(yuanCellToMilliFen)).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });
  it('China time to UTC; impossible dates refused', () => {
    expect(chinaTimeToIso('2026-11-23 08:00:00')).toBe('2026-11-23T00:00:00.000Z');
    expect(chinaTimeToIso('2026-02-30 10:00:00')).toBeNull();
    expect(chinaTimeToIso('23/11/2026')).toBeNull();
  });
  it('CSV cells with quotes, doubled quotes and padding', () => {
    expect(splitCsvLine(' a ,"b,c","d""e",\tf\t')).toEqual(['a', 'b,c', 'd"e', 'f']);
    expect(splitCsvLine('"open')).toBeNull();
  });
});

describe('reading on its own thread', () => {
  const card = (lines: string[]) =>
    Buffer.from(
      [
        '商户号,终端号,批次号,凭证号,参考号,授权码,卡号,交易类型,交易时间,交易金额,手续费,结算金额,清算日期,商户订单号',
        ...lines,
      ].join('\n'),
    );
  const good = (i: number) =>
    `898310,T1,000001,${String(i).padStart(6, '0')},ACQ${i},1,622202******0128,消费,2026-11-23 10:00:05,${i}.00,0.50,${i - 1}.50,2026-11-24,O-${i}`;
  // The day's attempts, in two pieces as the importer reads them: O-1 and O-2 pair on sight (O-2
  // for another amount, so it does not), the third does not pair on sight at all.
  const packed = (rows: string[][]) => rows.map((r) => r.join('\u001f')).join('\u001e');
  const asked: string[] = [];
  const attempts: AttemptSource = async function* (day) {
    asked.push(day);
    if (day !== '2026-11-23') return;
    yield packed([['s', 'a1', 'O-1', '100', 'ACQ1']]);
    yield null;
    yield packed([
      ['s', 'a2', 'O-2', '999', ''],
      ['o', 'a3', 'O-9', '900', ''],
    ]);
  };
  const collect = async (
    provider: 'card' | 'alipay',
    read: (take: (wire: unknown[]) => Promise<void>) => Promise<PairedRead>,
  ) => {
    const wires: unknown[][] = [];
    const result = await read(async (wire) => void wires.push(wire));
    return {
      lines: wires.flatMap((w) =>
        Array.from({ length: w.length / WIRE_WIDTH }, (_, i) => ({
          ...fromWire(provider, w, i * WIRE_WIDTH),
          attemptId: w[i * WIRE_WIDTH + WIRE_AT.attempt_id],
        })),
      ),
      errors: result.errors,
      dataLines: result.dataLines,
      pairing: result.pairing,
    };
  };
  const inThread = (job: Parameters<typeof readStatementInThread>[0]) =>
    collect(job.provider as 'card', (take) => readStatementInThread(job, take, attempts));

  it('gives the same lines, pairs, errors and count as reading and pairing here — from bytes and from a file', async () => {
    const bytes = card([good(1), good(2), `${good(3)},extra`, good(4)]);
    const here = await collect('card', (take) =>
      readPaired((emit, drain) => readStatementBytes('card', bytes, emit, drain), attempts, take),
    );
    expect(here.errors.map((e) => e.line)).toEqual([4]);
    expect(here.lines.map((l) => l.attemptId)).toEqual(['a1', null, null]);
    expect(here.pairing).toEqual({
      days: ['2026-11-23'],
      otherAttempts: ['a3'],
      pairs: 1,
      withdrawn: [],
      unpaired: ['a2'],
    });
    const threaded = await inThread({ provider: 'card', bytes });
    expect(threaded).toEqual(here);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tillsafe-thread-')), 'card.csv');
    writeFileSync(file, bytes);
    expect(await inThread({ provider: 'card', file })).toEqual(here);
    // Each day around the statement's asked for once per read.
    expect(asked.sort()).toEqual([
      ...Array(3).fill('2026-11-22'),
      ...Array(3).fill('2026-11-23'),
      ...Array(3).fill('2026-11-24'),
    ]);
  });

  it('a file that is no statement at all is refused as such, not as a crash', async () => {
    await expect(
      readStatementInThread(
        { provider: 'alipay', bytes: Buffer.from('PK\u0003\u0004 not a zip') },
        async () => undefined,
        attempts,
      ),
    ).rejects.toBeInstanceOf(StatementFileError);
  });

  it('a failure reading the attempts fails the read, and the thread stops', async () => {
    const failing: AttemptSource = async function* () {
      yield null;
      throw new Error('the database went away');
    };
    await expect(
      readStatementInThread({ provider: 'card', bytes: card([good(1)]) }, async () => undefined, failing),
    ).rejects.toThrow('the database went away');
  });
});
