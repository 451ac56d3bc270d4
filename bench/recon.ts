/**
 * `npm run bench:recon -- --lines 1000000`: a card settlement file of N lines against N recorded
 * card payments on SQLite, with `--planted` (default 200) differences of each kind; imported and
 * matched through the same code as `tillsafe recon import` (the file streams through the parser,
 * on its own thread, into the import), and one JSON object printed: seconds per phase, peak RSS, cases found by kind
 * against those planted, and DuckDB (@duckdb/node-api) joining the same two files in the same run,
 * with the ratio.
 *
 * Three processes, so that the peak RSS is the import's alone: a child writes the data (sales,
 * attempts and payments straight through better-sqlite3, not timed), another times DuckDB, and
 * this one imports.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { formatYuan } from '../src/kernel';
import { fileReader } from '../src/recon/readers';
import { type ImportPhase, importStatement } from '../src/recon/statement-import';
import { chinaTime } from '../src/sandbox/http-kit';
import { prepareContext } from '../src/start';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    planted: { type: 'string', default: '200' },
    keep: { type: 'boolean', default: false },
    role: { type: 'string', default: 'main' },
    dir: { type: 'string' },
  },
});
const N = Number(values.lines);
const P = Number(values.planted);
const DAY = '2026-11-23';
const at = (i: number) =>
  new Date(Date.parse(`${DAY}T00:00:00+08:00`) + 60_000 + Math.floor((i / N) * 86_000_000)).toISOString();
const amountOf = (i: number) => 100 + ((i * 7919) % 99_900);
/**
 * The acquirer's reference number (参考号): the 12 characters of ISO 8583's retrieval reference
 * number, fixed width as acquirers give it (a lead letter marks the planted lines).
 */
const rrn = (n: number, lead = '') => lead + String(n).padStart(12 - lead.length, '0');
const files = (dir: string) => ({
  db: path.join(dir, 'tillsafe.sqlite'),
  statement: path.join(dir, 'settlement.csv'),
  recorded: path.join(dir, 'recorded.csv'),
});

if (values.role === 'setup') await setup(values.dir!);
else if (values.role === 'duckdb') await duckdb(values.dir!);
else await main();

/** The store's database with N card payments, and the acquirer's file with the planted differences. */
async function setup(dir: string): Promise<void> {
  const started = performance.now();
  const f = files(dir);
  const ctx = await prepareContext({ dialect: 'sqlite', file: f.db }, { seed: true });
  await ctx.db.close();
  const raw = new Database(f.db);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  const sale = raw.prepare(
    `insert into sales (id, store_id, till_id, number, status, cashier_id, currency, subtotal_fen, line_discount_fen, sale_discount_kind, sale_discount_value, sale_discount_fen, total_fen, paid_fen, change_fen, line_count, version, opened_at, updated_at, completed_at)
     values (?, 'store_sh01', 'till_sh01_1', ?, 'completed', 'staff_sh01_cashier', 'CNY', ?, 0, null, null, 0, ?, ?, 0, 1, 1, ?, ?, ?)`,
  );
  const attempt = raw.prepare(
    `insert into payment_attempts (id, sale_id, store_id, till_id, tender, merchant_order_no, request_id, amount_fen, status, provider_ref, masked_pan, brand, code, category, slip_json, cashier_id, checks, created_at, sent_at, next_check_at, deadline_at, resolved_at, version, kind, refund_of, sandbox)
     values (?, ?, 'store_sh01', 'till_sh01_1', 'card', ?, ?, ?, 'succeeded', ?, '622202******0128', 'UnionPay', '00', null, null, 'staff_sh01_cashier', 0, ?, ?, null, null, ?, 1, 'payment', null, 0)`,
  );
  const payment = raw.prepare(
    `insert into payments (id, sale_id, store_id, tender, status, amount_fen, tendered_fen, change_fen, created_at, attempt_id) values (?, ?, 'store_sh01', 'card', 'succeeded', ?, ?, 0, ?, ?)`,
  );
  raw.transaction(() => {
    for (let i = 0; i < N; i++) {
      const when = at(i);
      const amount = amountOf(i);
      sale.run(`bs${i}`, `SH01-B-${i}`, amount, amount, amount, when, when, when);
      attempt.run(`ba${i}`, `bs${i}`, `B${i}`, `R${i % 1e9}`.slice(0, 10), amount, rrn(i), when, when, when);
      payment.run(`bp${i}`, `bs${i}`, amount, amount, when, `ba${i}`);
    }
  })();
  raw.close();

  // The statement: every recorded payment but the first P (recorded, not settled); P of them with
  // another amount; P charged twice; P charges and P refunds nobody here recorded.
  const header =
    '商户号,终端号,批次号,凭证号,参考号,授权码,卡号,交易类型,交易时间,交易金额,手续费,结算金额,清算日期,商户订单号';
  const rows: string[] = [header];
  const recordedCsv: string[] = ['order_no,amount_fen'];
  const row = (ref: string, type: string, when: string, fen: number, order: string) =>
    `898310048160001,POI-1,000001,${ref.slice(-6)},${ref},123456,622202******0128,${type},${chinaTime(when)},${formatYuan(fen)},0.50,${formatYuan(fen - 50)},2026-11-24,${order}`;
  for (let i = 0; i < N; i++) {
    recordedCsv.push(`B${i},${amountOf(i)}`);
    if (i < P) continue;
    rows.push(row(rrn(i), '消费', at(i), i < 2 * P ? amountOf(i) + 1 : amountOf(i), `B${i}`));
  }
  for (let k = 0; k < P; k++)
    rows.push(row(rrn(k, 'D'), '消费', at(2 * P + k), amountOf(2 * P + k), `B${2 * P + k}`));
  for (let k = 0; k < P; k++) rows.push(row(rrn(k, 'X'), '消费', at(k), 123_456, `X${k}`));
  for (let k = 0; k < P; k++) rows.push(row(rrn(k, 'F'), '退货', at(k), 1_000, `RF${k}`));
  writeFileSync(f.statement, `${rows.join('\n')}\n`);
  writeFileSync(f.recorded, `${recordedCsv.join('\n')}\n`);
  console.log(JSON.stringify({ setupSeconds: (performance.now() - started) / 1000 }));
}

/** The reference: DuckDB joining the same two files. */
async function duckdb(dir: string): Promise<void> {
  const f = files(dir);
  const duck = await DuckDBInstance.create(':memory:');
  const conn = await duck.connect();
  const started = performance.now();
  const joined = await conn.runAndReadAll(`
    with s as (select "商户订单号" as order_no, cast(round(cast("交易金额" as decimal(18,2)) * 100) as bigint) as fen, "交易类型" as kind
               from read_csv('${f.statement}', header = true, all_varchar = true)),
         r as (select * from read_csv('${f.recorded}', header = true))
    select
      count(*) filter (where s.order_no is not null and r.order_no is not null and s.fen = r.amount_fen and s.kind = '消费') as matched,
      count(*) filter (where r.order_no is null and s.kind = '消费') as charged_not_recorded,
      count(*) filter (where s.order_no is null) as recorded_not_settled,
      count(*) filter (where s.order_no is not null and r.order_no is not null and s.fen <> r.amount_fen) as amount_mismatch
    from s full outer join r on s.order_no = r.order_no`);
  const seconds = (performance.now() - started) / 1000;
  const counts = Object.fromEntries(
    Object.entries(joined.getRowObjects()[0] ?? {}).map(([k, v]) => [k, Number(v)]),
  );
  conn.closeSync();
  console.log(JSON.stringify({ seconds, counts }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tillsafe-bench-recon-'));
  const f = files(dir);
  const child = (role: string) =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [
          ...process.execArgv,
          fileURLToPath(import.meta.url),
          `--role=${role}`,
          `--dir=${dir}`,
          `--lines=${N}`,
          `--planted=${P}`,
        ],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      ).trim(),
    );
  const { setupSeconds } = child('setup') as { setupSeconds: number };
  // The setup's 800 MB are still being written back to disk: let the kernel finish, untimed, so
  // that the import is not measured against the setup's own writes.
  execFileSync('sync');

  const ctx = await prepareContext({ dialect: 'sqlite', file: f.db }, { seed: false });
  const phases: Partial<Record<ImportPhase, number>> = {};
  const started = performance.now();
  const summary = await importStatement(ctx, {
    provider: 'card',
    read: await fileReader('card', f.statement),
    fileName: 'settlement.csv',
    sha256: 'bench',
    storeId: 'store_sh01',
    onPhase: (name, ms) => {
      phases[name] = ms / 1000;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  await ctx.db.close();
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);

  const duck = child('duckdb') as { seconds: number; counts: Record<string, number> };
  const planted = {
    charged_not_recorded: P,
    recorded_not_settled: P,
    amount_mismatch: P,
    duplicate_charge: P,
    refund_mismatch: P,
  };
  const phase = (name: ImportPhase) => +(phases[name] ?? 0).toFixed(2);
  console.log(
    JSON.stringify({
      lines: summary.lines,
      recordedPayments: N,
      setupSeconds: +setupSeconds.toFixed(2),
      seconds: {
        // The parse runs on its own thread, alongside the rest: its own time, then the importer's
        // taking what it read (copying the lines across, the exact split, building the rows).
        parseThread: phase('read_thread'),
        takeLines: phase('read'),
        loadAttempts: phase('load'),
        storeLines: phase('store_lines'),
        match: phase('match'),
        persistResults: phase('store_results'),
        // What no phase holds: the commit, and the waits between them.
        other: +(
          seconds -
          Object.entries(phases)
            .filter(([name]) => name !== 'read_thread')
            .reduce((sum, [, s]) => sum + (s ?? 0), 0)
        ).toFixed(2),
        total: +seconds.toFixed(2),
      },
      peakRssMiB,
      casesFound: summary.cases,
      casesPlanted: planted,
      casesAsPlanted: JSON.stringify(summary.cases) === JSON.stringify(planted),
      matched: summary.matched,
      duckdb: { seconds: +duck.seconds.toFixed(3), counts: duck.counts },
      ratioToDuckdb: +(seconds / duck.seconds).toFixed(1),
    }),
  );
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}
