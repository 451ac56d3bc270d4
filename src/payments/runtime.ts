/**
 * Which provider serves which till. In the sandbox (the demo, tests, training) every till gets its
 * own sandbox card terminal, started here on the loopback; otherwise `TILLSAFE_TERMINALS` names each
 * till's terminal (`till_sh01_1=http://192.168.1.50:8080,…`).
 */
import type { Ctx } from '../context';
import { CardTerminalEmulator } from '../sandbox/card-terminal';
import type { PaymentProvider, Tender } from './provider';
import { CardTerminalProvider } from './providers/card-terminal';
import { CashProvider } from './providers/cash';
import type { PaymentRuntime } from './service';

export interface PaymentSetup {
  runtime: PaymentRuntime;
  /** The sandbox terminals by till (empty when real terminals are configured). */
  sandboxTerminals: ReadonlyMap<string, CardTerminalEmulator>;
  close(): Promise<void>;
}

export interface PaymentOptions {
  sandbox: boolean;
  /** till id → terminal URL, for real terminals. */
  terminals: Readonly<Record<string, string>>;
  paymentTimeoutMs: number;
  requestTimeoutMs: number;
  /** Time a sandbox terminal takes for card and PIN (the demo waits a moment; tests do not). */
  sandboxProcessingMs: number;
}

export function terminalsFromEnv(text: string | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const [till, url] = pair.split('=').map((x) => x.trim());
    if (till && url) map[till] = url;
  }
  return map;
}

export async function setUpPayments(ctx: Ctx, options: PaymentOptions): Promise<PaymentSetup> {
  const sandboxTerminals = new Map<string, CardTerminalEmulator>();
  const urls = new Map(Object.entries(options.terminals));
  if (options.sandbox) {
    const tills = await ctx.db.kysely
      .selectFrom('tills')
      .select(['id', 'code', 'store_id'])
      .orderBy('id')
      .execute();
    for (const till of tills) {
      const terminal = new CardTerminalEmulator({
        poiId: `POI-${till.id}`.slice(0, 30),
        clock: ctx.clock,
        processingMs: options.sandboxProcessingMs,
      });
      urls.set(till.id, await terminal.listen());
      sandboxTerminals.set(till.id, terminal);
    }
  }
  const cards = new Map<string, PaymentProvider>();
  for (const [tillId, url] of urls)
    cards.set(
      tillId,
      new CardTerminalProvider(
        {
          url,
          poiId: sandboxTerminals.get(tillId)?.poiId ?? `POI-${tillId}`,
          paymentTimeoutMs: options.paymentTimeoutMs,
          requestTimeoutMs: options.requestTimeoutMs,
        },
        ctx.clock,
      ),
    );
  const cash = new CashProvider();
  return {
    runtime: {
      providerFor: (tillId: string, tender: Tender) =>
        tender === 'card' ? (cards.get(tillId) ?? null) : tender === 'cash' ? cash : null,
    },
    sandboxTerminals,
    close: async () => {
      await Promise.all([...sandboxTerminals.values()].map((t) => t.close()));
    },
  };
}
