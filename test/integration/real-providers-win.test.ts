/**
 * A configured real terminal always wins over the sandbox, through `tillsafe serve` as a store
 * runs it: with `TILLSAFE_TERMINALS` naming one till's terminal and the sandbox left at its default,
 * that till's card payments go to that terminal (not to an auto-approving sandbox), the start-up
 * banner says per till and wallet which is real and which is sandbox, and a sandbox payment's
 * receipt says no money moved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/databases';
import { type ServeProcess, startSandboxTerminalProcess, startServeProcess } from '../support/processes';
import { type ApiClient, apiClient } from '../support/store-server';

describe('configured real providers win over the sandbox', () => {
  let db: TestDatabase;
  let server: ServeProcess;
  let terminal: { url: string; stop(): Promise<void> };
  let barcode: string;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    // The store's "real" terminal: a terminal on the LAN, its own process (the sandbox program
    // stands in for the hardware; what matters is that TillSafe sends the payment there).
    terminal = await startSandboxTerminalProcess('POI-REAL-1');
    server = await startServeProcess(db, {
      TILLSAFE_TERMINALS: `till_sh01_1=${terminal.url}`,
      TILLSAFE_SANDBOX_DELAY_MS: '0',
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await terminal?.stop();
    await db?.drop();
  });

  const sellByCard = async (till: ApiClient, tillId: string) => {
    if (!barcode)
      barcode = (
        await till.get<{ variants: { barcode: string }[] }>('/api/stores/store_sh01/variants?q=KN-301')
      ).body.variants[0]!.barcode;
    const sale = (await till.post<{ id: string }>('/api/stores/store_sh01/sales', { tillId })).body;
    const line = await till.post<{ totalFen: number }>(`/api/sales/${sale.id}/lines`, { barcode });
    const started = await till.post<{ id: string; merchantOrderNo: string }>(
      `/api/sales/${sale.id}/payments/card`,
      {
        amountFen: line.body.totalFen,
      },
    );
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    for (let i = 0; i < 100; i++) {
      const a = await till.get<{ status: string }>(`/api/attempts/${started.body.id}`);
      if (a.body.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return { saleId: sale.id, orderNo: started.body.merchantOrderNo };
  };

  it('the banner names, per till and wallet, which is real and which is sandbox', async () => {
    await expect.poll(() => server.output()).toContain('Alipay:');
    const out = server.output();
    expect(out).toContain(`Card terminal of till_sh01_1: REAL ${terminal.url}`);
    expect(out).toMatch(/Card terminal of till_sh01_2: SANDBOX \(no money moves\) http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toContain('WeChat Pay: SANDBOX (no money moves)');
    expect(out).toContain('Alipay: SANDBOX (no money moves)');
  });

  it('a card payment at the till with a real terminal goes to that terminal, and its receipt is no sandbox’s', async () => {
    const till = apiClient(server.url);
    await till.signInAtTill('SH01-C1', 'till_sh01_1');
    const { saleId, orderNo } = await sellByCard(till, 'till_sh01_1');
    const ledger = (await (await fetch(`${terminal.url}/control/ledger`)).json()) as {
      entries: { transactionId: string; status: string }[];
    };
    expect(ledger.entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ transactionId: orderNo, status: 'approved' })]),
    );
    const receipt = await till.get<string>(`/api/sales/${saleId}/receipt.html?lang=en`);
    expect(receipt.body).not.toContain('SANDBOX');
  });

  it('a payment taken by a sandbox terminal says so on its receipt, in both languages', async () => {
    const till = apiClient(server.url);
    await till.signInAtTill('SH01-C2', 'till_sh01_2');
    const { saleId, orderNo } = await sellByCard(till, 'till_sh01_2');
    const ledger = (await (await fetch(`${terminal.url}/control/ledger`)).json()) as {
      entries: { transactionId: string }[];
    };
    expect(ledger.entries.map((e) => e.transactionId)).not.toContain(orderNo);
    expect((await till.get<string>(`/api/sales/${saleId}/receipt.html?lang=en`)).body).toContain(
      'SANDBOX payment: demo or training, no money moved',
    );
    expect((await till.get<string>(`/api/sales/${saleId}/receipt.html?lang=zh-CN`)).body).toContain(
      '沙箱支付',
    );
  });
});
