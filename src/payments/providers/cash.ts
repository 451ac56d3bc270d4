/**
 * Cash as a provider: the drawer takes the money at once and gives it back on a reversal. It
 * passes the same contract as the card terminal and the wallets, so a split of cash and card
 * goes through one orchestrator. It never loses an answer: cash has no network.
 */
import type {
  AttemptRef,
  ChargeRequest,
  PayAnswer,
  PaymentProvider,
  QueryAnswer,
  RefundRequest,
  ReverseAnswer,
} from '../provider';

export class CashProvider implements PaymentProvider {
  readonly tender = 'cash' as const;
  /** What the drawer took per order number (this process; the sale's payment rows are the record). */
  private readonly taken = new Map<string, { amountFen: number; reversed: boolean }>();

  async health(): Promise<'ok'> {
    return 'ok';
  }

  async pay(request: ChargeRequest): Promise<PayAnswer> {
    if (!this.taken.has(request.merchantOrderNo))
      this.taken.set(request.merchantOrderNo, { amountFen: request.amountFen, reversed: false });
    return this.answer(request.merchantOrderNo);
  }

  async query(ref: AttemptRef): Promise<QueryAnswer> {
    return this.taken.has(ref.merchantOrderNo) ? this.answer(ref.merchantOrderNo) : { outcome: 'not_found' };
  }

  async reverse(ref: AttemptRef): Promise<ReverseAnswer> {
    const entry = this.taken.get(ref.merchantOrderNo);
    if (!entry) return { outcome: 'not_found' };
    entry.reversed = true;
    return { outcome: 'reversed' };
  }

  async abort(): Promise<void> {}

  async refund(request: RefundRequest): Promise<PayAnswer> {
    const original = this.taken.get(request.original.merchantOrderNo);
    if (!original || original.reversed || request.amountFen > original.amountFen)
      return { outcome: 'failed', code: null, category: 'terminal_fault', providerRef: null };
    original.amountFen -= request.amountFen;
    return {
      outcome: 'paid',
      amountFen: request.amountFen,
      code: null,
      providerRef: request.merchantOrderNo,
      maskedPan: null,
      brand: null,
      slip: {},
    };
  }

  moneyMoved(merchantOrderNo: string): number {
    const entry = this.taken.get(merchantOrderNo);
    return entry && !entry.reversed ? entry.amountFen : 0;
  }

  private answer(merchantOrderNo: string): PayAnswer {
    const entry = this.taken.get(merchantOrderNo)!;
    if (entry.reversed)
      return { outcome: 'failed', code: null, category: 'customer_cancelled', providerRef: merchantOrderNo };
    return {
      outcome: 'paid',
      amountFen: entry.amountFen,
      code: null,
      providerRef: merchantOrderNo,
      maskedPan: null,
      brand: null,
      slip: {},
    };
  }
}
