/**
 * WeChat Pay barcode payments through the real server and the sandbox WeChat Pay (signed XML over
 * HTTP): paid at once; the customer entering the password, then paid; never confirmed, reversed —
 * never sooner than 15 s after the charge, even when the cashier cancels — then cash; declines with
 * what to do; a refund through WeChat; and what the wallet must never be able to do: a forged
 * signature, another amount, a code that is no wallet's. The sandbox's ledger and the sale agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptView } from '../../src/payments/attempt-view';
import type { SaleView } from '../../src/sales';
import type { WechatPayEmulator } from '../../src/sandbox/wechat-pay';
import { type CardTill, cardTill } from '../support/card-till';
import { DIALECTS } from '../support/databases';
import type { ApiClient, TestStore } from '../support/store-server';

let codes = 0;
/** A WeChat payment code as the customer's phone shows it: 18 digits beginning 10–15. */
const wechatCode = () => `13${String(Date.now() % 1e9).padStart(9, '0')}${String(++codes).padStart(7, '0')}`;

describe.each(DIALECTS)('WeChat Pay on %s', (dialect) => {
  let bed: CardTill;
  let store: TestStore;
  let api: ApiClient;
  let wechat: WechatPayEmulator;

  beforeAll(async () => {
    bed = await cardTill(dialect);
    ({ store, api } = bed);
    wechat = store.payments.sandboxWallets.wechat!;
  });
  afterAll(async () => store?.stop());

  const pay = (sale: SaleView, code = wechatCode()) => bed.chargeWallet(sale, code);
  const saleNow = (id: string) => bed.saleNow(id);
  const attemptNow = (id: string) => bed.attemptNow(id);
  const payCash = (sale: SaleView) =>
    api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen });

  it('a scanned WeChat code pays the sale; the code never reaches the database', async () => {
    const sale = await bed.saleWithItem();
    const CODE = wechatCode();
    const attempt = await pay(sale, CODE);
    expect(attempt).toMatchObject({
      tender: 'wechat',
      status: 'succeeded',
      code: 'SUCCESS',
      brand: 'WeChat Pay',
    });
    expect(attempt.merchantOrderNo.length).toBeLessThanOrEqual(32);
    expect((await saleNow(sale.id)).status).toBe('completed');
    expect(wechat.moneyMoved(attempt.merchantOrderNo)).toBe(sale.totalFen);
    // The code was never written to the attempt: its row holds nothing of it.
    const row = await store.ctx.db.kysely
      .selectFrom('payment_attempts')
      .selectAll()
      .where('id', '=', attempt.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(CODE);
  });

  it('the customer enters the password: waiting for the customer, queried on WeChat’s schedule, then paid', async () => {
    const sale = await bed.saleWithItem();
    wechat.script([{ kind: 'user_paying', ms: 8_000 }]);
    const attempt = await pay(sale);
    expect(attempt).toMatchObject({
      status: 'unknown',
      code: 'USERPAYING',
      category: 'customer_still_paying',
    });
    expect(attempt.guidance?.tellCustomer).toContain('confirm on the phone');
    expect(
      (await api.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen })).body,
    ).toMatchObject({
      code: 'payment_in_progress',
    });
    await bed.later(5_000); // first query: still paying
    expect((await attemptNow(attempt.id)).status).toBe('unknown');
    await bed.later(5_000); // second query: paid
    expect((await attemptNow(attempt.id)).status).toBe('succeeded');
    expect((await saleNow(sale.id)).status).toBe('completed');
    expect(wechat.moneyMoved(attempt.merchantOrderNo)).toBe(sale.totalFen);
  });

  it('never confirmed: reversed at the deadline, never before 15 s even when the cashier cancels; then cash', async () => {
    const sale = await bed.saleWithItem();
    wechat.script([{ kind: 'user_paying' }]); // the customer never finishes
    const attempt = await pay(sale);
    expect(attempt.status).toBe('unknown');
    await bed.later(2_000);
    expect((await api.post(`/api/attempts/${attempt.id}/cancel`)).status).toBe(202);
    await bed.later(5_000); // 7 s after the charge: asked, not reversed
    expect((await attemptNow(attempt.id)).status).toBe('unknown');
    await bed.later(8_000); // 15 s: reversed now, not at 30 s
    await bed.later(0);
    const reversed = await attemptNow(attempt.id);
    expect(reversed.status).toBe('reversed');
    const sentAt = Date.parse(reversed.history.find((h) => h.to === 'in_flight')!.at);
    const reversingAt = Date.parse(reversed.history.find((h) => h.to === 'reversing')!.at);
    expect(reversingAt - sentAt).toBeGreaterThanOrEqual(15_000);
    expect(reversed.history.map((h) => h.event)).toContain('cancel_requested');
    expect(wechat.moneyMoved(attempt.merchantOrderNo)).toBe(0);
    expect((await payCash(sale)).body.status).toBe('completed');
  });

  it('a reverse WeChat asks to repeat (recall=Y) is repeated until acknowledged', async () => {
    const sale = await bed.saleWithItem();
    wechat.script([{ kind: 'user_paying' }, { kind: 'recall', times: 2 }]);
    const attempt = await pay(sale);
    for (let i = 0; i < 12 && (await attemptNow(attempt.id)).status !== 'reversed'; i++)
      await bed.later(5_000);
    const reversed = await attemptNow(attempt.id);
    expect(reversed.status).toBe('reversed');
    // Two reverses answered "call again", the third acknowledged.
    expect(reversed.history.filter((h) => h.from === 'reversing').map((h) => h.to)).toEqual([
      'reversing',
      'reversing',
      'reversed',
    ]);
    expect(wechat.moneyMoved(attempt.merchantOrderNo)).toBe(0);
    await payCash(sale);
  });

  it('declines say what to do: balance — another way to pay; an expired code — refresh and rescan', async () => {
    const sale = await bed.saleWithItem();
    // Scripted the way a drill or a tester does it: through the sandbox's control API.
    const scripted = await fetch(`${wechat.url}/control/script`, {
      method: 'POST',
      body: JSON.stringify({ faults: [{ kind: 'decline', errCode: 'NOTENOUGH' }] }),
    });
    expect(scripted.status).toBe(200);
    expect((await fetch(`${wechat.url}/control/script`, { method: 'POST', body: '{' })).status).toBe(400);
    const broke = await pay(sale);
    expect(broke).toMatchObject({ status: 'failed', code: 'NOTENOUGH', category: 'insufficient_funds' });
    wechat.script([{ kind: 'decline', errCode: 'AUTHCODEEXPIRE' }]);
    const expired = await pay(sale);
    expect(expired).toMatchObject({ status: 'failed', category: 'wallet_code_invalid' });
    expect(expired.guidance?.doNext).toContain('refresh the code');
    expect(expired.merchantOrderNo).not.toBe(broke.merchantOrderNo);
    const third = await pay(sale);
    expect(third.status).toBe('succeeded');
    expect([broke, expired, third].reduce((sum, a) => sum + wechat.moneyMoved(a.merchantOrderNo), 0)).toBe(
      sale.totalFen,
    );
  });

  it('a system error with the money moved is asked about at once, and found paid', async () => {
    const sale = await bed.saleWithItem();
    wechat.script([{ kind: 'system_error', moneyMoved: true }]);
    const attempt = await pay(sale);
    expect(attempt).toMatchObject({ status: 'unknown', code: 'SYSTEMERROR' });
    await bed.later(0); // due at once, not in 5 s
    expect((await attemptNow(attempt.id)).status).toBe('succeeded');
  });

  it('a forged signature or another amount is never a payment; a code that is no wallet’s is refused before anything is saved', async () => {
    const sale = await bed.saleWithItem();
    wechat.script([{ kind: 'bad_signature' }]);
    const forged = await pay(sale);
    expect(forged.status).toBe('unknown'); // the money may have moved: asked, properly signed
    await bed.later(5_000);
    expect((await attemptNow(forged.id)).status).toBe('succeeded');

    const other = await bed.saleWithItem();
    wechat.script([{ kind: 'wrong_amount' }]);
    const wrong = await pay(other);
    expect(wrong.status).toBe('unknown');
    for (let i = 0; i < 8; i++) await bed.later(5_000);
    const undone = await attemptNow(wrong.id);
    expect(undone.status).toBe('reversed');
    expect(wechat.moneyMoved(wrong.merchantOrderNo)).toBe(0);
    expect((await saleNow(other.id)).payments).toEqual([]);

    for (const code of ['6901230000010', '6222021000112214', '161234567890123456', 'abc'])
      expect(
        (await api.post(`/api/sales/${other.id}/payments/wallet`, { amountFen: 100, paymentCode: code }))
          .body,
      ).toMatchObject({
        code: 'wallet_code_unknown',
      });
    expect(
      (await api.get<{ attempts: AttemptView[] }>(`/api/sales/${other.id}/attempts`)).body.attempts,
    ).toHaveLength(1);
    await payCash(other);
  });

  it('voiding a WeChat-paid sale refunds it through WeChat Pay, once', async () => {
    const sale = await bed.saleWithItem();
    const paid = await pay(sale);
    const grant = await api.post<{ id: string }>('/api/approvals', {
      action: 'void_after_payment',
      saleId: sale.id,
      reason: 'returned',
      approver: { staffCode: 'SH01-M1', pin: '4826' },
    });
    expect(
      (
        await api.post<SaleView>(`/api/sales/${sale.id}/void`, {
          reason: 'returned',
          approvalId: grant.body.id,
        })
      ).body.status,
    ).toBe('voided');
    await store.payments.scheduler.idle();
    const attempts = (await api.get<{ attempts: AttemptView[] }>(`/api/sales/${sale.id}/attempts`)).body
      .attempts;
    expect(attempts.map((a) => [a.tender, a.status])).toEqual([
      ['wechat', 'succeeded'],
      ['wechat', 'succeeded'],
    ]);
    expect(wechat.moneyMoved(paid.merchantOrderNo)).toBe(0);
    expect(wechat.refunded(attempts[1]!.merchantOrderNo)).toBe(sale.totalFen);
    expect((await saleNow(sale.id)).payments.reduce((sum, p) => sum + p.amountFen, 0)).toBe(0);
  });

  it('the bill for the day is WeChat’s backtick text: the ALL header, our orders, the refund, the summary', async () => {
    const day = new Date(store.clock.now().getTime() + 8 * 3_600_000)
      .toISOString()
      .slice(0, 10)
      .replaceAll('-', '');
    const lines = wechat.billFor(day, 'ALL').trimEnd().split('\r\n');
    expect(lines[0]!.split(',')).toHaveLength(27);
    expect(lines[0]).toMatch(/^交易时间,公众账号ID,商户号,/);
    const rows = lines.slice(1, -2);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.split(',').every((cell) => cell.startsWith('`'))).toBe(true);
      expect(row.split(',')).toHaveLength(27);
    }
    expect(rows.some((r) => r.includes('`REFUND'))).toBe(true);
    expect(lines.at(-2)).toBe(
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
    );
    expect(lines.at(-1)!.split(',')[0]).toBe(`\`${rows.length}`);
    const success = wechat.billFor(day, 'SUCCESS').split('\r\n');
    expect(success[0]!.split(',')).toHaveLength(20);
  });
});
