/**
 * `npm run bench:recon -- --lines 1000000`: a card settlement file of N lines against N recorded
 * card payments on SQLite, with `--planted` (default 200) differences of each kind; parse, import
 * and match it through the same code as `tillsafe recon import`, and print one JSON object:
 * seconds per phase, peak RSS, cases found by kind against those planted, and DuckDB
 * (@duckdb/node-api) joining the same two files in the same run, with the ratio.
 * The setup (sales, attempts and payments written straight through better-sqlite3) is not timed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { prepareContext } from '../src/app';
import { formatYuan } from '../src/kernel';
import { type ImportPhase, importStatement, parseStatementFile } from '../src/recon';
import { chinaTime } from '../src/sandbox/http-kit';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    planted: { type: 'string', default: '200' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(values.lines);
const P = Number(values.planted);
const dir = mkdtempSync(path.join(tmpdir(), 'tillsafe-bench-recon-'));
const file = path.join(dir, 'tillsafe.sqlite');
const DAY = '2026-11-23';
const at = (i: number) =>
  new Date(Date.parse(`${DAY}T00:00:00+08:00`) + 60_000 + Math.floor((i / N) * 86_000_000)).toISOString();
const amountOf = (i: number) => 100 + ((i * 7919) % 99_900);

// ---------------------------------------------------------------- setup (not timed)
const setupStart = performance.now();
const ctx = await prepareContext({ dialect: 'sqlite', file }, { seed: true });
await ctx.db.close();
const raw = new Database(file);
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = OFF');
const sale = raw.prepare(
  `insert into sales (id, store_id, till_id, number, status, cashier_id, currency, subtotal_fen, line_discount_fen, sale_discount_kind, sale_discount_value, sale_discount_fen, total_fen, paid_fen, change_fen, line_count, version, opened_at, updated_at, completed_at)
   values (?, 'store_sh01', 'till_sh01_1', ?, 'completed', 'staff_sh01_cashier', 'CNY', ?, 0, null, null, 0, ?, ?, 0, 1, 1, ?, ?, ?)`,
);
const attempt = raw.prepare(
  `insert into payment_attempts (id, sale_id, store_id, till_id, tender, merchant_order_no, request_id, amount_fen, status, provider_ref, masked_pan, brand, code, category, slip_json, cashier_id, checks, created_at, sent_at, next_check_at, deadline_at, resolved_at, version, kind, refund_of, payment_code)
   values (?, ?, 'store_sh01', 'till_sh01_1', 'card', ?, ?, ?, 'succeeded', ?, '622202******0128', 'UnionPay', '00', null, null, 'staff_sh01_cashier', 0, ?, ?, null, null, ?, 1, 'payment', null, null)`,
);
const payment = raw.prepare(
  `insert into payments (id, sale_id, store_id, tender, status, amount_fen, tendered_fen, change_fen, created_at, attempt_id) values (?, ?, 'store_sh01', 'card', 'succeeded', ?, ?, 0, ?, ?)`,
);
raw.transaction(() => {
  for (let i = 0; i < N; i++) {
    const when = at(i);
    const amount = amountOf(i);
    sale.run(`bs${i}`, `SH01-B-${i}`, amount, amount, amount, when, when, when);
    attempt.run(`ba${i}`, `bs${i}`, `B${i}`, `R${i % 1e9}`.slice(0, 10), amount, `ACQ${i}`, when, when, when);
    payment.run(`bp${i}`, `bs${i}`, amount, amount, when, `ba${i}`);
  }
})();
raw.close();

// The statement: every recorded payment but the first P (recorded, not settled); P of them with
// another amount; P charged twice; P charges and P refunds nobody here recorded.
const planted = {
  charged_not_recorded: P,
  recorded_not_settled: P,
  amount_mismatch: P,
  duplicate_charge: P,
  refund_mismatch: P,
};
const header =
  '商户号,终端号,批次号,凭证号,参考号,授权码,卡号,交易类型,交易时间,交易金额,手续费,结算金额,清算日期,商户订单号';
const rows: string[] = [header];
const recordedCsv: string[] = ['order_no,amount_fen'];
const row = (ref: string, type: string, when: string, fen: number, order: string) =>
  `898310048160001,POI-1,000001,${ref.slice(-6)},${ref},123456,622202******0128,${type},${chinaTime(when)},${formatYuan(fen)},0.50,${formatYuan(fen - 50)},2026-11-24,${order}`;
for (let i = 0; i < N; i++) {
  recordedCsv.push(`B${i},${amountOf(i)}`);
  if (i < P) continue;
  rows.push(row(`ACQ${i}`, '消费', at(i), i < 2 * P ? amountOf(i) + 1 : amountOf(i), `B${i}`));
}
for (let k = 0; k < P; k++)
  rows.push(row(`ACQD${k}`, '消费', at(2 * P + k), amountOf(2 * P + k), `B${2 * P + k}`));
for (let k = 0; k < P; k++) rows.push(row(`ACQX${k}`, '消费', at(k), 123_456, `X${k}`));
for (let k = 0; k < P; k++) rows.push(row(`ACQF${k}`, '退货', at(k), 1_000, `RF${k}`));
const statement = path.join(dir, 'settlement.csv');
writeFileSync(statement, `${rows.join('\n')}\n`);
writeFileSync(path.join(dir, 'recorded.csv'), `${recordedCsv.join('\n')}\n`);
const setupSeconds = (performance.now() - setupStart) / 1000;

// ---------------------------------------------------------------- ours
const ours = await prepareContext({ dialect: 'sqlite', file }, { seed: false });
const t0 = performance.now();
const parsed = await parseStatementFile('card', statement);
const parseSeconds = (performance.now() - t0) / 1000;
const phases: Partial<Record<ImportPhase, number>> = {};
const t1 = performance.now();
const summary = await importStatement(ours, {
  provider: 'card',
  parsed,
  fileName: 'settlement.csv',
  sha256: 'bench',
  storeId: 'store_sh01',
  onPhase: (name, ms) => {
    phases[name] = ms / 1000;
  },
});
const importSeconds = (performance.now() - t1) / 1000;
await ours.db.close();
const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);

// ---------------------------------------------------------------- the reference: DuckDB joins the same two files
const duck = await DuckDBInstance.create(':memory:');
const conn = await duck.connect();
const d0 = performance.now();
const joined = await conn.runAndReadAll(`
  with s as (select "商户订单号" as order_no, cast(round(cast("交易金额" as decimal(18,2)) * 100) as bigint) as fen, "交易类型" as kind
             from read_csv('${statement}', header = true, all_varchar = true)),
       r as (select * from read_csv('${path.join(dir, 'recorded.csv')}', header = true))
  select
    count(*) filter (where s.order_no is not null and r.order_no is not null and s.fen = r.amount_fen and s.kind = '消费') as matched,
    count(*) filter (where r.order_no is null and s.kind = '消费') as charged_not_recorded,
    count(*) filter (where s.order_no is null) as recorded_not_settled,
    count(*) filter (where s.order_no is not null and r.order_no is not null and s.fen <> r.amount_fen) as amount_mismatch
  from s full outer join r on s.order_no = r.order_no`);
const duckSeconds = (performance.now() - d0) / 1000;
const duckRow = joined.getRowObjects()[0] ?? {};
conn.closeSync();

const oursSeconds = parseSeconds + importSeconds;
console.log(
  JSON.stringify({
    lines: parsed.dataLines,
    recordedPayments: N,
    setupSeconds: +setupSeconds.toFixed(2),
    seconds: {
      parse: +parseSeconds.toFixed(2),
      storeLines: +(phases.store_lines ?? 0).toFixed(2),
      loadForMatch: +(phases.load ?? 0).toFixed(2),
      match: +(phases.match ?? 0).toFixed(2),
      persistResults: +(phases.store_results ?? 0).toFixed(2),
      importTotal: +importSeconds.toFixed(2),
      total: +oursSeconds.toFixed(2),
    },
    peakRssMiB,
    casesFound: summary.cases,
    casesPlanted: planted,
    casesAsPlanted: JSON.stringify(summary.cases) === JSON.stringify(planted),
    matched: summary.matched,
    duckdb: {
      seconds: +duckSeconds.toFixed(3),
      counts: Object.fromEntries(Object.entries(duckRow).map(([k, v]) => [k, Number(v)])),
    },
    ratioToDuckdb: +(oursSeconds / duckSeconds).toFixed(1),
  }),
);
if (!values.keep) rmSync(dir, { recursive: true, force: true });
