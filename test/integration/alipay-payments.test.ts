/**
 * Alipay barcode payments through the real server, the official SDK and the sandbox Alipay
 * gateway (RSA2 both ways): paid at once; the customer confirming in the app, then paid; an answer
 * lost, its notification making us ask at once; duplicate and forged notifications; never
 * confirmed, cancelled at the deadline, nothing kept; a refund through Alipay; an answer signed by
 * the wrong key and a paid amount that is not ours — never a payment.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptView } from '../../src/payments/attempt-view';
import type { SaleView } from '../../src/sales';
import type { AlipayEmulator } from '../../src/sandbox/alipay';
import { type CardTill, cardTill } from '../support/card-till';
import { DIALECTS } from '../support/databases';
import type { ApiClient, TestStore } from '../support/store-server';

let codes = 0;
/** An Alipay payment code as the customer's phone shows it: 16–24 digits beginning 25–30. */
const alipayCode = () => `28${String(Date.now() % 1e8).padStart(8, '0')}${String(++codes).padStart(8, '0')}`;

describe.each(DIALECTS)('Alipay on %s', (dialect) => {
  let bed: CardTill;
  let store: TestStore;
  let api: ApiClient;
  let alipay: AlipayEmulator;

  beforeAll(async () => {
    bed = await cardTill(dialect);
    ({ store, api } = bed);
    alipay = store.payments.sandboxWallets.alipay!;
  });
  afterAll(async () => store?.stop());

  const pay = (sale: SaleView) => bed.chargeWallet(sale, alipayCode());
  const settled = async () => {
    await alipay.notificationsDelivered();
    await store.payments.scheduler.idle();
  };
  const hints = (a: AttemptView) => a.history.filter((h) => h.event === 'hint');

  it('a scanned Alipay code pays the sale, verified both ways; the notification that follows is a repeat', async () => {
    const sale = await bed.saleWithItem();
    const attempt = await pay(sale);
    expect(attempt).toMatchObject({ tender: 'alipay', status: 'succeeded', brand: 'Alipay', code: '10000' });
    expect((await bed.saleNow(sale.id)).status).toBe('completed');
    expect(alipay.moneyMoved(attempt.merchantOrderNo)).toBe(sale.totalFen);
    await settled();
    expect(hints(await bed.attemptNow(attempt.id)).map((h) => h.meaning)).toEqual(['repeat']);
  });

  it('the customer confirms in the app (10003): waiting, queried on Alipay’s schedule, then paid', async () => {
    const sale = await bed.saleWithItem();
    alipay.script([{ kind: 'wait_buyer', ms: 6_000 }]);
    const attempt = await pay(sale);
    expect(attempt).toMatchObject({ status: 'unknown', code: '10003', category: 'customer_still_paying' });
    await bed.later(3_000);
    expect((await bed.attemptNow(attempt.id)).status).toBe('unknown');
    await bed.later(4_000);
    expect((await bed.attemptNow(attempt.id)).status).toBe('succeeded');
    expect((await bed.saleNow(sale.id)).status).toBe('completed');
  });

  it('an answer lost after the money moved: the SDK’s retry hears “already paid”, Alipay’s notification makes us ask, paid — before any scheduled query', async () => {
    const sale = await bed.saleWithItem();
    alipay.script([{ kind: 'lose_answer_after_money' }, { kind: 'duplicate_notify', copies: 3 }]);
    const attempt = await pay(sale);
    // Asked at once (ACQ.TRADE_HAS_SUCCESS), or by the notification: no time passed on the store's clock.
    await settled();
    await bed.later(0);
    const resolved = await bed.attemptNow(attempt.id);
    expect(resolved.status).toBe('succeeded');
    expect((await bed.saleNow(sale.id)).payments).toHaveLength(1);
    expect(alipay.moneyMoved(attempt.merchantOrderNo)).toBe(sale.totalFen);
  });

  it('a forged notification (not signed by Alipay) is refused and changes nothing', async () => {
    const sale = await bed.saleWithItem();
    alipay.script([{ kind: 'decline', subCode: 'ACQ.BUYER_BALANCE_NOT_ENOUGH' }]);
    const attempt = await pay(sale);
    expect(attempt).toMatchObject({ status: 'failed', category: 'insufficient_funds' });
    const forged = new URLSearchParams({
      app_id: '2021000000000001',
      out_trade_no: attempt.merchantOrderNo,
      trade_status: 'TRADE_SUCCESS',
      total_amount: (attempt.amountFen / 100).toFixed(2),
      sign_type: 'RSA2',
      sign: Buffer.from('not a signature').toString('base64'),
    });
    const res = await fetch(`${store.url}/api/tills/till_sh01_1/notifications/alipay`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: forged.toString(),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('notice_malformed');
    // A form anywhere else is refused outright.
    const elsewhere = await fetch(`${store.url}/api/session/pin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'storeId=store_sh01&staffCode=SH01-C1&pin=2580',
    });
    expect(elsewhere.status).toBe(415);
    const after = await bed.attemptNow(attempt.id);
    expect(after.status).toBe('failed');
    expect(hints(after)).toEqual([]);
    await api.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen });
  });

  it('never confirmed: cancelled at the 60 s deadline, nothing kept; the next try gets a new order number', async () => {
    const sale = await bed.saleWithItem();
    alipay.script([{ kind: 'wait_buyer' }]);
    const attempt = await pay(sale);
    for (let i = 0; i < 20 && (await bed.attemptNow(attempt.id)).status === 'unknown'; i++)
      await bed.later(4_000);
    await bed.later(0);
    const cancelled = await bed.attemptNow(attempt.id);
    expect(cancelled.status).toBe('reversed');
    const sentAt = Date.parse(cancelled.history.find((h) => h.to === 'in_flight')!.at);
    const reversingAt = Date.parse(cancelled.history.find((h) => h.to === 'reversing')!.at);
    expect(reversingAt - sentAt).toBeGreaterThanOrEqual(60_000);
    expect(alipay.moneyMoved(attempt.merchantOrderNo)).toBe(0);
    const next = await pay(sale);
    expect(next.status).toBe('succeeded');
    expect(next.merchantOrderNo).not.toBe(attempt.merchantOrderNo);
  });

  it('an answer signed with the wrong key, or another amount, never becomes a payment', async () => {
    const sale = await bed.saleWithItem();
    alipay.script([{ kind: 'bad_signature' }]);
    const forged = await pay(sale);
    // The wrongly signed answer is never taken: the attempt records it as lost. The truth comes
    // from asking — on the schedule, or sooner when Alipay's own signed notification makes us ask
    // (that notification may be heard first: it is a hint, recorded without moving the attempt).
    expect(forged.history.find((h) => h.from === 'in_flight' && h.event !== 'hint')).toMatchObject({
      event: 'lost',
      to: 'unknown',
    });
    await bed.later(3_000);
    expect((await bed.attemptNow(forged.id)).status).toBe('succeeded');

    const other = await bed.saleWithItem();
    alipay.script([{ kind: 'wrong_amount' }]);
    const wrong = await pay(other);
    expect(wrong.status).toBe('unknown');
    for (let i = 0; i < 20 && (await bed.attemptNow(wrong.id)).status === 'unknown'; i++)
      await bed.later(4_000);
    await bed.later(0);
    expect((await bed.attemptNow(wrong.id)).status).toBe('reversed');
    expect(alipay.moneyMoved(wrong.merchantOrderNo)).toBe(0); // the cancel gave it back
    expect((await bed.saleNow(other.id)).payments).toEqual([]);
    await api.post(`/api/sales/${other.id}/payments/cash`, { tenderedFen: other.totalFen });
  });

  it('voiding an Alipay-paid sale refunds it through Alipay, once, and the refund is confirmed by Alipay', async () => {
    const sale = await bed.saleWithItem();
    const paid = await pay(sale);
    const grant = await api.post<{ id: string }>('/api/approvals', {
      action: 'void_after_payment',
      saleId: sale.id,
      reason: 'returned',
      approver: { staffCode: 'SH01-M1', pin: '4826' },
    });
    alipay.script([]); // no fault: the refund goes through
    await api.post(`/api/sales/${sale.id}/void`, { reason: 'returned', approvalId: grant.body.id });
    await store.payments.scheduler.idle();
    const attempts = (await api.get<{ attempts: AttemptView[] }>(`/api/sales/${sale.id}/attempts`)).body
      .attempts;
    expect(attempts.map((a) => [a.tender, a.status])).toEqual([
      ['alipay', 'succeeded'],
      ['alipay', 'succeeded'],
    ]);
    expect(alipay.moneyMoved(paid.merchantOrderNo)).toBe(0);
    expect(alipay.refunded(attempts[1]!.merchantOrderNo)).toBe(sale.totalFen);
  });

  it('the bill for the day is a zip of GBK CSVs in Alipay’s layout, with our payments in it', async () => {
    const day = new Date(store.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const zip = alipay.billFor(day);
    expect(zip.subarray(0, 4).toString('hex')).toBe('504b0304');
    // The first entry, stored: its name and its GBK text.
    const nameLength = zip.readUInt16LE(26);
    const size = zip.readUInt32LE(18);
    const name = zip.subarray(30, 30 + nameLength).toString('utf8');
    const text = iconv.decode(zip.subarray(30 + nameLength, 30 + nameLength + size), 'gbk');
    expect(name).toMatch(/_业务明细\.csv$/);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('#支付宝业务明细查询');
    const header = lines.find((l) => l.startsWith('支付宝交易号,'))!;
    expect(header.split(',')).toHaveLength(25);
    expect(header).toContain('商家实收（元）');
    const paidOrders = alipay
      .ledger()
      .trades.filter((t) => t.paidAt)
      .map((t) => t.outTradeNo);
    for (const order of paidOrders) expect(text).toContain(`,${order}\t,交易\t,`);
    expect(text).toContain('退款\t');
    expect(lines.some((l) => l.startsWith('#交易合计：'))).toBe(true);
    expect(lines.some((l) => l.startsWith('#退款合计：'))).toBe(true);
  });
});
