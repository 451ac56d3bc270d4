/**
 * Which provider serves which till. `TILLSAFE_TERMINALS` names real terminals
 * (`till_sh01_1=http://192.168.1.50:8080,…`) and configured wallet merchants are real; with the
 * sandbox on (the demo, tests, training) every till and wallet left without a real one gets a
 * sandbox, started here on the loopback. A configured real provider always wins: a sandbox that
 * approves by itself must never stand in for a terminal that should have taken the money.
 */

import { randomBytes } from 'node:crypto';
import type { Ctx } from '../context';
import type { PaymentProvider, PaymentRuntime, Tender } from '../payments';
import {
  type AlipayConfig,
  AlipayProvider,
  CardTerminalProvider,
  CashProvider,
  type WechatPayConfig,
  WechatPayProvider,
} from '../payments';
import { AlipayEmulator, CardTerminalEmulator, sandboxAlipayKeys, WechatPayEmulator } from '../sandbox';
import { tillsOf } from '../stores';

export interface PaymentSetup {
  runtime: PaymentRuntime;
  /** The sandbox terminals by till (empty when real terminals are configured). */
  sandboxTerminals: ReadonlyMap<string, CardTerminalEmulator>;
  /** The sandbox wallets (absent when real ones are configured). */
  sandboxWallets: { wechat: WechatPayEmulator | null; alipay: AlipayEmulator | null };
  /** Which provider serves each till and wallet, real or sandbox: the start-up banner says so. */
  serving: ProvidersServing;
  /** A payment code from a sandbox wallet, as the customer's phone shows one; null where that wallet is real. */
  sandboxPaymentCode(wallet: 'alipay' | 'wechat'): string | null;
  /**
   * Once the store server listens: where providers post their notices
   * (`…/api/tills/{till}/notifications/{tender}`) — sandboxes on this machine at `local`, a real
   * wallet at the store's `public` address.
   */
  listeningAt(at: { local: string; public: string }): void;
  close(): Promise<void>;
}

export type ProviderKind = 'real' | 'sandbox' | 'none';
export interface ProvidersServing {
  cards: { tillId: string; kind: ProviderKind; url: string | null }[];
  wechat: ProviderKind;
  alipay: ProviderKind;
}

/** The start-up banner's lines: per till and wallet, real or sandbox (a sandbox moves no money). */
export function servingLines(serving: ProvidersServing): string[] {
  const word = (k: ProviderKind) =>
    k === 'real' ? 'REAL' : k === 'sandbox' ? 'SANDBOX (no money moves)' : 'not configured';
  return [
    ...serving.cards.map((c) => `Card terminal of ${c.tillId}: ${word(c.kind)}${c.url ? ` ${c.url}` : ''}`),
    `WeChat Pay: ${word(serving.wechat)}`,
    `Alipay: ${word(serving.alipay)}`,
  ];
}

export const SANDBOX_ALIPAY_APP_ID = '2021000000000001';

/** The sandbox merchant: its own ids, and an API key made fresh for each run. */
export const SANDBOX_WECHAT = { appId: 'wx0sandbox0tillsafe', mchId: '1900000109' } as const;

export interface PaymentOptions {
  sandbox: boolean;
  /** till id → terminal URL, for real terminals. */
  terminals: Readonly<Record<string, string>>;
  paymentTimeoutMs: number;
  requestTimeoutMs: number;
  /** Time a sandbox terminal takes for card and PIN (the demo waits a moment; tests do not). */
  sandboxProcessingMs: number;
  /** The store's WeChat Pay merchant, for real; without it (and without the sandbox) no WeChat Pay. */
  wechat?: WechatPayConfig | null;
  /** The store's Alipay app, for real (its notify URL is the store server's own). */
  alipay?: Omit<AlipayConfig, 'notifyUrlFor'> | null;
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
  const tills = await tillsOf(ctx.db.kysely, null);
  if (options.sandbox) {
    // Only the tills no real terminal is configured for.
    for (const till of tills.filter((t) => !urls.has(t.id))) {
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
  // WeChat Pay: one merchant for the store server (the till goes along as `device_info`).
  let wechatSandbox: WechatPayEmulator | null = null;
  let wechatConfig = options.wechat ?? null;
  if (!wechatConfig && options.sandbox) {
    const apiKey = randomBytes(16).toString('hex');
    wechatSandbox = new WechatPayEmulator({ ...SANDBOX_WECHAT, apiKey, clock: ctx.clock });
    wechatConfig = {
      gateway: await wechatSandbox.listen(),
      ...SANDBOX_WECHAT,
      apiKey,
      signType: 'HMAC-SHA256',
      clientIp: '127.0.0.1',
      payTimeoutMs: options.paymentTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs,
    };
  }
  const wechat = wechatConfig ? new WechatPayProvider(wechatConfig) : null;
  // Alipay: one app for the store server; it posts each payment's notification to that till's route.
  let alipaySandbox: AlipayEmulator | null = null;
  let alipayConfig = options.alipay ?? null;
  if (!alipayConfig && options.sandbox) {
    const keys = sandboxAlipayKeys();
    alipaySandbox = new AlipayEmulator({ appId: SANDBOX_ALIPAY_APP_ID, keys, clock: ctx.clock });
    await alipaySandbox.listen();
    alipayConfig = {
      gateway: alipaySandbox.gateway,
      appId: SANDBOX_ALIPAY_APP_ID,
      privateKey: keys.appPrivateKey,
      alipayPublicKey: keys.alipayPublicKey,
      timeoutMs: options.paymentTimeoutMs,
    };
  }
  let noticesAt: string | null = null;
  const alipay = alipayConfig
    ? new AlipayProvider({
        ...alipayConfig,
        notifyUrlFor: (tillId) =>
          noticesAt ? `${noticesAt}/api/tills/${encodeURIComponent(tillId)}/notifications/alipay` : null,
      })
    : null;
  const providers: Partial<Record<Tender, PaymentProvider | null>> = { cash, wechat, alipay };
  const walletKind = (real: unknown, sandbox: unknown): ProviderKind =>
    real ? 'real' : sandbox ? 'sandbox' : 'none';
  const cardKind = (tillId: string): ProviderKind =>
    sandboxTerminals.has(tillId) ? 'sandbox' : cards.has(tillId) ? 'real' : 'none';
  const serving: ProvidersServing = {
    cards: [...new Set([...tills.map((t) => t.id), ...urls.keys()])].map((tillId) => ({
      tillId,
      kind: cardKind(tillId),
      url: urls.get(tillId) ?? null,
    })),
    wechat: walletKind(options.wechat, wechatSandbox),
    alipay: walletKind(options.alipay, alipaySandbox),
  };
  return {
    runtime: {
      providerFor: (tillId: string, tender: Tender) =>
        tender === 'card' ? (cards.get(tillId) ?? null) : (providers[tender] ?? null),
      isSandbox: (tillId: string, tender: Tender) =>
        tender === 'card'
          ? sandboxTerminals.has(tillId)
          : tender === 'wechat'
            ? wechatSandbox !== null
            : tender === 'alipay' && alipaySandbox !== null,
    },
    serving,
    sandboxTerminals,
    sandboxWallets: { wechat: wechatSandbox, alipay: alipaySandbox },
    sandboxPaymentCode: (wallet) => {
      if (wallet === 'alipay' ? !alipaySandbox : !wechatSandbox) return null;
      const digits = Array.from(randomBytes(16), (b) => String(b % 10)).join('');
      // Alipay: 16–24 digits beginning 25–30; WeChat Pay: 18 digits beginning 10–15 (docs/providers.md, "Payment codes").
      return wallet === 'alipay' ? `28${digits}` : `13${digits}`;
    },
    listeningAt: (at) => {
      noticesAt = alipaySandbox ? at.local : at.public;
      for (const [tillId, terminal] of sandboxTerminals)
        terminal.notifyTo(`${at.local}/api/tills/${encodeURIComponent(tillId)}/notifications/card`);
    },
    close: async () => {
      await Promise.all([...sandboxTerminals.values()].map((t) => t.close()));
      await wechatSandbox?.close();
      await alipaySandbox?.close();
    },
  };
}
