/**
 * A fake provider in memory, with the same faults as the sandboxes and no network: the
 * deterministic simulation drives the orchestrator against it, and it passes the provider
 * contract like the real adapters. Its ledger says what money "moved".
 */
import type { HintClaim } from '../attempt-model';
import type { FailureCategory } from '../failure-taxonomy';
import type {
  AttemptRef,
  ChargeRequest,
  PayAnswer,
  PaymentProvider,
  ProviderNotice,
  QueryAnswer,
  RefundRequest,
  ReverseAnswer,
} from '../provider';

export type FakeFault =
  | { kind: 'decline'; category: FailureCategory; code: string }
  | { kind: 'lose_answer_after_money' }
  | { kind: 'lose_answer_before_money' }
  | { kind: 'in_progress'; queries: number }
  | { kind: 'offline'; requests: number }
  /** The money moves, the answer is lost, and the provider sends it later as a notice (see `takeNotices`). */
  | { kind: 'answer_later' };

/** The fake's notice on the wire: what a provider's notification carries, in the plainest form. */
export interface FakeNotice {
  fakeNotice: { merchantOrderNo: string; claim: HintClaim; amountFen: number | null };
}

interface Trade {
  amountFen: number;
  status: 'paid' | 'failed' | 'reversed' | 'in_progress';
  queriesLeft: number;
  category: FailureCategory | null;
  code: string | null;
}

const approved = (amountFen: number): Trade => ({
  amountFen,
  status: 'paid',
  queriesLeft: 0,
  category: null,
  code: '00',
});

export class FakeProvider implements PaymentProvider {
  readonly tender: 'card' | 'alipay' | 'wechat';
  private readonly trades = new Map<string, Trade>();
  private faults: FakeFault[] = [];
  private offlineFor = 0;
  private outbox: FakeNotice[] = [];

  constructor(tender: 'card' | 'alipay' | 'wechat' = 'card') {
    this.tender = tender;
  }

  script(faults: readonly FakeFault[]): void {
    for (const f of faults) {
      if (f.kind === 'offline') this.offlineFor += f.requests;
      else this.faults.push(f);
    }
  }

  moneyMoved(merchantOrderNo: string): number {
    const trade = this.trades.get(merchantOrderNo);
    return trade?.status === 'paid' ? trade.amountFen : 0;
  }

  private down(): boolean {
    if (this.offlineFor <= 0) return false;
    this.offlineFor--;
    return true;
  }

  async health(): Promise<'ok' | 'offline'> {
    return this.down() ? 'offline' : 'ok';
  }

  async pay(request: ChargeRequest): Promise<PayAnswer> {
    if (this.down()) return { outcome: 'unknown', reason: 'connection', code: null };
    const existing = this.trades.get(request.merchantOrderNo);
    if (existing) return this.read(request.merchantOrderNo, existing); // a re-send: never a second charge
    const fault = this.faults.shift();
    if (fault?.kind === 'lose_answer_before_money')
      return { outcome: 'unknown', reason: 'connection', code: null };
    const trade = approved(request.amountFen);
    this.trades.set(request.merchantOrderNo, trade);
    if (fault?.kind === 'decline')
      Object.assign(trade, { status: 'failed', category: fault.category, code: fault.code });
    if (fault?.kind === 'in_progress')
      Object.assign(trade, { status: 'in_progress', queriesLeft: fault.queries });
    if (fault?.kind === 'answer_later') this.outbox.push(this.noticeFor(request.merchantOrderNo));
    if (
      fault?.kind === 'lose_answer_after_money' ||
      fault?.kind === 'in_progress' ||
      fault?.kind === 'answer_later'
    )
      return { outcome: 'unknown', reason: 'timeout', code: null };
    return this.read(request.merchantOrderNo, trade);
  }

  /** The notices sent since the last call, oldest first (the caller delivers them, or drops them). */
  takeNotices(): FakeNotice[] {
    const sent = this.outbox;
    this.outbox = [];
    return sent;
  }

  /** A notice saying what the provider knows of an order now (or, with `claim`, what a stale copy said). */
  noticeFor(merchantOrderNo: string, claim?: HintClaim): FakeNotice {
    const trade = this.trades.get(merchantOrderNo);
    const now: HintClaim =
      trade?.status === 'paid' ? 'paid' : trade?.status === 'failed' ? 'failed' : 'pending';
    const said = claim ?? now;
    return {
      fakeNotice: {
        merchantOrderNo,
        claim: said,
        amountFen: said === 'paid' ? (trade?.amountFen ?? 0) : null,
      },
    };
  }

  readNotice(body: unknown): ProviderNotice {
    const notice = (body as Partial<FakeNotice> | null)?.fakeNotice;
    if (!notice || typeof notice.merchantOrderNo !== 'string' || notice.merchantOrderNo === '')
      return { ok: false, problem: 'not a fake notice' };
    if (!['paid', 'failed', 'pending'].includes(notice.claim)) return { ok: false, problem: 'unknown claim' };
    return {
      ok: true,
      merchantOrderNo: notice.merchantOrderNo,
      claim: notice.claim,
      amountFen: typeof notice.amountFen === 'number' ? notice.amountFen : null,
      code: null,
    };
  }

  async query(ref: AttemptRef): Promise<QueryAnswer> {
    if (this.down()) return { outcome: 'unknown', reason: 'connection', code: null };
    const trade = this.trades.get(ref.merchantOrderNo);
    if (!trade) return { outcome: 'not_found' };
    if (trade.status === 'in_progress') {
      if (trade.queriesLeft > 0) {
        trade.queriesLeft--;
        return { outcome: 'unknown', reason: 'in_progress', code: null };
      }
      trade.status = 'paid';
    }
    return this.read(ref.merchantOrderNo, trade);
  }

  async reverse(ref: AttemptRef): Promise<ReverseAnswer> {
    if (this.down()) return { outcome: 'unknown', reason: 'connection' };
    const trade = this.trades.get(ref.merchantOrderNo);
    if (!trade) return { outcome: 'not_found' };
    if (trade.status === 'paid' || trade.status === 'in_progress') trade.status = 'reversed';
    return { outcome: 'reversed' };
  }

  async refund(request: RefundRequest): Promise<PayAnswer> {
    if (this.down()) return { outcome: 'unknown', reason: 'connection', code: null };
    const existing = this.trades.get(request.merchantOrderNo);
    if (existing) return this.read(request.merchantOrderNo, existing);
    const original = this.trades.get(request.original.merchantOrderNo);
    const refundable = original?.status === 'paid' ? original.amountFen : 0;
    const trade = approved(request.amountFen);
    if (request.amountFen > refundable)
      Object.assign(trade, { status: 'failed', category: 'terminal_fault', code: '13' });
    else if (original) original.amountFen -= request.amountFen;
    this.trades.set(request.merchantOrderNo, trade);
    return this.read(request.merchantOrderNo, trade);
  }

  async abort(ref: AttemptRef): Promise<void> {
    const trade = this.trades.get(ref.merchantOrderNo);
    if (trade?.status === 'in_progress')
      Object.assign(trade, { status: 'failed', category: 'customer_cancelled', code: null });
  }

  private read(merchantOrderNo: string, trade: Trade): PayAnswer {
    if (trade.status === 'paid')
      return {
        outcome: 'paid',
        amountFen: trade.amountFen,
        code: trade.code,
        providerRef: `fake-${merchantOrderNo}`,
        maskedPan: null,
        brand: null,
        slip: {},
      };
    if (trade.status === 'in_progress') return { outcome: 'unknown', reason: 'in_progress', code: null };
    return {
      outcome: 'failed',
      code: trade.code,
      category: trade.status === 'reversed' ? 'customer_cancelled' : (trade.category ?? 'unknown'),
      providerRef: `fake-${merchantOrderNo}`,
    };
  }
}
