/**
 * The provider contract suite: the same tests for every tender adapter (cash, the card terminal,
 * the fake — and the wallets next). A harness gives the provider and, where the provider can
 * fail that way, a way to make it fail; each test says what must be true of the answers and of
 * the money the provider's own ledger says moved.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChargeRequest, PaymentProvider } from '../../src/payments/provider';
import { type Coverage, itWithFault } from './fault-coverage';

/** Faults every sandbox can play; a harness lists the ones its provider has. */
export type ContractFault =
  | 'decline_insufficient_funds'
  | 'lose_answer_after_money'
  | 'lose_answer_before_money'
  | 'in_progress'
  | 'offline'
  /** The answer is lost on the way, and the provider sends it later, unasked, as a notice. */
  | 'answer_later'
  /** A refund's answer is lost and the same refund (its own number) is sent again. */
  | 'refund_resent';

/** Per fault: `true` when the harness plays it, else why the provider cannot fail that way. */
export type FaultCoverage = Coverage<ContractFault>;
export type ScriptedFault = Exclude<ContractFault, 'refund_resent'>;

export interface ContractHarness {
  provider: PaymentProvider;
  tillId: string;
  /** Plays a fault on the next request (a refund sent again is the test's own doing: nothing to play). */
  script(fault: ScriptedFault): Promise<void>;
  moneyMoved(merchantOrderNo: string): Promise<number>;
  /** A QR wallet's payment code for the next charge (wallets only). */
  paymentCode?(): string;
  /** What the provider sent unasked so far (for providers that send notices). */
  notices?(): Promise<unknown[]>;
  close(): Promise<void>;
}

let n = 0;
function charge(h: ContractHarness, amountFen = 29_900): ChargeRequest {
  n++;
  return {
    // ≤ 32 characters: the shortest limit of any provider (WeChat Pay's out_trade_no).
    merchantOrderNo: `T${process.pid}${Date.now().toString(36)}N${n}`.slice(0, 32),
    tillId: h.tillId,
    requestId: `S${String(n).padStart(6, '0')}`,
    amountFen,
    currency: 'CNY',
    ...(h.paymentCode ? { paymentCode: h.paymentCode() } : {}),
  };
}
const ref = (c: ChargeRequest, providerRef: string | null = null) => ({ ...c, providerRef });

/**
 * Declares the suite. A test of a fault the provider cannot have is reported skipped, with the
 * reason its harness gives; every fault must be played or given a reason.
 */
export function describeProviderContract(
  name: string,
  coverage: FaultCoverage,
  setUp: () => Promise<ContractHarness>,
): void {
  describe(`the provider contract: ${name}`, () => {
    const withHarness = (fn: (h: ContractHarness) => Promise<void>) => async () => {
      const h = await setUp();
      try {
        await fn(h);
      } finally {
        await h.close();
      }
    };
    const itWith = itWithFault(coverage);

    it(
      'charges the amount asked, once; a query says paid; the ledger moved exactly that',
      withHarness(async (h) => {
        expect(await h.provider.health(h.tillId)).toBe('ok');
        const c = charge(h, 12_345);
        const paid = await h.provider.pay(c);
        expect(paid).toMatchObject({ outcome: 'paid', amountFen: 12_345 });
        if (paid.outcome === 'paid' && paid.maskedPan) expect(paid.maskedPan).toMatch(/\*{4,}/);
        expect(await h.provider.query(ref(c))).toMatchObject({ outcome: 'paid', amountFen: 12_345 });
        expect(await h.moneyMoved(c.merchantOrderNo)).toBe(12_345);
      }),
    );

    it(
      'a query for an order never sent says not found',
      withHarness(async (h) => {
        expect(await h.provider.query(ref(charge(h)))).toEqual({ outcome: 'not_found' });
      }),
    );

    it(
      'a reversal gives the money back, and a second reversal changes nothing',
      withHarness(async (h) => {
        const c = charge(h);
        const paid = await h.provider.pay(c);
        const providerRef = paid.outcome === 'paid' ? paid.providerRef : null;
        expect(await h.provider.reverse(ref(c, providerRef))).toEqual({ outcome: 'reversed' });
        expect(await h.moneyMoved(c.merchantOrderNo)).toBe(0);
        expect(['reversed', 'not_found']).toContain((await h.provider.reverse(ref(c, providerRef))).outcome);
        expect(await h.moneyMoved(c.merchantOrderNo)).toBe(0);
      }),
    );

    it(
      'a refund gives money back from a paid charge, and never more than was paid',
      withHarness(async (h) => {
        const c = charge(h, 10_000);
        const paid = await h.provider.pay(c);
        const original = ref(c, paid.outcome === 'paid' ? paid.providerRef : null);
        const part = { ...charge(h, 4_000), original, originalAmountFen: 10_000 };
        expect(await h.provider.refund(part)).toMatchObject({ outcome: 'paid', amountFen: 4_000 });
        expect(await h.moneyMoved(c.merchantOrderNo)).toBe(6_000);
        const tooMuch = { ...charge(h, 7_000), original, originalAmountFen: 10_000 };
        expect((await h.provider.refund(tooMuch)).outcome).toBe('failed');
        expect(await h.moneyMoved(c.merchantOrderNo)).toBe(6_000);
      }),
    );

    it(
      'partial refunds of one payment each go under their own number, and together never beyond it',
      withHarness(async (h) => {
        const c = charge(h, 10_000);
        const paid = await h.provider.pay(c);
        const original = ref(c, paid.outcome === 'paid' ? paid.providerRef : null);
        // Each refund is its own attempt with its own merchant order number: Alipay's out_request_no,
        // WeChat Pay's out_refund_no, the terminal's transaction id.
        const first = { ...charge(h, 3_000), original, originalAmountFen: 10_000 };
        const second = { ...charge(h, 3_000), original, originalAmountFen: 10_000 };
        expect(first.merchantOrderNo).not.toBe(second.merchantOrderNo);
        expect(await h.provider.refund(first)).toMatchObject({ outcome: 'paid', amountFen: 3_000 });
        expect(await h.provider.refund(second)).toMatchObject({ outcome: 'paid', amountFen: 3_000 });
        expect(await h.moneyMoved(c.merchantOrderNo)).toBe(4_000);
        const rest = { ...charge(h, 4_001), original, originalAmountFen: 10_000 };
        expect((await h.provider.refund(rest)).outcome).toBe('failed');
        expect(await h.moneyMoved(c.merchantOrderNo)).toBe(4_000);
      }),
    );

    itWith(
      'refund_resent',
      'the same refund sent again (its answer lost) gives the money back once',
      withHarness(async (h) => {
        const c = charge(h, 10_000);
        const paid = await h.provider.pay(c);
        const original = ref(c, paid.outcome === 'paid' ? paid.providerRef : null);
        const refund = { ...charge(h, 2_500), original, originalAmountFen: 10_000 };
        await h.provider.refund(refund);
        expect((await h.provider.refund(refund)).outcome).not.toBe('failed');
        expect(await h.moneyMoved(c.merchantOrderNo)).toBe(7_500);
      }),
    );

    it(
      'sending the same attempt again never takes the money twice',
      withHarness(async (h) => {
        const c = charge(h);
        await h.provider.pay(c);
        const again = await h.provider.pay({ ...c, requestId: `R${c.requestId.slice(1)}` });
        expect(again.outcome).not.toBe('failed');
        expect(await h.moneyMoved(c.merchantOrderNo)).toBe(c.amountFen);
      }),
    );

    itWith(
      'decline_insufficient_funds',
      'a decline is failed, with its category, and moves nothing',
      withHarness(async (h) => {
        await h.script('decline_insufficient_funds');
        const c = charge(h);
        expect(await h.provider.pay(c)).toMatchObject({ outcome: 'failed', category: 'insufficient_funds' });
        expect(await h.moneyMoved(c.merchantOrderNo)).toBe(0);
        expect((await h.provider.query(ref(c))).outcome).toBe('failed');
      }),
    );

    itWith(
      'lose_answer_after_money',
      'an answer lost after the money moved is unknown, never failed; the query finds it paid',
      withHarness(async (h) => {
        await h.script('lose_answer_after_money');
        const c = charge(h);
        expect((await h.provider.pay(c)).outcome).toBe('unknown');
        expect(await h.provider.query(ref(c))).toMatchObject({ outcome: 'paid', amountFen: c.amountFen });
        expect(await h.moneyMoved(c.merchantOrderNo)).toBe(c.amountFen);
      }),
    );

    itWith(
      'lose_answer_before_money',
      'an answer lost before anything happened is unknown; the query says not found, and nothing moved',
      withHarness(async (h) => {
        await h.script('lose_answer_before_money');
        const c = charge(h);
        expect((await h.provider.pay(c)).outcome).toBe('unknown');
        expect(await h.provider.query(ref(c))).toEqual({ outcome: 'not_found' });
        expect(await h.moneyMoved(c.merchantOrderNo)).toBe(0);
      }),
    );

    itWith(
      'in_progress',
      'still in progress is unknown until it is not; a reversal then leaves nothing',
      withHarness(async (h) => {
        await h.script('in_progress');
        const c = charge(h);
        expect((await h.provider.pay(c)).outcome).toBe('unknown');
        expect(await h.provider.query(ref(c))).toMatchObject({ outcome: 'unknown', reason: 'in_progress' });
        const later = await h.provider.query(ref(c));
        expect(later.outcome).toBe('paid');
        const providerRef = later.outcome === 'paid' ? later.providerRef : null;
        expect(await h.provider.reverse(ref(c, providerRef))).toEqual({ outcome: 'reversed' });
        expect(await h.moneyMoved(c.merchantOrderNo)).toBe(0);
      }),
    );

    // Providers that send notices are the ones that can send an answer later.
    itWith(
      'answer_later',
      'a notice it cannot read is refused with a reason, never thrown, never a claim',
      withHarness(async (h) => {
        const read = h.provider.readNotice?.bind(h.provider);
        expect(read, 'a provider that sends notices reads them').toBeDefined();
        if (!read) return;
        fc.assert(
          fc.property(fc.anything(), (body) => {
            const notice = read(body);
            if (!notice.ok) expect(notice.problem.length).toBeGreaterThan(0);
            else expect(typeof notice.merchantOrderNo).toBe('string');
          }),
          { numRuns: 300 },
        );
        for (const body of [null, 'paid', 42, [], {}, { SaleToPOIResponse: {} }])
          expect(read(body)).toMatchObject({ ok: false });
      }),
    );

    itWith(
      'answer_later',
      'an answer lost on the way and sent later as a notice: it names the order and claims what the query confirms',
      withHarness(async (h) => {
        await h.script('answer_later');
        const c = charge(h, 8_800);
        expect((await h.provider.pay(c)).outcome).toBe('unknown');
        const notices = (await h.notices?.()) ?? [];
        expect(notices.length).toBeGreaterThan(0);
        const read = notices.map((n) => h.provider.readNotice?.(n));
        expect(read).toContainEqual(
          expect.objectContaining({
            ok: true,
            merchantOrderNo: c.merchantOrderNo,
            claim: 'paid',
            amountFen: 8_800,
          }),
        );
        expect(await h.provider.query(ref(c))).toMatchObject({ outcome: 'paid', amountFen: 8_800 });
        expect(await h.moneyMoved(c.merchantOrderNo)).toBe(8_800);
      }),
    );

    itWith(
      'offline',
      'an unreachable provider says offline before anything is sent',
      withHarness(async (h) => {
        await h.script('offline');
        expect(await h.provider.health(h.tillId)).toBe('offline');
      }),
    );
  });
}
