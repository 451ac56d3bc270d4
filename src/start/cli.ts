/**
 * tillsafe serve | migrate | seed | stock check | catalog import | audit verify | staff add | recon import
 * Reads TILLSAFE_DATA_DIR (SQLite, default ./data) or DATABASE_URL (PostgreSQL), like the server.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { verifyChains } from '../audit';
import { importCatalog } from '../catalog';
import { configFromEnv } from '../db';
import { Refusal } from '../kernel';
import { importStatementFile, STATEMENT_PROVIDERS } from '../recon';
import { CardTerminalEmulator } from '../sandbox';
import { createStaff, hashNewSecrets, ROLES } from '../staff';
import { checkLedger } from '../stock';
import { type PaymentOptions, servingLines, terminalsFromEnv } from './payment-runtime';
import { prepareContext, startStore } from './store-server';

const USAGE = `usage: tillsafe <command>
  serve                          run the store server (default)        env: PORT, HOST, TILLSAFE_DATA_DIR | DATABASE_URL
  migrate                        bring the database schema up to date
  seed                           add the demo stores and catalog to an empty database
  stock check [--json]           verify on-hand figures against the stock ledger (exit 1 on drift)
  catalog import --file F [--encoding utf-8|gb18030] [--store STORE_ID] [--json]
  audit verify [--json]          verify every audit hash chain (exit 1 when broken)
  recon import --provider alipay|wechat|card --file F [--store STORE_ID] [--json]
                                 import a statement and match it (a file with a bad line is refused whole, exit 1)
  sandbox card-terminal [--port P] [--poi ID] [--notify URL]
                                 run a sandbox card terminal on its own (faults via its /control API)
  staff add --code C --name N --role cashier|supervisor|manager|admin (--store STORE_ID | --hq)
                                 add a person; the PIN and password come from the environment
                                 (TILLSAFE_NEW_PIN, TILLSAFE_NEW_PASSWORD), never the command line`;

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', sub, ...rest] = argv;
  const env = process.env;
  const db = configFromEnv(env);

  if (command === 'serve') {
    const port = Number(env.PORT ?? 3000);
    const running = await startStore({
      db,
      port,
      host: env.HOST ?? '0.0.0.0',
      seed: env.TILLSAFE_SEED !== 'false',
      publicUrl: env.TILLSAFE_PUBLIC_URL,
      logger: env.TILLSAFE_LOG === 'true',
      payments: {
        sandbox: env.TILLSAFE_SANDBOX !== 'false',
        terminals: terminalsFromEnv(env.TILLSAFE_TERMINALS),
        ...walletsFromEnv(env),
        ...(env.TILLSAFE_SANDBOX_DELAY_MS
          ? { sandboxProcessingMs: Number(env.TILLSAFE_SANDBOX_DELAY_MS) }
          : {}),
      },
    });
    const where = db.dialect === 'sqlite' ? `SQLite ${db.file}` : `PostgreSQL ${running.ctx.db.location}`;
    console.log(
      `TillSafe is running — open ${running.url.replace('0.0.0.0', 'localhost')}  (data: ${where})`,
    );
    // Per till and wallet: real or sandbox. A sandbox terminal's /control API scripts faults and
    // plays the named scenarios (POST /control/scenario); a sandbox wallet's takes scripts.
    for (const line of servingLines(running.payments.serving)) console.log(line);
    const { wechat, alipay } = running.payments.sandboxWallets;
    if (wechat || alipay)
      console.log(
        `Sandbox wallets: ${[wechat ? `WeChat Pay ${wechat.url}` : '', alipay ? `Alipay ${alipay.gateway}` : ''].filter(Boolean).join('  ')} (POST /control/script for faults)`,
      );
    const stop = async () => {
      await running.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
    return -1; // keep running
  }

  if (command === 'migrate' || command === 'seed') {
    const ctx = await prepareContext(db, { seed: command === 'seed' });
    console.log(command === 'seed' ? 'database migrated and seeded' : 'database migrated');
    await ctx.db.close();
    return 0;
  }

  if (command === 'stock' && sub === 'check') {
    const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } } });
    const ctx = await prepareContext(db, { seed: false });
    const result = await checkLedger(ctx.db.kysely);
    await ctx.db.close();
    if (values.json) console.log(JSON.stringify({ ok: result.drift.length === 0, ...result }));
    else if (result.drift.length === 0)
      console.log(`stock ledger OK: ${result.checked} store/item figures agree with their movements`);
    else {
      console.log(`stock ledger DRIFT in ${result.drift.length} of ${result.checked} figures:`);
      for (const d of result.drift)
        console.log(
          `  store ${d.storeId} item ${d.variantId}: ledger ${d.ledgerSum}, on hand ${d.onHand ?? 'none'}, last running total ${d.lastOnHandAfter ?? 'none'}`,
        );
    }
    return result.drift.length === 0 ? 0 : 1;
  }

  if (command === 'recon' && sub === 'import') {
    const { values } = parseArgs({
      args: rest,
      options: {
        provider: { type: 'string' },
        file: { type: 'string' },
        store: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const provider = STATEMENT_PROVIDERS.find((p) => p === values.provider);
    if (!provider || !values.file) {
      console.error(USAGE);
      return 2;
    }
    const file = values.file;
    const ctx = await prepareContext(db, { seed: false });
    try {
      const summary = await importStatementFile(ctx, { provider, file, storeId: values.store ?? null });
      const { batchId: _batch, ...rest } = summary;
      const printed = { ...rest, errors: summary.errors.map((e) => ({ line: e.line, reason: e.reason })) };
      if (values.json) console.log(JSON.stringify(printed));
      else if (summary.errors.length > 0)
        for (const e of summary.errors) console.error(`${file}:${e.line}: ${e.reason}`);
      else
        console.log(
          `${provider}: ${summary.lines} lines (${summary.newLines} new), ${summary.matched} matched, cases ${JSON.stringify(summary.cases)}`,
        );
      return summary.errors.length > 0 ? 1 : 0;
    } finally {
      await ctx.db.close();
    }
  }

  if (command === 'catalog' && sub === 'import') {
    const { values } = parseArgs({
      args: rest,
      options: {
        file: { type: 'string' },
        encoding: { type: 'string', default: 'utf-8' },
        store: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (!values.file || (values.encoding !== 'utf-8' && values.encoding !== 'gb18030')) {
      console.error(USAGE);
      return 2;
    }
    const ctx = await prepareContext(db, { seed: false });
    try {
      const summary = await importCatalog(ctx, {
        bytes: readFileSync(values.file),
        encoding: values.encoding,
        stockStoreId: values.store ?? null,
        actorId: 'cli',
      });
      console.log(
        values.json
          ? JSON.stringify({ ok: true, ...summary })
          : `imported ${summary.rows} rows: ${JSON.stringify(summary)}`,
      );
      return 0;
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const errors =
        (error.extra.errors as { line: number; field: string; reason: string }[] | undefined) ?? [];
      if (values.json)
        console.log(JSON.stringify({ ok: false, code: error.code, detail: error.detail, errors }));
      else {
        console.error(`nothing imported: ${error.title('en')}${error.detail ? ` (${error.detail})` : ''}`);
        for (const e of errors) console.error(`  line ${e.line}, ${e.field || 'row'}: ${e.reason}`);
      }
      return 1;
    } finally {
      await ctx.db.close();
    }
  }

  if (command === 'audit' && sub === 'verify') {
    const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } } });
    const ctx = await prepareContext(db, { seed: false });
    const verdicts = await verifyChains(ctx.db.kysely);
    await ctx.db.close();
    const broken = verdicts.filter((v) => !v.ok);
    if (values.json) console.log(JSON.stringify({ ok: broken.length === 0, chains: verdicts }));
    else
      for (const v of verdicts) {
        console.log(
          v.ok
            ? `chain ${v.chain}: OK (${v.events} events)`
            : `chain ${v.chain}: BROKEN at seq ${v.brokenAt.seq} (event ${v.brokenAt.id}): ${v.reason}`,
        );
      }
    return broken.length === 0 ? 0 : 1;
  }

  if (command === 'sandbox' && sub === 'card-terminal') {
    const { values } = parseArgs({
      args: rest,
      options: {
        port: { type: 'string', default: '0' },
        poi: { type: 'string', default: 'POI-SANDBOX-1' },
        host: { type: 'string', default: '127.0.0.1' },
        notify: { type: 'string' },
      },
    });
    const terminal = new CardTerminalEmulator({
      poiId: values.poi,
      processingMs: Number(env.TILLSAFE_SANDBOX_DELAY_MS ?? 0),
    });
    // Where its unasked answers go: the store's `/api/tills/{tillId}/notifications/card`.
    if (values.notify) terminal.notifyTo(values.notify);
    const url = await terminal.listen(Number(values.port), values.host);
    console.log(`Sandbox card terminal ${values.poi} listening at ${url}`);
    const stop = async () => {
      await terminal.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
    return -1; // keep running
  }

  if (command === 'staff' && sub === 'add') {
    const { values } = parseArgs({
      args: rest,
      options: {
        code: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        store: { type: 'string' },
        hq: { type: 'boolean', default: false },
      },
    });
    const role = ROLES.find((r) => r === values.role);
    if (!values.code || !values.name || !role || (!values.store && !values.hq)) {
      console.error(USAGE);
      return 2;
    }
    const ctx = await prepareContext(db, { seed: false });
    try {
      // The CLI is the machine's operator: it may add anyone, including the first admin.
      const secrets = await hashNewSecrets({
        pin: env.TILLSAFE_NEW_PIN,
        password: env.TILLSAFE_NEW_PASSWORD,
      });
      const added = await createStaff(
        ctx,
        values.hq ? null : (values.store ?? null),
        { code: values.code, name: values.name, role },
        secrets,
      );
      console.log(JSON.stringify({ ok: true, staff: added }));
      return 0;
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      console.log(JSON.stringify({ ok: false, code: error.code, title: error.title('en') }));
      return 1;
    } finally {
      await ctx.db.close();
    }
  }

  console.error(USAGE);
  return command === 'help' || command === '--help' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);

/**
 * Real wallets from the environment (secrets from files or the environment, never the command
 * line); each one configured replaces its sandbox.
 */
function walletsFromEnv(env: NodeJS.ProcessEnv): Pick<PaymentOptions, 'wechat' | 'alipay'> {
  const out: Pick<PaymentOptions, 'wechat' | 'alipay'> = {};
  if (env.TILLSAFE_WECHAT_MCH_ID) {
    const need = (name: string) => {
      const value = env[name];
      if (!value) throw new Error(`${name} is required with TILLSAFE_WECHAT_MCH_ID`);
      return value;
    };
    out.wechat = {
      gateway: env.TILLSAFE_WECHAT_GATEWAY ?? 'https://api.mch.weixin.qq.com',
      appId: need('TILLSAFE_WECHAT_APP_ID'),
      mchId: env.TILLSAFE_WECHAT_MCH_ID,
      apiKey: need('TILLSAFE_WECHAT_API_KEY'),
      signType: env.TILLSAFE_WECHAT_SIGN_TYPE === 'MD5' ? 'MD5' : 'HMAC-SHA256',
      clientIp: env.TILLSAFE_WECHAT_CLIENT_IP ?? '127.0.0.1',
      payTimeoutMs: 15_000,
      requestTimeoutMs: 5_000,
      ...(env.TILLSAFE_WECHAT_CERT_FILE && env.TILLSAFE_WECHAT_KEY_FILE
        ? {
            tls: {
              cert: readFileSync(env.TILLSAFE_WECHAT_CERT_FILE, 'utf8'),
              key: readFileSync(env.TILLSAFE_WECHAT_KEY_FILE, 'utf8'),
            },
          }
        : {}),
    };
  }
  if (env.TILLSAFE_ALIPAY_APP_ID) {
    const file = (name: string) => {
      const path = env[name];
      if (!path) throw new Error(`${name} is required with TILLSAFE_ALIPAY_APP_ID`);
      return readFileSync(path, 'utf8');
    };
    out.alipay = {
      gateway: env.TILLSAFE_ALIPAY_GATEWAY ?? 'https://openapi.alipay.com/gateway.do',
      appId: env.TILLSAFE_ALIPAY_APP_ID,
      privateKey: file('TILLSAFE_ALIPAY_PRIVATE_KEY_FILE'),
      alipayPublicKey: file('TILLSAFE_ALIPAY_PUBLIC_KEY_FILE'),
      timeoutMs: 5_000, // the SDK's own default: past it, unknown
      ...(env.TILLSAFE_ALIPAY_STORE_ID ? { storeId: env.TILLSAFE_ALIPAY_STORE_ID } : {}),
    };
  }
  return out;
}
