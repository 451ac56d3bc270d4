/**
 * The statement parsers on files laid out as PROVIDERS.md describes them: Alipay's GBK detail CSV
 * in its zip (comments before and after, 25 columns by name, tab-ended cells), WeChat's backtick
 * bill with its summary, and our card settlement profile. Bad lines are reported by their 1-based
 * number with a reason; lines that moved nothing are not payments; a whole card number is refused.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  chinaTimeToIso,
  fromWire,
  parseStatementBytes,
  readStatementInThread,
  StatementFileError,
  splitCsvLine,
  WIRE_WIDTH,
  yuanCellToFen,
} from '../../src/recon';
import { zipStored } from '../../src/sandbox/zip';
import { alipayBillZip, alipayRow as row } from '../support/statements';

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
        feeFen: 54,
        at: '2026-11-23T02:00:05.000Z',
        terminalId: 'T1',
      },
      { kind: 'refund', line: 6, refundNo: 'RF-1', amountFen: 10_000, feeFen: -6 },
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

const WECHAT_ALL =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const wechatRow = (cells: Partial<Record<string, string>>) => {
  const names = WECHAT_ALL.split(',');
  const base: Record<string, string> = {
    交易时间: '2026-11-23 10:00:05',
    公众账号ID: 'wx1',
    商户号: '190',
    特约商户号: '0',
    设备号: 'T1',
    微信订单号: '4200001',
    商户订单号: 'SH01-T1-0001',
    用户标识: 'o1',
    交易类型: 'MICROPAY',
    交易状态: 'SUCCESS',
    付款银行: 'CMB_DEBIT',
    货币种类: 'CNY',
    应结订单金额: '899.00',
    代金券金额: '0.00',
    微信退款单号: '0',
    商户退款单号: '',
    退款金额: '0.00',
    充值券退款金额: '0.00',
    退款类型: '',
    退款状态: '',
    商品名称: '羊绒开衫',
    商户数据包: '',
    手续费: '5.39',
    费率: '0.60%',
    订单金额: '899.00',
    申请退款金额: '0.00',
    费率备注: '',
  };
  return names.map((n) => `\`${cells[n] ?? base[n]}`).join(',');
};
const wechatBill = (rows: string[]) =>
  Buffer.from(
    [
      WECHAT_ALL,
      ...rows,
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
      '`2,`899.00,`0.00,`0.00,`5.39000,`899.00,`0.00',
    ].join('\r\n'),
  );

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
    expect(parsed.lines[2]).toMatchObject({ refundNo: 'RF-9', feeFen: -60 });
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

const CARD_HEADER =
  '商户号,终端号,批次号,凭证号,参考号,授权码,卡号,交易类型,交易时间,交易金额,手续费,结算金额,清算日期,商户订单号';
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
    expect(parsed.lines.map((l) => [l.kind, l.providerRef, l.amountFen, l.feeFen])).toEqual([
      ['payment', 'ACQ000101', 89_900, 450],
      ['no_money', 'ACQ000102', 12_000, 0],
      ['refund', 'ACQ000103', 10_000, 50],
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
  const inThread = async (job: Parameters<typeof readStatementInThread>[0]) => {
    const wires: unknown[][] = [];
    const read = await readStatementInThread(job, async (wire) => void wires.push(wire));
    return {
      lines: wires.flatMap((w) =>
        Array.from({ length: w.length / WIRE_WIDTH }, (_, i) => fromWire(job.provider, w, i * WIRE_WIDTH)),
      ),
      errors: read.errors,
      dataLines: read.dataLines,
    };
  };

  it('gives the same lines, errors and count as reading here — from bytes and from a file', async () => {
    const bytes = card([good(1), good(2), `${good(3)},extra`, good(4)]);
    const here = await parseStatementBytes('card', bytes);
    expect(here.errors.map((e) => e.line)).toEqual([4]);
    const { lines, errors, dataLines } = await inThread({ provider: 'card', bytes });
    expect({ lines, errors, dataLines }).toEqual({
      lines: here.lines,
      errors: here.errors,
      dataLines: here.dataLines,
    });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tillsafe-thread-')), 'card.csv');
    writeFileSync(file, bytes);
    expect(await inThread({ provider: 'card', file })).toEqual({ lines, errors, dataLines });
  });

  it('a file that is no statement at all is refused as such, not as a crash', async () => {
    await expect(
      inThread({ provider: 'alipay', bytes: Buffer.from('PK\u0003\u0004 not a zip') }),
    ).rejects.toBeInstanceOf(StatementFileError);
  });
});
