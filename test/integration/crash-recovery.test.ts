/**
 * The real crash: the store server is killed (SIGKILL) while a card attempt is in flight at a
 * terminal running as its own process. The terminal finishes the payment without anyone to tell.
 * On restart the server resumes the attempt by itself: it asks the terminal, finds it paid, and
 * completes the sale — the terminal's ledger and TillSafe agree, nothing lost, nothing doubled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/databases';
import {
  killHard,
  type ServeProcess,
  startSandboxTerminalProcess,
  startServeProcess,
} from '../support/processes';
import { apiClient } from '../support/store-server';

describe('a server killed in the middle of a card payment', () => {
  let db: TestDatabase;
  let terminal: { url: string; stop(): Promise<void> };
  let server: ServeProcess | undefined;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    terminal = await startSandboxTerminalProcess('POI-CRASH');
  }, 60_000);
  afterAll(async () => {
    if (server) await killHard(server);
    await terminal?.stop();
    await db?.drop();
  });

  const env = () => ({ TILLSAFE_SANDBOX: 'false', TILLSAFE_TERMINALS: `till_sh01_1=${terminal.url}` });
  const control = (path: string, body?: unknown) =>
    fetch(`${terminal.url}/control/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('resumes the attempt on restart: paid at the terminal, completed here, once', async () => {
    server = await startServeProcess(db, env());
    let api = apiClient(server.url);
    await api.signInAtTill('SH01-C1');
    const found = await api.get<{ variants: { barcode: string }[] }>(
      '/api/stores/store_sh01/variants?q=KN-301',
    );
    const sale = (await api.post<{ id: string }>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' }))
      .body;
    const line = await api.post<{ totalFen: number }>(`/api/sales/${sale.id}/lines`, {
      barcode: found.body.variants[0]!.barcode,
    });
    // The customer takes their time at the PIN pad: the request is out when the server dies.
    await control('script', { faults: [{ kind: 'slow', ms: 1_500 }] });
    const started = await api.post<{ id: string; merchantOrderNo: string }>(
      `/api/sales/${sale.id}/payments/card`,
      {
        amountFen: line.body.totalFen,
      },
    );
    expect(started.status).toBe(202);
    await new Promise((r) => setTimeout(r, 400));
    await killHard(server);

    // The terminal approves with nobody listening.
    await new Promise((r) => setTimeout(r, 1_500));
    const ledger = (await (await control('ledger')).json()) as {
      entries: { transactionId: string; status: string; amountFen: number }[];
    };
    const moved = ledger.entries.filter((e) => e.transactionId === started.body.merchantOrderNo);
    expect(moved).toEqual([expect.objectContaining({ status: 'approved', amountFen: line.body.totalFen })]);

    server = await startServeProcess(db, env());
    api = apiClient(server.url);
    await api.signInAtTill('SH01-C1');
    let status = '';
    for (let i = 0; i < 100 && status !== 'succeeded'; i++) {
      status = (await api.get<{ status: string }>(`/api/attempts/${started.body.id}`)).body.status;
      if (status !== 'succeeded') await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('succeeded');
    const after = (
      await api.get<{ status: string; payments: { amountFen: number }[] }>(`/api/sales/${sale.id}`)
    ).body;
    expect(after.status).toBe('completed');
    expect(after.payments.map((p) => p.amountFen)).toEqual([line.body.totalFen]);
    // Still exactly one charge at the terminal.
    const final = (await (await control('ledger')).json()) as {
      entries: { transactionId: string; status: string }[];
    };
    expect(
      final.entries.filter(
        (e) => e.transactionId === started.body.merchantOrderNo && e.status === 'approved',
      ),
    ).toHaveLength(1);
  }, 90_000);
});
