import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gs1CheckDigit } from '../../src/catalog';
import { openDb } from '../../src/db';
import { DIALECTS, freshDatabase, type TestDatabase } from '../support/databases';
import { BIN, envFor, type ServeProcess, startServeProcess } from '../support/processes';

// Not in the demo catalog (which uses 690123…).
const FRESH_BARCODE = `692999000001${gs1CheckDigit('692999000001')}`;

const cli = (db: TestDatabase, ...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { env: envFor(db), encoding: 'utf8', timeout: 60_000 });

describe.each(DIALECTS)('the tillsafe command on %s', (dialect) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    const seeded = cli(db, 'seed');
    expect(seeded.stderr).toBe('');
    expect(seeded.status).toBe(0);
  }, 120_000);
  afterAll(async () => db?.drop());

  it('stock check: exit 0 when the ledger agrees, 1 naming the drift when it does not', async () => {
    const ok = cli(db, 'stock', 'check');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/stock ledger OK: \d+ store\/item figures/);
    const handle = openDb(db.config);
    await sql`update stock_levels set on_hand = on_hand - 2 where variant_id = (select min(variant_id) from stock_levels) and store_id = 'store_sh01'`.execute(
      handle.kysely,
    );
    const drift = cli(db, 'stock', 'check', '--json');
    expect(drift.status).toBe(1);
    const report = JSON.parse(drift.stdout);
    expect(report.ok).toBe(false);
    expect(report.drift).toHaveLength(1);
    expect(report.drift[0].onHand).toBe(report.drift[0].ledgerSum - 2);
    await sql`update stock_levels set on_hand = on_hand + 2 where variant_id = (select min(variant_id) from stock_levels) and store_id = 'store_sh01'`.execute(
      handle.kysely,
    );
    await handle.close();
  });

  it('audit verify: exit 0 on intact chains, 1 naming the first broken event after a row is edited', async () => {
    const ok = cli(db, 'audit', 'verify');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('chain store_sh01: OK');
    const handle = openDb(db.config);
    await sql`update audit_events set after_json = '{"forged":true}' where chain = 'store_hz01' and seq = 1`.execute(
      handle.kysely,
    );
    await handle.close();
    const broken = cli(db, 'audit', 'verify');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/chain store_hz01: BROKEN at seq 1/);
  });

  it('staff add: a first admin with a password from the environment, never from the command line; bad input refused', () => {
    const run = (extra: NodeJS.ProcessEnv, ...args: string[]) =>
      spawnSync(process.execPath, [BIN, 'staff', 'add', ...args], {
        env: { ...envFor(db), ...extra },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const added = run(
      { TILLSAFE_NEW_PASSWORD: 'first-admin-pass' },
      '--hq',
      '--code',
      'HQ-A9',
      '--name',
      'Ops',
      '--role',
      'admin',
    );
    expect(added.status).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({
      ok: true,
      staff: { code: 'HQ-A9', role: 'admin', storeId: null, hasPassword: true, hasPin: false },
    });
    expect(added.stdout).not.toContain('first-admin-pass');
    const weak = run(
      { TILLSAFE_NEW_PIN: '1111' },
      '--store',
      'store_sh01',
      '--code',
      'SH01-C9',
      '--name',
      'X',
      '--role',
      'cashier',
    );
    expect(weak.status).toBe(1);
    expect(JSON.parse(weak.stdout)).toMatchObject({ ok: false, code: 'pin_too_simple' });
    const taken = run({}, '--hq', '--code', 'HQ-A9', '--name', 'Again', '--role', 'admin');
    expect(JSON.parse(taken.stdout)).toMatchObject({ ok: false, code: 'staff_code_taken' });
    expect(run({}, '--code', 'X1', '--name', 'X', '--role', 'boss').status).toBe(2);
  });

  it('catalog import: a bad file is refused whole with line numbers, a good one imported', () => {
    const dir = path.resolve('.tmp', 'cli-test');
    mkdirSync(dir, { recursive: true });
    const bad = path.join(dir, `bad-${dialect}.csv`);
    writeFileSync(
      bad,
      `style_code,name_zh,name_en,brand,category,season,sku,barcode,size,colour_zh,colour_en,price\nX-1,衬衫,Shirt,B,C,S,X-1-M,${FRESH_BARCODE},M,白,White,12.345\n`,
    );
    const refused = cli(db, 'catalog', 'import', '--file', bad, '--json');
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      ok: false,
      code: 'csv_rows_invalid',
      errors: [{ line: 2, field: 'price' }],
    });
    const good = path.join(dir, `good-${dialect}.csv`);
    writeFileSync(good, readFileSync(bad, 'utf8').replace('12.345', '129.00'));
    const imported = cli(db, 'catalog', 'import', '--file', good, '--json');
    expect(imported.status).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ ok: true, rows: 1, variants: { created: 1 } });
  });
});

describe('npm start (tillsafe serve) on an empty data folder', () => {
  let server: ServeProcess | undefined;
  let db: TestDatabase;
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('migrates, seeds the demo, serves the API and prints the URL to open', async () => {
    db = await freshDatabase('sqlite');
    server = await startServeProcess(db);
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', database: 'sqlite' });
    const stores = await (await fetch(`${server.url}/api/stores`)).json();
    expect(stores.stores).toHaveLength(2);
  }, 90_000);
});
