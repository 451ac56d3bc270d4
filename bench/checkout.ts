/**
 * npm run bench:checkout — complete cash sales over HTTP against a fresh store server on SQLite.
 * One sale = open, 5 scanned lines, cash payment: 7 requests, each with an idempotency key, as the
 * web till sends them. Runs with 1 and 8 concurrent clients and prints one JSON object per run,
 * with the physical reference: the same row writes, in the same 7 transactions per sale, done
 * directly through better-sqlite3 in one process (WAL; cart edits synchronous=NORMAL, the payment FULL).
 *
 * Options (env): BENCH_SECONDS (default 10 per run), BENCH_CLIENTS (default "1,8"),
 * BENCH_SERVER_ARGS (node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { summary } from './stats';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? '1,8').split(',').map(Number);
const STORE = 'store_sh01';
const TILL = 'till_sh01_1';

interface Timings {
  [step: string]: number[];
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_SERVER_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.resolve('bin/tillsafe.mjs'), 'serve'], {
    env: { ...process.env, TILLSAFE_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /open (http:\/\/localhost:\d+)/.exec(out);
      if (match) resolve(match[1]!.replace('localhost', '127.0.0.1'));
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return { child, url };
}

/** CPU seconds (user + system, all threads) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 102.4) / 10;
}

// node:http with keep-alive: the load generator shares this 2-core machine with the server, and
// fetch (undici) costs it more CPU per request.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

// The till's session: every client sends it, as the tabs of one signed-in till would.
const session = { cookie: '', csrf: '' };

/** Signs the demo cashier in at the till (PIN 2580, see README) and keeps the cookie and CSRF token. */
async function signIn(base: string): Promise<void> {
  const response = await fetch(`${base}/api/session/pin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ storeId: STORE, tillId: TILL, staffCode: 'SH01-C1', pin: '2580' }),
  });
  const body = (await response.json()) as { session?: { csrfToken: string } };
  const cookie = response.headers.get('set-cookie');
  if (!response.ok || !cookie || !body.session) throw new Error(`sign-in failed: ${JSON.stringify(body)}`);
  session.cookie = cookie.slice(0, cookie.indexOf(';'));
  session.csrf = body.session.csrfToken;
}

function call(
  url: string,
  method: string,
  body: unknown,
  timings: Timings,
  step: string,
): Promise<Record<string, unknown>> {
  const started = performance.now();
  const payload = JSON.stringify(body);
  const headers = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'idempotency-key': randomUUID(),
    cookie: session.cookie,
    'x-csrf-token': session.csrf,
  };
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, agent, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        const list = timings[step] ?? [];
        list.push(performance.now() - started);
        timings[step] = list;
        if ((response.statusCode ?? 500) >= 400)
          reject(new Error(`${step} failed: ${response.statusCode} ${JSON.stringify(json)}`));
        else resolve(json);
      });
    });
    request.on('error', reject);
    request.end(payload);
  });
}

async function oneSale(base: string, barcodes: string[], timings: Timings): Promise<void> {
  const sale = await call(`${base}/api/stores/${STORE}/sales`, 'POST', { tillId: TILL }, timings, 'open');
  let view = sale;
  for (const barcode of barcodes)
    view = await call(`${base}/api/sales/${sale.id}/lines`, 'POST', { barcode, qty: 1 }, timings, 'addLine');
  await call(
    `${base}/api/sales/${sale.id}/payments/cash`,
    'POST',
    { tenderedFen: view.totalFen },
    timings,
    'payCash',
  );
}

async function runHttp(base: string, barcodes: string[], clients: number) {
  const timings: Timings = {};
  let sales = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      // Bounded: stops at the deadline (and never runs more than 1,000,000 sales).
      while (performance.now() < deadline && sales < 1_000_000) {
        await oneSale(base, barcodes, timings);
        sales++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const all = Object.values(timings).flat();
  return { sales, elapsed, all, timings };
}

/**
 * The same rows, written directly: per sale 7 transactions as the server makes them (6 cart edits
 * with synchronous=NORMAL, the payment with FULL), prepared statements, no HTTP, no query builder.
 */
function directWrites(seconds: number): { sales: number; salesPerSecond: number } {
  // Synchronous and CPU-bound: run while the server is idle (between its runs).
  const dir = mkdtempSync(path.join(tmpdir(), 'tillsafe-direct-'));
  const db = new SqliteDatabase(path.join(dir, 'direct.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`
    create table sales (id text primary key, number text, status text, total_fen integer, version integer, data text);
    create table sale_lines (id text primary key, sale_id text, line_no integer, variant_id text, qty integer, total_fen integer);
    create table payments (id text primary key, sale_id text, amount_fen integer);
    create table stock_levels (variant_id text primary key, on_hand integer, last_seq integer);
    create table stock_movements (id text primary key, variant_id text, seq integer, delta integer, after integer);
    create table audit_events (id text primary key, seq integer, action text, after_json text, prev_hash text, hash text);
    create table idempotency_keys (key text primary key, status_code integer, response_json text);
    create table counters (name text primary key, value integer);
  `);
  const s = {
    counter: db.prepare(
      'insert into counters values (?, 1) on conflict(name) do update set value = value + 1 returning value',
    ),
    sale: db.prepare('insert into sales values (?, ?, ?, 0, 1, ?)'),
    bump: db.prepare('update sales set version = version + 1, total_fen = ? where id = ?'),
    line: db.prepare('insert into sale_lines values (?, ?, ?, ?, 1, ?)'),
    pay: db.prepare('insert into payments values (?, ?, ?)'),
    level: db.prepare(
      'insert into stock_levels values (?, -1, 1) on conflict(variant_id) do update set on_hand = on_hand - 1, last_seq = last_seq + 1 returning on_hand, last_seq',
    ),
    move: db.prepare('insert into stock_movements values (?, ?, ?, -1, ?)'),
    audit: db.prepare('insert into audit_events values (?, ?, ?, ?, ?, ?)'),
    key: db.prepare('insert into idempotency_keys values (?, 200, ?)'),
  };
  const response = 'x'.repeat(1500); // about the size of a sale view
  let seq = 0;
  // The server's durability policy: cart edits commit with synchronous=NORMAL, the payment with FULL.
  const tx = (work: () => void, durability: 'full' | 'relaxed' = 'relaxed') => {
    db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
    db.transaction(work)();
  };
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let sales = 0;
  while (performance.now() < deadline) {
    const id = randomUUID();
    tx(() => {
      s.key.run(randomUUID(), response);
      s.counter.run('sale');
      s.sale.run(id, `n${sales}`, 'open', '{}');
      s.audit.run(randomUUID(), ++seq, 'sale.opened', '{}', 'h', 'h');
    });
    for (let i = 0; i < 5; i++) {
      tx(() => {
        s.key.run(randomUUID(), response);
        s.bump.run(1000 * (i + 1), id);
        s.line.run(randomUUID(), id, i + 1, `v${i}`, 1000);
        s.audit.run(randomUUID(), ++seq, 'sale.line_added', '{}', 'h', 'h');
      });
    }
    tx(() => {
      s.key.run(randomUUID(), response);
      s.bump.run(5000, id);
      s.pay.run(randomUUID(), id, 5000);
      s.audit.run(randomUUID(), ++seq, 'payment.recorded', '{}', 'h', 'h');
      for (let i = 0; i < 5; i++) {
        const level = s.level.get(`v${i}`) as { on_hand: number; last_seq: number };
        s.move.run(randomUUID(), `v${i}`, level.last_seq, level.on_hand);
      }
      s.audit.run(randomUUID(), ++seq, 'sale.completed', '{}', 'h', 'h');
    }, 'full');
    sales++;
  }
  const elapsed = (performance.now() - started) / 1000;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { sales, salesPerSecond: Math.round((sales / elapsed) * 10) / 10 };
}

async function main() {
  for (const clients of CLIENT_COUNTS) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tillsafe-bench-'));
    const { child, url } = await startServer(dataDir);
    try {
      await signIn(url);
      const found = (await (
        await fetch(`${url}/api/stores/${STORE}/variants?q=&limit=5`, { headers: { cookie: session.cookie } })
      ).json()) as {
        variants: { barcode: string }[];
      };
      const barcodes = found.variants.map((v) => v.barcode);
      // The reference is taken right before each run (this shared VM's speed drifts by a third over
      // minutes, and the ratio should compare like with like), then a warm-up (JIT, caches, and the
      // disk settling after the reference's writes), not measured.
      const reference = directWrites(Math.min(SECONDS, 5));
      await runHttp(url, barcodes, clients);
      const serverCpuBefore = cpuSeconds(child.pid!);
      const loadCpuBefore = process.cpuUsage();
      const run = await runHttp(url, barcodes, clients);
      const serverCpu = cpuSeconds(child.pid!) - serverCpuBefore;
      const loadCpuUsage = process.cpuUsage(loadCpuBefore);
      const loadCpu = (loadCpuUsage.user + loadCpuUsage.system) / 1e6;
      const salesPerSecond = Math.round((run.sales / run.elapsed) * 10) / 10;
      const health = (await (await fetch(`${url}/api/health`)).json()) as {
        groupCommit?: { batches: number; mutations: number };
      };
      const gc = health.groupCommit;
      const steps = Object.fromEntries(Object.entries(run.timings).map(([k, v]) => [k, summary(v)]));
      console.log(
        JSON.stringify({
          bench: 'checkout',
          database: 'sqlite (WAL; payments synced before the answer)',
          clients,
          seconds: Math.round(run.elapsed * 10) / 10,
          sales: run.sales,
          requestsPerSale: 7,
          salesPerSecond,
          requestsPerSecond: Math.round(((run.sales * 7) / run.elapsed) * 10) / 10,
          latencyMs: summary(run.all),
          perStepMs: steps,
          serverPeakRssMb: peakRssMb(child.pid!),
          // Where the machine's two cores went: CPU ms per sale in the server and the load generator.
          cpuMsPerSale: {
            server: Math.round((serverCpu / run.sales) * 1e4) / 10,
            loadGenerator: Math.round((loadCpu / run.sales) * 1e4) / 10,
          },
          cpuCoresBusy: Math.round(((serverCpu + loadCpu) / run.elapsed) * 100) / 100,
          mutationsPerCommit:
            gc && gc.batches > 0 ? Math.round((gc.mutations / gc.batches) * 100) / 100 : null,
          directWriteReference: reference,
          ratioToDirectWrite: Math.round((salesPerSecond / reference.salesPerSecond) * 1000) / 1000,
        }),
      );
    } finally {
      child.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
