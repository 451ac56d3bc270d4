/**
 * The statement parser contract: whichever provider's layout, a statement read from an upload's
 * bytes, from a file on disk, and through the wire form the import stores and pairs (its fast
 * path) gives the same lines, the same errors at the same line numbers, and the same count.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseStatementBytes,
  parseStatementFile,
  readAsWire,
  readStatementBytes,
} from '../../src/recon/read-file';
import {
  fromWire,
  type ParsedStatement,
  STATEMENT_PROVIDERS,
  type StatementLine,
  type StatementProvider,
  WIRE_WIDTH,
} from '../../src/recon/statement';
import { alipayBillZip, alipayRow, CARD_HEADER, wechatBill, wechatRow } from '../support/statements';

const dir = mkdtempSync(path.join(tmpdir(), 'tillsafe-statements-'));
let files = 0;

/** A row of each layout: payment or refund, a valid amount, or (bad) one that is not money. */
interface Row {
  order: number;
  fen: number;
  refund: boolean;
  bad: boolean;
}
const yuan = (fen: number) => (fen / 100).toFixed(2);
const LAYOUTS: Record<StatementProvider, (rows: readonly Row[], crlf: boolean) => Buffer> = {
  alipay: (rows) =>
    alipayBillZip(
      rows.map((r) =>
        alipayRow(
          `2026112322${String(r.order).padStart(6, '0')}`,
          `SH01-T1-${r.order}`,
          r.refund ? '退款' : '交易',
          r.bad ? 'twelve' : r.refund ? `-${yuan(r.fen)}` : yuan(r.fen),
          r.refund ? { requestNo: `RF-${r.order}`, fee: '0.06' } : {},
        ),
      ),
    ),
  wechat: (rows) =>
    wechatBill(
      rows.map((r) =>
        wechatRow({
          微信订单号: `42000${r.order}`,
          商户订单号: `SH01-T1-${r.order}`,
          交易状态: r.refund ? 'REFUND' : 'SUCCESS',
          应结订单金额: r.bad ? 'twelve' : yuan(r.fen),
          订单金额: yuan(r.fen),
          ...(r.refund
            ? { 微信退款单号: `50000${r.order}`, 商户退款单号: `RF-${r.order}`, 退款金额: yuan(r.fen) }
            : {}),
        }),
      ),
    ),
  card: (rows, crlf) =>
    Buffer.from(
      [
        CARD_HEADER,
        ...rows.map(
          (r) =>
            `898310,T1,000012,${String(r.order).padStart(6, '0')},ACQ${r.order},1234,622202******0128,${r.refund ? '退货' : '消费'},2026-11-23 10:00:05,${r.bad ? 'twelve' : yuan(r.fen)},0.00,${yuan(r.fen)},2026-11-24,SH01-T1-${r.order}`,
        ),
      ].join(crlf ? '\r\n' : '\n'),
    ),
};

async function viaWire(provider: StatementProvider, bytes: Buffer): Promise<ParsedStatement> {
  const lines: StatementLine[] = [];
  const read = await readAsWire(
    (emit, drain) => readStatementBytes(provider, bytes, emit, drain),
    async (wire) => {
      for (let w = 0; w < wire.length; w += WIRE_WIDTH) lines.push(fromWire(provider, wire, w));
    },
  );
  return { provider, lines, errors: read.errors, dataLines: read.dataLines };
}

const rows = fc.array(
  fc.record({
    order: fc.integer({ min: 1, max: 999_999 }),
    fen: fc.integer({ min: 1, max: 10_000_000 }),
    refund: fc.boolean(),
    bad: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  }),
  { maxLength: 12 },
);

describe.each(STATEMENT_PROVIDERS)('the statement parser contract: %s', (provider) => {
  it('reads the same lines, errors and count from bytes, from a file and through the wire form', async () => {
    await fc.assert(
      fc.asyncProperty(rows, fc.boolean(), async (given, crlf) => {
        const bytes = LAYOUTS[provider](given, crlf);
        const file = path.join(dir, `${provider}-${files++}`);
        writeFileSync(file, bytes);
        const fromBytes = await parseStatementBytes(provider, bytes);
        expect(await parseStatementFile(provider, file)).toEqual(fromBytes);
        expect(await viaWire(provider, bytes)).toEqual(fromBytes);
        // Every row is either a line or an error, never both, never neither.
        expect(fromBytes.lines.length + fromBytes.errors.length).toBe(given.length);
        expect(fromBytes.dataLines).toBe(given.length);
      }),
      { numRuns: 40 },
    );
  });

  it('reads each line once with its provider, an integer amount and a key of its own', async () => {
    const bytes = LAYOUTS[provider](
      [
        { order: 1, fen: 89_900, refund: false, bad: false },
        { order: 2, fen: 10_000, refund: true, bad: false },
      ],
      false,
    );
    const parsed = await parseStatementBytes(provider, bytes);
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines.map((l) => [l.provider, l.kind, l.amountFen])).toEqual([
      [provider, 'payment', 89_900],
      [provider, 'refund', 10_000],
    ]);
    expect(new Set(parsed.lines.map((l) => l.key)).size).toBe(2);
  });

  it('refuses a line that is not money by its number, and keeps reading the rest', async () => {
    const parsed = await parseStatementBytes(
      provider,
      LAYOUTS[provider](
        [
          { order: 1, fen: 100, refund: false, bad: false },
          { order: 2, fen: 100, refund: false, bad: true },
          { order: 3, fen: 100, refund: false, bad: false },
        ],
        false,
      ),
    );
    expect(parsed.lines).toHaveLength(2);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]?.line).toBeGreaterThan(1);
  });
});
