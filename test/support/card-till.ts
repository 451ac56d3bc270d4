/**
 * What the card and wallet tests start from: a real store server on a fresh database, a cashier signed in at
 * its first till, that till's sandbox terminal, an item to sell, and the steps the tests take —
 * open a sale with the item, charge the card and wait for the drive, read things back, let time
 * pass on the store's manual clock.
 */
import { expect } from 'vitest';
import type { AttemptView } from '../../src/payments/attempt-view';
import type { SaleView } from '../../src/sales';
import type { CardTerminalEmulator } from '../../src/sandbox/card-terminal';
import { type ApiClient, apiClient, startTestStore, type TestStore } from './store-server';

export const CARD_TILL = 'till_sh01_1';

export interface CardTill {
  store: TestStore;
  /** The cashier at the till. */
  api: ApiClient;
  terminal: CardTerminalEmulator;
  barcode: string;
  saleWithItem(): Promise<SaleView>;
  /** Charges the card (202, saved before anything is sent) and waits for the drive to end. */
  chargeCard(sale: SaleView, amountFen?: number): Promise<AttemptView>;
  /** The same with a QR wallet's payment code, as the scanner types it. */
  chargeWallet(sale: SaleView, paymentCode: string, amountFen?: number): Promise<AttemptView>;
  attemptNow(id: string): Promise<AttemptView>;
  saleNow(id: string): Promise<SaleView>;
  /** The scheduler's next pass, after `ms` of (manual) time. */
  later(ms: number): Promise<void>;
}

export async function cardTill(dialect: 'sqlite' | 'postgres'): Promise<CardTill> {
  const store = await startTestStore(dialect);
  const api = apiClient(store.url);
  await api.signInAtTill('SH01-C1', CARD_TILL);
  const terminal = store.payments.sandboxTerminals.get(CARD_TILL)!;
  const found = await api.get<{ variants: { barcode: string }[] }>(
    '/api/stores/store_sh01/variants?q=KN-301',
  );
  const barcode = found.body.variants[0]!.barcode;
  const attemptNow = async (id: string) => (await api.get<AttemptView>(`/api/attempts/${id}`)).body;
  return {
    store,
    api,
    terminal,
    barcode,
    saleWithItem: async () => {
      const sale = (await api.post<SaleView>('/api/stores/store_sh01/sales', { tillId: CARD_TILL })).body;
      return (await api.post<SaleView>(`/api/sales/${sale.id}/lines`, { barcode })).body;
    },
    chargeCard: async (sale, amountFen = sale.dueFen) => {
      const started = await api.post<AttemptView>(`/api/sales/${sale.id}/payments/card`, { amountFen });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      expect(started.body.status).toBe('created');
      await store.payments.scheduler.idle();
      return attemptNow(started.body.id);
    },
    chargeWallet: async (sale, paymentCode, amountFen = sale.dueFen) => {
      const started = await api.post<AttemptView>(`/api/sales/${sale.id}/payments/wallet`, {
        amountFen,
        paymentCode,
      });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      await store.payments.scheduler.idle();
      return attemptNow(started.body.id);
    },
    attemptNow,
    saleNow: async (id) => (await api.get<SaleView>(`/api/sales/${id}`)).body,
    later: async (ms) => {
      store.clock.advance(ms);
      await store.payments.scheduler.tick();
      await store.payments.scheduler.idle();
    },
  };
}
