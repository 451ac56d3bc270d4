/** Starting the store server: open the database, migrate, seed the demo on first start, listen. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context';
import { type DbConfig, migrateToLatest, openDb } from '../db';
import { purgeIdempotencyKeys } from '../http';
import { type Clock, type IdSource, maskPans, Refusal, systemClock, ulidSource } from '../kernel';
import { NotificationDispatcher, type SmtpOptions, smtpChannel, smtpOptionsFromEnv } from '../notify';
import { PaymentScheduler } from '../payments';
import { expireParkedSales } from '../sales';
import { seedDemo } from './demo-seed';
import { buildServer } from './http-server';
import { validateLifecycles } from './lifecycles';
import { type PaymentOptions, type PaymentSetup, setUpPayments } from './payment-runtime';
import { wireRooms } from './wiring';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface StartOptions {
  db: DbConfig;
  port: number;
  host: string;
  seed: boolean;
  publicUrl?: string;
  clock?: Clock;
  ids?: IdSource;
  logger?: boolean;
  webDir?: string | null;
  /** Card terminals: the sandbox by default; see src/payments/runtime.ts. */
  /** The notifier: e-mail from `TILLSAFE_SMTP_URL` unless given (null: none); how often the outbox is sent (null: tests drain it). */
  notify?: { smtp?: SmtpOptions | null; intervalMs?: number | null };
  payments?: Partial<PaymentOptions> & {
    /** How often the scheduler looks for due attempts; null: never by itself (tests tick it). */
    schedulerIntervalMs?: number | null;
  };
}

const DEFAULT_PAYMENTS: PaymentOptions = {
  sandbox: true,
  terminals: {},
  paymentTimeoutMs: 60_000,
  requestTimeoutMs: 5_000,
  sandboxProcessingMs: 1_500,
};

/**
 * Request logging: method, URL and status, never bodies or headers (cookies, CSRF tokens); a card
 * number typed into a search box is masked in the URL before it reaches the log.
 */
const requestLogger = {
  level: 'info',
  serializers: {
    req: (req: { method: string; url: string }) => ({ method: req.method, url: maskPans(req.url) }),
    res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
  },
};

export interface RunningStore {
  app: FastifyInstance;
  ctx: Ctx;
  url: string;
  payments: PaymentSetup & { scheduler: PaymentScheduler };
  notifier: NotificationDispatcher;
  close(): Promise<void>;
}

/** Declared lifecycles are checked before anything runs: a broken table never serves a till. */
export const validateStateMachines = (): void => validateLifecycles();

export async function prepareContext(
  config: DbConfig,
  options: { seed: boolean; clock?: Clock; ids?: IdSource },
): Promise<Ctx> {
  validateStateMachines();
  wireRooms();
  const clock = options.clock ?? systemClock;
  const ctx: Ctx = { db: openDb(config), clock, ids: options.ids ?? ulidSource(clock) };
  await migrateToLatest(ctx.db);
  if (options.seed) await seedDemo(ctx);
  return ctx;
}

export async function startStore(options: StartOptions): Promise<RunningStore> {
  const ctx = await prepareContext(options.db, options);
  const webDir = options.webDir === undefined ? path.join(PROJECT_ROOT, 'web', 'dist') : options.webDir;
  // With port 0 (tests) the address, and so the default public URL, is known only after listening.
  let url = '';
  const paymentOptions = { ...DEFAULT_PAYMENTS, ...options.payments };
  const payments = await setUpPayments(ctx, paymentOptions);
  const scheduler = new PaymentScheduler(ctx, payments.runtime, {
    intervalMs: options.payments?.schedulerIntervalMs ?? 250,
    batch: 50,
    onError: (error, attemptId) => console.error(`payment attempt ${attemptId}: ${String(error)}`),
  });
  // Every attempt a previous run left unfinished is due now: the first ticks resume them.
  await scheduler.recover();
  if (options.payments?.schedulerIntervalMs !== null) scheduler.start();
  const app = await buildServer(ctx, {
    payments: {
      runtime: payments.runtime,
      scheduler,
      sandboxPaymentCode: (wallet: 'alipay' | 'wechat') => {
        const code = payments.sandboxPaymentCode(wallet);
        if (!code) throw new Refusal('wallet_unavailable');
        return code;
      },
    },
    publicUrl: () => options.publicUrl ?? url,
    webDir,
    logger: options.logger ? requestLogger : false,
  });
  const address = await app.listen({ port: options.port, host: options.host });
  url = address.replace('127.0.0.1', 'localhost').replace('[::1]', 'localhost');
  // Terminals and wallets post their unasked answers to the till's notifications routes, here.
  const local = address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '127.0.0.1');
  payments.listeningAt({ local, public: options.publicUrl ?? local });
  await purgeIdempotencyKeys(ctx);
  const purge = setInterval(() => void purgeIdempotencyKeys(ctx).catch(() => undefined), 60 * 60 * 1000);
  purge.unref();
  // Parked sales whose hold has ended give their goods back; checked every minute (tests call it).
  const sweep = setInterval(
    () =>
      void expireParkedSales(ctx).catch((error: unknown) => console.error(`parked sales: ${String(error)}`)),
    60 * 1000,
  );
  sweep.unref();
  const smtp = options.notify?.smtp === undefined ? smtpOptionsFromEnv() : options.notify.smtp;
  const notifier = new NotificationDispatcher(
    ctx,
    smtp ? [smtpChannel(smtp)] : [],
    () => options.publicUrl ?? url,
  );
  const notifyEvery = options.notify?.intervalMs === undefined ? 5_000 : options.notify.intervalMs;
  if (notifyEvery !== null) notifier.start(notifyEvery);
  return {
    app,
    ctx,
    url,
    payments: { ...payments, scheduler },
    notifier,
    close: async () => {
      clearInterval(purge);
      clearInterval(sweep);
      await notifier.stop();
      await app.close();
      await scheduler.stop();
      await payments.close();
      await ctx.db.close();
    },
  };
}
