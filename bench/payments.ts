/**
 * `npm run bench:payments`: card attempts through the orchestrator against the sandbox terminals,
 * over HTTP as a till sends them, with 1 and 8 tills at once; then the time from "unknown" to
 * resolved when answers are lost after the money moved, next to the schedule's own lower bound
 * (the first query that could see the truth); and the same when the terminal sends the lost answer
 * later as a notice, next to that notice's delay (the hint makes us ask at once, before the
 * schedule would). Prints one JSON object per run; not a test.
 *
 * Options (env): BENCH_SECONDS (default 10 per run), BENCH_TILLS (default "1,8"),
 * BENCH_UNKNOWN (lost answers measured per run, default 40).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AttemptView } from '../src/payments/attempt-view';
import { SCHEDULES } from '../src/payments/schedule';
import { prepareContext, startStore } from '../src/start';
import { apiClient } from '../test/support/store-server';
import { summary } from './stats';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TILL_COUNTS = (process.env.BENCH_TILLS ?? '1,8').split(',').map(Number);
const UNKNOWN = Number(process.env.BENCH_UNKNOWN ?? 40);
// The scheduler's pace in production (src/start/store-server.ts): the figure includes its wait.
const SCHEDULER_MS = 250;
// How long the sandbox terminal takes to send a lost answer as a notice (below the first query's 1 s).
const NOTICE_DELAY_MS = 300;

async function run(tills: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tillsafe-bench-pay-'));
  const db = { dialect: 'sqlite' as const, file: path.join(dir, 'tillsafe.sqlite') };
  // Enough tills in the first store: the demo has two; more are added before the server starts.
  const setup = await prepareContext(db, { seed: true });
  for (let n = 3; n <= tills; n++)
    await setup.db.kysely
      .insertInto('tills')
      .values({
        id: `till_sh01_${n}`,
        store_id: 'store_sh01',
        code: `T${n}`,
        name: `Till ${n}`,
        created_at: new Date().toISOString(),
      })
      .execute();
  await setup.db.close();
  const store = await startStore({
    db,
    port: 0,
    host: '127.0.0.1',
    seed: false,
    webDir: null,
    payments: {
      sandbox: true,
      sandboxProcessingMs: 0,
      paymentTimeoutMs: 5_000,
      requestTimeoutMs: 2_000,
      schedulerIntervalMs: SCHEDULER_MS,
    },
  });
  try {
    const tillIds = Array.from({ length: tills }, (_, i) => `till_sh01_${i + 1}`);
    const clients = await Promise.all(
      tillIds.map(async (tillId) => {
        const api = apiClient(store.url);
        await api.signInAtTill('SH01-C1', tillId);
        return { api, tillId };
      }),
    );
    const barcode = (
      await clients[0]!.api.get<{ variants: { barcode: string }[] }>(
        '/api/stores/store_sh01/variants?q=&limit=1',
      )
    ).body.variants[0]!.barcode;

    const checkout = async (c: (typeof clients)[number]) => {
      const sale = (await c.api.post<{ id: string }>('/api/stores/store_sh01/sales', { tillId: c.tillId }))
        .body;
      const line = await c.api.post<{ totalFen: number }>(`/api/sales/${sale.id}/lines`, { barcode });
      const started = performance.now();
      const attempt = (
        await c.api.post<AttemptView>(`/api/sales/${sale.id}/payments/card`, {
          amountFen: line.body.totalFen,
        })
      ).body;
      for (;;) {
        const now = (await c.api.get<AttemptView>(`/api/attempts/${attempt.id}`)).body;
        if (['succeeded', 'failed', 'reversed', 'needs_review'].includes(now.status))
          return { ms: performance.now() - started, attempt: now };
        await new Promise((r) => setTimeout(r, 5));
      }
    };

    // Throughput: every till charges cards back to back.
    const latencies: number[] = [];
    let attempts = 0;
    const deadline = performance.now() + SECONDS * 1000;
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (c) => {
        while (performance.now() < deadline && attempts < 1_000_000) {
          const { ms } = await checkout(c);
          latencies.push(ms);
          attempts++;
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;

    // Unknown to resolved: the answer is lost after the money moved; the scheduler must find out.
    const resolution: number[] = [];
    for (let i = 0; i < UNKNOWN; i += clients.length) {
      await Promise.all(
        clients.map(async (c) => {
          store.payments.sandboxTerminals.get(c.tillId)!.script([{ kind: 'lose_answer_after_money' }]);
          const { attempt } = await checkout(c);
          const lost = attempt.history.find((h) => h.event === 'lost');
          const paid = attempt.history.find((h) => h.to === 'succeeded');
          if (lost && paid) resolution.push(Date.parse(paid.at) - Date.parse(lost.at));
        }),
      );
    }
    // The same, but the terminal sends the answer later, unasked: the notice makes us ask at once.
    const byNotice: number[] = [];
    for (let i = 0; i < UNKNOWN; i += clients.length) {
      await Promise.all(
        clients.map(async (c) => {
          store.payments.sandboxTerminals
            .get(c.tillId)!
            .script([{ kind: 'answer_later', ms: NOTICE_DELAY_MS }]);
          const { attempt } = await checkout(c);
          const lost = attempt.history.find((h) => h.event === 'lost');
          const paid = attempt.history.find((h) => h.to === 'succeeded');
          if (lost && paid) byNotice.push(Date.parse(paid.at) - Date.parse(lost.at));
        }),
      );
    }
    const card = SCHEDULES.card;
    return {
      bench: 'payments',
      tills,
      seconds: Math.round(elapsed * 10) / 10,
      attempts,
      attemptsPerSecond: Math.round((attempts / elapsed) * 10) / 10,
      attemptMs: summary(latencies),
      unknownToResolvedMs: summary(resolution),
      lowerBoundMs: card.firstQueryMs,
      aimMs: card.firstQueryMs + card.queryEveryMs,
      schedulerIntervalMs: SCHEDULER_MS,
      answerLaterByNoticeMs: summary(byNotice),
      noticeDelayMs: NOTICE_DELAY_MS,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const tills of TILL_COUNTS) console.log(JSON.stringify(await run(tills)));
