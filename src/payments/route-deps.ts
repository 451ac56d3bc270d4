/** What the routes that take or give back money need beyond the HTTP layer: the providers and the scheduler. */
import type { RouteDeps } from '../http';
import type { PaymentRuntime } from './drive';
import type { PaymentScheduler } from './scheduler';

export interface PaymentWiring {
  runtime: PaymentRuntime;
  scheduler: PaymentScheduler;
  /**
   * The sandbox wallets only: a payment code as the customer's phone would show it, for the
   * pay-later page (a real wallet pays that page through its own checkout, not built yet).
   */
  sandboxPaymentCode?: ((wallet: 'alipay' | 'wechat') => string) | undefined;
}

/** Absent `payments`: no card or wallet tenders. */
export type PaymentRouteDeps = RouteDeps & { payments?: PaymentWiring | undefined };
