/**
 * Importing statements end to end, on both databases: the sandboxes' own bills (the card
 * terminal's settlement file over HTTP, Alipay's `.csv.zip`, WeChat Pay's bill) against what the
 * store recorded. A payment the statement holds is matched; one the till lost (its attempt left
 * unknown) is charged-not-recorded, linked to that attempt; one the terminal never saw is
 * recorded-not-settled. Re-importing adds nothing; a file with a bad line stores nothing; the
 * CLI prints the JSON summary and exits non-zero on a bad file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db';
import type { CaseView, SlipView } from '../../src/exceptions';
import { formatYuan } from '../../src/kernel';
import type { ReconCaseView } from '../../src/recon/cases';
import { THREAD_FROM_BYTES } from '../../src/recon/read-file';
import { importStatementFile } from '../../src/recon/readers';
import { chinaTime } from '../../src/sandbox/http-kit';
import { checkLedger } from '../../src/stock';
import { type CardTill, cardTill } from '../support/card-till';
import { DIALECTS, freshDatabase, type TestDatabase } from '../support/databases';
import { BIN, envFor } from '../support/processes';
import { alipayBillZip, alipayRow } from '../support/statements';
import { apiClient, type TestStore } from '../support/store-server';

const dir = mkdtempSync(path.join(tmpdir(), 'tillsafe-recon-'));
const file = (name: string, data: string | Buffer) => {
  const f = path.join(dir, name);
  writeFileSync(f, data);
  return f;
};
let codes = 0;
const walletCode = (prefix: '28' | '13') =>
  `${prefix}${String(Date.now() % 1e8).padStart(8, '0')}${String(++codes).padStart(8, '0')}`;

describe.each(DIALECTS)('importing statements on %s', (dialect) => {
  let bed: CardTill;
  let store: TestStore;
  const count = async (table: 'statement_lines' | 'recon_cases' | 'statement_batches') =>
    Number(
      (
        await store.ctx.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const matches = async () =>
    (
      await store.ctx.db.kysely
        .selectFrom('statement_lines')
        .select('attempt_id')
        .where('attempt_id', 'is not', null)
        .execute()
    ).length;
  const today = () => chinaTime(store.clock.now().toISOString()).slice(0, 10);

  beforeAll(async () => {
    bed = await cardTill(dialect);
    store = bed.store;
  });
  afterAll(async () => store?.stop());

  it('the card settlement file: matched, charged-not-recorded (linked to the attempt the till lost), recorded-not-settled; a re-import adds nothing', async () => {
    const terminal = bed.terminal;
    // Paid here, but the terminal's acquirer never heard of it (its ledger is wiped).
    const ghost = await bed.chargeCard(await bed.saleWithItem());
    terminal.reset();
    const good = await bed.chargeCard(await bed.saleWithItem());
    const lost = await bed.chargeCard(await bed.saleWithItem());
    for (const a of [ghost, good, lost]) expect(a.status).toBe('succeeded');
    // What a till that lost the answer leaves: the attempt still unknown, nothing on the sale.
    await store.ctx.db.kysely
      .updateTable('payment_attempts')
      .set({ status: 'unknown' })
      .where('id', '=', lost.id)
      .execute();
    await store.ctx.db.kysely.deleteFrom('payments').where('attempt_id', '=', lost.id).execute();

    const csv = await (await fetch(`${terminal.url}/settlement/${today()}.csv`)).text();
    const f = file(`card-${dialect}.csv`, csv);
    const first = await importStatementFile(store.ctx, { provider: 'card', file: f, storeId: 'store_sh01' });
    expect(first).toMatchObject({
      provider: 'card',
      lines: 2,
      newLines: 2,
      matched: 1,
      errors: [],
      cases: {
        charged_not_recorded: 1,
        recorded_not_settled: 1,
        amount_mismatch: 0,
        duplicate_charge: 0,
        refund_mismatch: 0,
      },
    });
    const cases = await store.ctx.db.kysely.selectFrom('recon_cases').selectAll().orderBy('kind').execute();
    expect(cases.map((c) => [c.kind, c.attempt_id, c.status])).toEqual([
      ['charged_not_recorded', lost.id, 'open'],
      ['recorded_not_settled', ghost.id, 'open'],
    ]);
    expect(JSON.parse(cases[0]!.link_json!)).toMatchObject({ type: 'attempt', attemptId: lost.id });
    const match = await store.ctx.db.kysely
      .selectFrom('statement_lines')
      .select('attempt_id')
      .where('attempt_id', 'is not', null)
      .execute();
    expect(match.map((m) => m.attempt_id)).toEqual([good.id]);

    const before = {
      lines: await count('statement_lines'),
      cases: await count('recon_cases'),
      matches: await matches(),
    };
    const again = await importStatementFile(store.ctx, { provider: 'card', file: f, storeId: 'store_sh01' });
    expect(again).toMatchObject({ lines: 2, newLines: 0, matched: 1, cases: first.cases });
    expect({
      lines: await count('statement_lines'),
      cases: await count('recon_cases'),
      matches: await matches(),
    }).toEqual(before);

    // A later file of the same day holds the payment the first lacked: its case is cleared by it.
    const china = chinaTime(ghost.createdAt);
    const yuan = formatYuan(ghost.amountFen);
    const late = file(
      `card-late-${dialect}.csv`,
      `${csv.split(/\r?\n/)[0]}\n898310048160001,POI-1,000002,009999,ACQ009999,1,622202******0128,消费,${china},${yuan},0.50,${yuan},2026-11-24,${ghost.merchantOrderNo}\n`,
    );
    const third = await importStatementFile(store.ctx, {
      provider: 'card',
      file: late,
      storeId: 'store_sh01',
    });
    expect(third).toMatchObject({ newLines: 1, cases: { recorded_not_settled: 0, charged_not_recorded: 1 } });
    const ghostCase = await store.ctx.db.kysely
      .selectFrom('recon_cases')
      .selectAll()
      .where('kind', '=', 'recorded_not_settled')
      .where('attempt_id', '=', ghost.id)
      .executeTakeFirstOrThrow();
    expect(ghostCase.status).toBe('resolved');
    expect(JSON.parse(ghostCase.resolution!)).toMatchObject({ code: 'cleared' });
  });

  it('a file with a bad line is refused whole: every bad line listed, nothing stored', async () => {
    const before = { batches: await count('statement_batches'), lines: await count('statement_lines') };
    const csv = [
      '商户号,终端号,批次号,凭证号,参考号,授权码,卡号,交易类型,交易时间,交易金额,手续费,结算金额,清算日期,商户订单号',
      '898310,T1,000001,000901,ACQ000901,1,622202******0128,消费,2026-11-23 10:00:05,899.00,4.50,894.50,2026-11-24,X-1',
      '898310,T1,000001,000902,ACQ000902,1,622202******0128,消费,2026-11-23 10:00:05,eight,4.50,894.50,2026-11-24,X-2',
      '898310,T1,000001,000903,ACQ000903,1,622202******0128,预授权,2026-11-23 10:00:05,1.00,0.00,1.00,2026-11-24,X-3',
    ].join('\n');
    const summary = await importStatementFile(store.ctx, {
      provider: 'card',
      file: file(`bad-${dialect}.csv`, csv),
      storeId: null,
    });
    expect(summary.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(summary).toMatchObject({ lines: 3, newLines: 0, batchId: null });
    expect({ batches: await count('statement_batches'), lines: await count('statement_lines') }).toEqual(
      before,
    );
  });

  it('a file over a megabyte is read on its own thread: a charge made twice after the first was paired on sight is a duplicate; a bad last line stores nothing', async () => {
    const a = await bed.chargeCard(await bed.saleWithItem());
    const b = await bed.chargeCard(await bed.saleWithItem());
    const csv = await (await fetch(`${bed.terminal.url}/settlement/${today()}.csv`)).text();
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    const ours = (order: string) => rows.find((r) => r.endsWith(`,${order}`))!;
    const first = ours(a.merchantOrderNo);
    // The acquirer's second charge of the same order: another reference, so another line.
    const cells = first.split(',');
    cells[4] = `${cells[4]}D`;
    const again = cells.join(',');
    // Enough voided lines of orders nobody here made to pass the size the reader starts a thread at.
    const voids = Array.from(
      { length: 10_000 },
      (_, i) =>
        `898310,T9,000001,${String(i).padStart(6, '0')},VOID${i},1,622202******0128,撤销,${cells[8]},1.00,0.00,1.00,2026-11-24,NOBODY-${i}`,
    );
    const body = [header, first, ours(b.merchantOrderNo), ...voids, again];
    expect(Buffer.byteLength(body.join('\n'))).toBeGreaterThanOrEqual(THREAD_FROM_BYTES);
    const before = { batches: await count('statement_batches'), lines: await count('statement_lines') };

    const refused = await importStatementFile(store.ctx, {
      provider: 'card',
      file: file(`big-bad-${dialect}.csv`, `${[...body, `${again},extra`].join('\n')}\n`),
      storeId: 'store_sh01',
    });
    expect(refused.errors).toMatchObject([{ line: body.length + 1 }]);
    expect({ batches: await count('statement_batches'), lines: await count('statement_lines') }).toEqual(
      before,
    );

    const summary = await importStatementFile(store.ctx, {
      provider: 'card',
      file: file(`big-${dialect}.csv`, `${body.join('\n')}\n`),
      storeId: 'store_sh01',
    });
    expect(summary).toMatchObject({ lines: body.length - 1, newLines: body.length - 1, errors: [] });
    expect(summary.cases.duplicate_charge).toBe(1);
    const naming = await store.ctx.db.kysely
      .selectFrom('statement_lines')
      .select(['attempt_id', 'provider_ref'])
      .where('merchant_order_no', 'in', [a.merchantOrderNo, b.merchantOrderNo])
      .where('batch_id', '=', summary.batchId!)
      .execute();
    // Each attempt named by one line: the first charge of a, and b; the second charge of a by none.
    expect(naming).toHaveLength(3);
    expect(naming.filter((l) => l.attempt_id === null)).toHaveLength(1);
    expect(naming.filter((l) => l.attempt_id === a.id)).toHaveLength(1);
    expect(naming.filter((l) => l.attempt_id === b.id)).toHaveLength(1);
    const dup = await store.ctx.db.kysely
      .selectFrom('recon_cases')
      .selectAll()
      .where('kind', '=', 'duplicate_charge')
      .where('batch_id', '=', summary.batchId!)
      .executeTakeFirstOrThrow();
    expect(dup).toMatchObject({ attempt_id: a.id, status: 'open' });
  });

  it('charged, not recorded, for a sale with a slip: the customer paid the store’s own QR code and showed proof; the bill holds it — the slip settles by itself', async () => {
    const office = apiClient(store.url);
    await office.signInToBackOffice('SH01-M1');
    const sale = await bed.saleWithItem();
    const slip = (
      await bed.api.post<SlipView>(`/api/sales/${sale.id}/slip`, {
        reason: '顾客扫了门店收款码',
        customerName: '孙女士',
        customerPhone: '13512345678',
        goods: 'taken',
      })
    ).body;
    const proof = await office.post<CaseView>(`/api/follow-ups/${slip.caseId}/manual-confirmation`, {
      tender: 'alipay',
      amountFen: slip.dueFen,
      paidOn: today(),
      reference: '2026112322009988',
      evidence: '支付宝账单截图：付款给本店收款码',
    });
    expect(proof.body.status).toBe('awaiting_statement');
    const yuan = formatYuan(slip.dueFen);
    const finished = chinaTime(store.clock.now().toISOString());
    const bill = alipayBillZip([
      alipayRow('2026112322009988', 'STATIC-QR-77', '交易', yuan, { finished, terminal: '' }),
    ]);
    const summary = await importStatementFile(store.ctx, {
      provider: 'alipay',
      file: file(`qr-${dialect}.csv.zip`, bill),
      storeId: 'store_sh01',
    });
    // Found, and settled at once: nothing is left open.
    expect(summary).toMatchObject({ errors: [], lines: 1, cases: { charged_not_recorded: 0 } });
    const settled = (await office.get<CaseView>(`/api/follow-ups/${slip.caseId}`)).body;
    expect(settled).toMatchObject({
      status: 'settled',
      slip: { status: 'settled' },
      confirmations: [{ status: 'confirmed', statementRef: 'alipay:2026112322009988' }],
    });
    expect((await bed.saleNow(sale.id)).status).toBe('completed');
    const rc = await store.ctx.db.kysely
      .selectFrom('recon_cases')
      .selectAll()
      .where('kind', '=', 'charged_not_recorded')
      .where('line_key', '=', 'alipay:2026-11-23:pay:2026112322009988')
      .executeTakeFirstOrThrow();
    expect(rc).toMatchObject({ status: 'resolved', store_id: 'store_sh01' });
    // Imported again: nothing settles twice.
    const again = await importStatementFile(store.ctx, {
      provider: 'alipay',
      file: file(`qr-${dialect}.csv.zip`, bill),
      storeId: 'store_sh01',
    });
    expect(again.newLines).toBe(0);
    expect((await bed.saleNow(sale.id)).payments.filter((p) => p.tender === 'alipay')).toHaveLength(1);
    expect((await checkLedger(store.ctx.db.kysely)).drift).toEqual([]);
  });

  it('through the API: upload, the case list, link the money to one of two proofs, refund a charge the till lost, write off, reopen — each audited', async () => {
    const office = apiClient(store.url);
    await office.signInToBackOffice('SH01-M1');
    // Two customers on account, each says they paid the same amount the same day.
    const proofs: { slip: SlipView; sale: string }[] = [];
    for (const name of ['周先生', '吴先生']) {
      const sale = await bed.saleWithItem();
      const slip = (
        await bed.api.post<SlipView>(`/api/sales/${sale.id}/slip`, {
          reason: '扫了收款码',
          customerName: name,
          customerPhone: '13512345678',
          goods: 'held',
        })
      ).body;
      await office.post(`/api/follow-ups/${slip.caseId}/manual-confirmation`, {
        tender: 'alipay',
        amountFen: slip.dueFen,
        paidOn: today(),
        reference: `R-${name}`,
        evidence: '账单截图',
      });
      proofs.push({ slip, sale: sale.id });
    }
    const finished = chinaTime(store.clock.now().toISOString());
    const bill = alipayBillZip([
      alipayRow('2026112322007777', 'STATIC-QR-88', '交易', formatYuan(proofs[0]!.slip.dueFen), {
        finished,
        terminal: '',
      }),
    ]);
    const upload = (bytes: Buffer, provider = 'alipay') =>
      office.raw<{ cases: Record<string, number>; errors: { line: number }[]; newLines: number }>(
        'POST',
        `/api/recon/imports?provider=${provider}&storeId=store_sh01&fileName=bill.csv.zip`,
        bytes,
        { 'content-type': 'application/octet-stream' },
      );
    const imported = await upload(bill);
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.cases.charged_not_recorded).toBe(1);
    const list = (
      await office.get<{ cases: ReconCaseView[] }>('/api/stores/store_sh01/recon-cases?status=open')
    ).body.cases;
    const two = list.find((c) => c.line?.providerRef === '2026112322007777')!;
    expect(two.candidates.map((c) => c.saleNumber).sort()).toHaveLength(2);
    expect(two.link).toBeNull();
    const pick = two.candidates.findIndex((c) => c.saleId === proofs[1]!.sale);
    const linked = await office.post<ReconCaseView>(`/api/recon-cases/${two.id}/resolve`, {
      action: 'link',
      candidate: pick,
      reason: '顾客提供的交易号一致',
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body).toMatchObject({
      status: 'resolved',
      resolution: { code: 'linked', reason: '顾客提供的交易号一致' },
    });
    expect((await bed.saleNow(proofs[1]!.sale)).status).toBe('completed');
    expect((await bed.saleNow(proofs[0]!.sale)).status).toBe('awaiting_statement');
    expect(
      (await office.post(`/api/recon-cases/${two.id}/resolve`, { action: 'write_off', reason: 'again' }))
        .body,
    ).toMatchObject({ code: 'recon_case_not_open' });
    const reopened = await office.post<ReconCaseView>(`/api/recon-cases/${two.id}/reopen`, {
      reason: '核对有误',
    });
    expect(reopened.body).toMatchObject({ status: 'open', resolution: null });
    expect(
      (
        await office.post<ReconCaseView>(`/api/recon-cases/${two.id}/resolve`, {
          action: 'write_off',
          reason: '已人工核对',
        })
      ).body.status,
    ).toBe('resolved');

    // A charge the till lost, refunded through the terminal that took it.
    const lostSale = await bed.saleWithItem();
    const lost = await bed.chargeCard(lostSale);
    await store.ctx.db.kysely
      .updateTable('payment_attempts')
      .set({ status: 'failed' })
      .where('id', '=', lost.id)
      .execute();
    await store.ctx.db.kysely.deleteFrom('payments').where('attempt_id', '=', lost.id).execute();
    const csv = Buffer.from(await (await fetch(`${bed.terminal.url}/settlement/${today()}.csv`)).text());
    expect((await upload(csv, 'card')).status).toBe(200);
    const charged = (
      await office.get<{ cases: ReconCaseView[] }>('/api/stores/store_sh01/recon-cases?status=open')
    ).body.cases.find((c) => c.attempt?.id === lost.id)!;
    expect(charged).toMatchObject({ kind: 'charged_not_recorded', attempt: { status: 'failed' } });
    expect(
      (
        await office.post(`/api/recon-cases/${charged.id}/resolve`, {
          action: 'link',
          candidate: 0,
          reason: 'x',
        })
      ).body,
    ).toMatchObject({
      code: 'recon_link_on_review_desk',
    });
    const refunded = await office.post<ReconCaseView>(`/api/recon-cases/${charged.id}/resolve`, {
      action: 'refund',
      reason: '顾客已另行付款',
    });
    expect(refunded.body.status).toBe('resolved');
    await store.payments.scheduler.idle();
    for (let i = 0; i < 3; i++) await bed.later(1_000);
    expect(bed.terminal.moneyMoved(lost.merchantOrderNo)).toBe(0);

    const bad = await upload(Buffer.from('not a zip'), 'alipay');
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toMatchObject([{ line: 1, reason: expect.stringContaining('header') }]);
    const actions = (
      await store.ctx.db.kysely
        .selectFrom('audit_events')
        .select('action')
        .where('entity_type', '=', 'recon_case')
        .execute()
    ).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['recon.case_resolved', 'recon.case_reopened']));
  });

  it('Alipay’s trade bill (.csv.zip, GBK) and WeChat Pay’s bill, from the sandboxes’ own ledgers: each wallet payment matched', async () => {
    const alipayPaid = await bed.chargeWallet(await bed.saleWithItem(), walletCode('28'));
    const wechatPaid = await bed.chargeWallet(await bed.saleWithItem(), walletCode('13'));
    await store.payments.scheduler.idle();
    expect([alipayPaid.status, wechatPaid.status]).toEqual(['succeeded', 'succeeded']);
    const wallets = store.payments.sandboxWallets;
    const alipay = await importStatementFile(store.ctx, {
      provider: 'alipay',
      file: file(`alipay-${dialect}.csv.zip`, wallets.alipay!.billFor(today())),
      storeId: 'store_sh01',
    });
    expect(alipay).toMatchObject({
      errors: [],
      matched: 1,
      cases: { charged_not_recorded: 0, recorded_not_settled: 0 },
    });
    const wechat = await importStatementFile(store.ctx, {
      provider: 'wechat',
      file: file(`wechat-${dialect}.txt`, wallets.wechat!.billFor(today().replaceAll('-', ''), 'ALL')),
      storeId: 'store_sh01',
    });
    expect(wechat).toMatchObject({
      errors: [],
      matched: 1,
      cases: { charged_not_recorded: 0, recorded_not_settled: 0 },
    });
  });
});

describe.each(DIALECTS)('tillsafe recon import on %s', (dialect) => {
  let db: TestDatabase;
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { env: envFor(db), encoding: 'utf8', timeout: 60_000 });
  beforeAll(async () => {
    db = await freshDatabase(dialect);
    expect(cli('seed').status).toBe(0);
  }, 120_000);
  afterAll(async () => db?.drop());

  it('prints one JSON object; a re-run finds nothing new; a bad file exits non-zero listing its lines and stores nothing', async () => {
    const header =
      '商户号,终端号,批次号,凭证号,参考号,授权码,卡号,交易类型,交易时间,交易金额,手续费,结算金额,清算日期,商户订单号';
    const good = file(
      `cli-${dialect}.csv`,
      [
        header,
        '898310,T1,000001,000001,ACQ1,1,622202******0128,消费,2026-11-23 10:00:05,899.00,4.50,894.50,2026-11-24,NOBODY-1',
        '898310,T1,000001,000002,ACQ2,,622202******0128,冲正,2026-11-23 10:01:05,120.00,0.00,0.00,2026-11-24,NOBODY-2',
      ].join('\n'),
    );
    const run = cli('recon', 'import', '--provider', 'card', '--file', good, '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      provider: 'card',
      lines: 2,
      newLines: 2,
      matched: 0,
      // The reversed one moved nothing: not charged.
      cases: {
        charged_not_recorded: 1,
        recorded_not_settled: 0,
        amount_mismatch: 0,
        duplicate_charge: 0,
        refund_mismatch: 0,
      },
      errors: [],
    });
    expect(
      JSON.parse(cli('recon', 'import', '--provider', 'card', '--file', good, '--json').stdout),
    ).toMatchObject({ newLines: 0, lines: 2 });

    const bad = file(`cli-bad-${dialect}.csv`, `${header}\nnot,enough,cells\n`);
    const refused = cli('recon', 'import', '--provider', 'card', '--file', bad, '--json');
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout).errors).toMatchObject([
      { line: 2, reason: expect.stringContaining('cells') },
    ]);
    const handle = openDb(db.config);
    const batches = await handle.kysely.selectFrom('statement_batches').select('file_name').execute();
    await handle.close();
    expect(batches.map((b) => b.file_name)).toEqual([path.basename(good), path.basename(good)]);
    expect(cli('recon', 'import', '--provider', 'paypal', '--file', good).status).toBe(2);
  });
});
