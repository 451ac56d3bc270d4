/**
 * npm run bench:journal -- [--sales 1000000] [--queries 200]: fills a store with N past sales over
 * three years (SQLite in a temporary folder; PostgreSQL too when DATABASE_URL is given, in a schema
 * of its own) — each paid by cash, card (a masked card number), Alipay or WeChat Pay, one in a
 * hundred on a slip with the customer's phone — then times the journal's searches as the till asks
 * them (searchJournal, the route's own code): by receipt number, by the card's last four digits and
 * a day, by phone, by an amount range (¥10 wide, any day), and a day's list. Prints one JSON object
 * per database: set-up seconds and each search's p50 / p99 / max in ms. The aim: p99 under 50 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Ctx } from '../src/context';
import type { DbConfig } from '../src/db';
import { type JournalQuery, searchJournal } from '../src/journal';
import { prepareContext } from '../src/start';
import { summary } from './stats';

const { values } = parseArgs({
  options: { sales: { type: 'string', default: '1000000' }, queries: { type: 'string', default: '200' } },
});
const N = Number(values.sales);
const QUERIES = Number(values.queries);
const STORE = 'store_sh01';
const DAYS = 3 * 365;
const START = Date.parse('2023-12-01T02:00:00Z'); // 10:00 in Shanghai
const TENDERS = ['cash', 'card', 'card', 'alipay', 'wechat'] as const;
const PRICES = Array.from({ length: 60 }, (_, k) => 4_900 + k * 2_500);

/** A small deterministic generator, so both databases hold the same sales. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const dayOf = (i: number) => Math.floor((i / N) * DAYS);
const atOf = (i: number) => new Date(START + dayOf(i) * 86_400_000 + (i % 900) * 40_000).toISOString();
const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);
const numberOf = (i: number) =>
  `SH01-${chinaDay(atOf(i)).replaceAll('-', '')}-${String(i % 10_000).padStart(4, '0')}-${i}`;
const panOf = (i: number) => `622202******${String((i * 7919) % 10_000).padStart(4, '0')}`;
const phoneOf = (i: number) => `139${String((i * 104_729) % 100_000_000).padStart(8, '0')}`;

async function fill(ctx: Ctx): Promise<void> {
  const rand = rng(42);
  const BATCH = 500;
  for (let start = 0; start < N; start += BATCH) {
    const sales = [];
    const payments = [];
    const attempts = [];
    const slips = [];
    for (let i = start; i < Math.min(N, start + BATCH); i++) {
      const at = atOf(i);
      const total = PRICES[Math.floor(rand() * PRICES.length)]! * (1 + Math.floor(rand() * 3));
      const onSlip = i % 100 === 7;
      const tender = TENDERS[i % TENDERS.length]!;
      sales.push({
        id: `js${i}`,
        store_id: STORE,
        till_id: 'till_sh01_1',
        number: numberOf(i),
        status: onSlip ? ('on_account' as const) : ('completed' as const),
        cashier_id: 'staff_sh01_cashier',
        currency: 'CNY',
        subtotal_fen: total,
        line_discount_fen: 0,
        sale_discount_kind: null,
        sale_discount_value: null,
        sale_discount_fen: 0,
        total_fen: total,
        paid_fen: onSlip ? 0 : total,
        change_fen: 0,
        line_count: 1,
        version: 1,
        opened_at: at,
        updated_at: at,
        completed_at: onSlip ? null : at,
        voided_at: null,
        void_reason: null,
        on_account_at: onSlip ? at : null,
        goods_taken: onSlip ? 0 : null,
        returned_fen: 0,
      });
      if (onSlip) {
        slips.push({
          id: `jx${i}`,
          number: `SH01-X${chinaDay(at).replaceAll('-', '')}-${i}`,
          store_id: STORE,
          sale_id: `js${i}`,
          status: 'issued' as const,
          goods: 'held' as const,
          reason: 'bench',
          customer_name: '顾客',
          customer_phone: phoneOf(i),
          total_fen: total,
          paid_fen: 0,
          due_fen: total,
          attempt_pending: 0,
          pay_token: `jt${i}`,
          issued_by: 'staff_sh01_cashier',
          issued_at: at,
          ended_at: null,
          customer_email: null,
        });
        continue;
      }
      const attemptId = tender === 'cash' ? null : `ja${i}`;
      if (attemptId)
        attempts.push({
          id: attemptId,
          sale_id: `js${i}`,
          store_id: STORE,
          till_id: 'till_sh01_1',
          tender,
          merchant_order_no: `JB${i}`,
          request_id: `R${i}`.slice(0, 10),
          amount_fen: total,
          status: 'succeeded' as const,
          provider_ref: `ref${i}`,
          masked_pan: tender === 'card' ? panOf(i) : null,
          brand: tender === 'card' ? 'UnionPay' : null,
          code: null,
          category: null,
          slip_json: null,
          cashier_id: 'staff_sh01_cashier',
          checks: 0,
          created_at: at,
          sent_at: at,
          next_check_at: null,
          deadline_at: null,
          resolved_at: at,
          version: 1,
          kind: 'payment' as const,
          refund_of: null,
          sandbox: 0,
        });
      payments.push({
        id: `jp${i}`,
        sale_id: `js${i}`,
        store_id: STORE,
        tender,
        status: 'succeeded' as const,
        amount_fen: total,
        tendered_fen: total,
        change_fen: 0,
        created_at: at,
        attempt_id: attemptId,
      });
    }
    const db = ctx.db.kysely;
    await db.insertInto('sales').values(sales).execute();
    if (attempts.length) await db.insertInto('payment_attempts').values(attempts).execute();
    if (payments.length) await db.insertInto('payments').values(payments).execute();
    if (slips.length) await db.insertInto('slips').values(slips).execute();
  }
}

async function time(ctx: Ctx, make: (k: number) => JournalQuery, check: (found: number) => void) {
  const ms: number[] = [];
  for (let k = 0; k < QUERIES; k++) {
    const q = make(k);
    const t = performance.now();
    const page = await searchJournal(ctx, STORE, q);
    ms.push(performance.now() - t);
    check(page.sales.length);
  }
  return summary(ms);
}

async function run(name: string, config: DbConfig): Promise<Record<string, unknown>> {
  const started = performance.now();
  const ctx = await prepareContext(config, { seed: true });
  await fill(ctx);
  const setupSeconds = (performance.now() - started) / 1000;
  const pick = rng(7);
  const any = () => Math.floor(pick() * N);
  const found = (at: number) => (n: number) => {
    if (n < at) throw new Error(`a search found ${n}, fewer than ${at}`);
  };
  const cardSale = () => {
    // A sale paid by card: i % 5 is 1 or 2, and not on a slip.
    let i = any();
    while (![1, 2].includes(i % TENDERS.length) || i % 100 === 7) i = any();
    return i;
  };
  const figures = {
    byNumber: await time(ctx, () => ({ code: numberOf(any()), limit: 20 }), found(1)),
    byCardLast4AndDay: await time(
      ctx,
      () => {
        const i = cardSale();
        const day = chinaDay(atOf(i));
        return { last4: panOf(i).slice(-4), fromDay: day, toDay: day, limit: 20 };
      },
      found(1),
    ),
    byPhone: await time(
      ctx,
      () => ({ phone: phoneOf(Math.floor(any() / 100) * 100 + 7), limit: 20 }),
      found(0),
    ),
    byAmountRange: await time(
      ctx,
      () => {
        const low = PRICES[Math.floor(pick() * PRICES.length)]!;
        return { minFen: low, maxFen: low + 1_000, limit: 20 };
      },
      found(1),
    ),
    dayList: await time(
      ctx,
      () => {
        const day = chinaDay(atOf(any()));
        return { fromDay: day, toDay: day, limit: 20 };
      },
      found(1),
    ),
  };
  await ctx.db.close();
  return {
    bench: 'journal',
    database: name,
    sales: N,
    setupSeconds: Math.round(setupSeconds * 10) / 10,
    ms: figures,
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'tillsafe-journal-'));
try {
  console.log(
    JSON.stringify(await run('sqlite', { dialect: 'sqlite', file: path.join(dir, 'journal.sqlite') })),
  );
  if (process.env.DATABASE_URL) {
    const schema = `bench_journal_${process.pid}`;
    const url = process.env.DATABASE_URL;
    try {
      console.log(JSON.stringify(await run('postgres', { dialect: 'postgres', url, schema })));
    } finally {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
