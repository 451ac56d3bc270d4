/**
 * Returns (退货) through the real server on both databases: part of a card + cash sale brought
 * back — the card gives back first, by a refund attempt saved before it is sent and driven to the
 * terminal, the rest in cash from the drawer; never more than was sold; the goods back on sale or
 * set aside as damaged; no void after a return; the store's window and receipt rules. Each audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReturnView, SaleReturns } from '../../src/returns';
import type { SaleView } from '../../src/sales';
import { type CardTill, cardTill } from '../support/card-till';
import { DIALECTS } from '../support/databases';
import { apiClient, type TestStore } from '../support/store-server';

let codes = 0;
const alipayCode = () => `28${String(Date.now() % 1e8).padStart(8, '0')}${String(++codes).padStart(8, '0')}`;

describe.each(DIALECTS)('returns on %s', (dialect) => {
  let bed: CardTill;
  let store: TestStore;

  beforeAll(async () => {
    bed = await cardTill(dialect);
    store = bed.store;
  }, 60_000);
  afterAll(async () => store?.stop());

  /** A sale of two pieces of the item (one line, qty 2), paid part by card and the rest in cash. */
  const cardAndCashSale = async (cardFen: number) => {
    let sale = await bed.saleWithItem();
    sale = (await bed.api.patch<SaleView>(`/api/sales/${sale.id}/lines/${sale.lines[0]!.id}`, { qty: 2 }))
      .body;
    const attempt = await bed.chargeCard(sale, cardFen);
    expect(attempt.status).toBe('succeeded');
    const paid = await bed.api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: sale.totalFen - cardFen,
    });
    expect(paid.body.status).toBe('completed');
    return { sale: paid.body, attempt };
  };
  const onHand = async () =>
    (
      await bed.api.get<{ variants: { onHand: number }[] }>(
        `/api/stores/store_sh01/variants?q=${bed.barcode}`,
      )
    ).body.variants[0]!.onHand;
  /** Asks for a return; its refunds (sent after the commit) are driven before the answer is read on. */
  const giveBack = async (saleId: string, body: Record<string, unknown>) => {
    const answer = await bed.api.post<ReturnView & { code?: string; returnableQty?: number }>(
      `/api/sales/${saleId}/returns`,
      { reason: 'does_not_fit', withReceipt: true, ...body },
    );
    await store.payments.scheduler.idle();
    return answer;
  };

  it('a piece of a card + cash sale back: the card refunds first through the terminal, the rest in cash; stock back', async () => {
    const { sale, attempt } = await cardAndCashSale(30_000);
    const unit = sale.lines[0]!.totalFen / 2;
    expect(unit).toBe(45_900); // ¥459 a piece: more than the card's ¥300, so the drawer pays the rest
    const before = await onHand();
    const answer = await giveBack(sale.id, { lines: [{ lineId: sale.lines[0]!.id, qty: 1 }] });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const back = answer.body;
    expect(back.refundFen).toBe(unit);
    // The card holds 300.00: it gives back what it can, the drawer the rest.
    expect(back.refunds.map((r) => [r.tender, r.amountFen, r.operation])).toEqual([
      ['card', 30_000, 'card_refund'],
      ['cash', unit - 30_000, 'cash_refund'],
    ]);
    // As answered: saved, not yet sent (the terminal is asked after the commit).
    expect(back.refunds[0]!.progress).toBe('in_progress');
    const now = (await bed.api.get<{ returns: ReturnView[] }>(`/api/sales/${sale.id}/returns`)).body.returns;
    expect(now.map((r) => r.progress)).toEqual(['refunded']);
    expect(bed.terminal.moneyMoved(attempt.merchantOrderNo)).toBe(0);
    expect(await onHand()).toBe(before + 1);
    const after = await bed.saleNow(sale.id);
    expect(after.status).toBe('completed');
    expect(after.returnedFen).toBe(unit);
    expect(after.allowed).toEqual(['return']);
    const actions = (
      await bed.api.get<{ events: { action: string }[] }>(`/api/sales/${sale.id}/audit`)
    ).body.events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['return.recorded', 'payment.refund_started']));
  });

  it('never takes back more than was sold and not yet returned; no void after a return', async () => {
    const { sale } = await cardAndCashSale(10_000);
    const lineId = sale.lines[0]!.id;
    expect((await giveBack(sale.id, { lines: [{ lineId, qty: 3 }] })).body).toMatchObject({
      code: 'return_qty_exceeds',
      returnableQty: 2,
    });
    expect((await giveBack(sale.id, { lines: [{ lineId, qty: 1 }] })).status).toBe(201);
    // What the till offers is the server's verdict: one piece left, and until when.
    const offer = (await bed.api.get<SaleReturns>(`/api/sales/${sale.id}/returns`)).body;
    expect(offer).toMatchObject({
      returnable: [{ lineId, qty: 1 }],
      withinWindow: true,
      receiptRequired: true,
    });
    expect(offer.lastDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await giveBack(sale.id, { lines: [{ lineId, qty: 2 }] })).body).toMatchObject({
      code: 'return_qty_exceeds',
      returnableQty: 1,
    });
    expect((await giveBack(sale.id, { lines: [{ lineId: 'sln_nope', qty: 1 }] })).body).toMatchObject({
      code: 'return_line_unknown',
    });
    expect((await bed.api.post(`/api/sales/${sale.id}/void`, { reason: 'x' })).body).toMatchObject({
      code: 'sale_has_returns',
    });
    // The last piece: all of the sale's money is back, split as the card and the drawer held it.
    const last = await giveBack(sale.id, { lines: [{ lineId, qty: 1 }] });
    expect(last.status).toBe(201);
    await store.payments.scheduler.idle();
    const all = (await bed.api.get<{ returns: ReturnView[] }>(`/api/sales/${sale.id}/returns`)).body.returns;
    expect(all.reduce((s, r) => s + r.refundFen, 0)).toBe(sale.totalFen);
    const byTender = (t: string) =>
      all
        .flatMap((r) => r.refunds)
        .filter((p) => p.tender === t)
        .reduce((s, p) => s + p.amountFen, 0);
    expect([byTender('card'), byTender('cash')]).toEqual([10_000, sale.totalFen - 10_000]);
    expect((await giveBack(sale.id, { lines: [{ lineId, qty: 1 }] })).body).toMatchObject({
      code: 'return_qty_exceeds',
      returnableQty: 0,
    });
  });

  it('damaged goods come back into the ledger and straight out of what may be sold', async () => {
    const { sale } = await cardAndCashSale(5_000);
    const before = await onHand();
    const answer = await giveBack(sale.id, {
      lines: [{ lineId: sale.lines[0]!.id, qty: 1, disposition: 'damaged' }],
      reason: 'quality',
    });
    expect(answer.status).toBe(201);
    expect(answer.body.lines[0]).toMatchObject({ qty: 1, disposition: 'damaged' });
    expect(await onHand()).toBe(before);
  });

  it('asks a manager for a return without the receipt, and gives it back in cash only', async () => {
    const { sale } = await cardAndCashSale(5_000);
    const ask = await giveBack(sale.id, {
      lines: [{ lineId: sale.lines[0]!.id, qty: 1 }],
      withReceipt: false,
    });
    expect(ask.body).toMatchObject({
      code: 'approval_required',
      action: 'return_without_receipt',
      minRole: 'manager',
    });
    const grant = await bed.api.post<{ id: string; status: string }>('/api/approvals', {
      action: 'return_without_receipt',
      saleId: sale.id,
      reason: '顾客小票丢失',
      approver: { staffCode: 'SH01-M1', pin: '4826' },
    });
    expect(grant.body.status).toBe('granted');
    const back = await giveBack(sale.id, {
      lines: [{ lineId: sale.lines[0]!.id, qty: 1 }],
      withReceipt: false,
      approvalId: grant.body.id,
    });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(back.body.refunds.map((r) => [r.tender, r.operation, r.progress])).toEqual([
      ['cash', 'cash_refund', 'refunded'],
    ]);
  });

  it('refuses a return past the store’s seven days, a reason not on its list, and a sale not paid', async () => {
    const { sale } = await cardAndCashSale(5_000);
    const open = await bed.saleWithItem();
    expect((await giveBack(open.id, { lines: [{ lineId: open.lines[0]!.id, qty: 1 }] })).body).toMatchObject({
      status: 409,
    });
    expect(
      (
        await bed.api.post(`/api/sales/${sale.id}/returns`, {
          lines: [{ lineId: sale.lines[0]!.id, qty: 1 }],
          reason: 'bored',
          withReceipt: true,
        })
      ).status,
    ).toBe(400);
    store.clock.advance(8 * 86_400_000);
    await bed.api.signInAtTill('SH01-C1', 'till_sh01_1'); // a week later: a new day's session
    expect((await giveBack(sale.id, { lines: [{ lineId: sale.lines[0]!.id, qty: 1 }] })).body).toMatchObject({
      code: 'return_window_passed',
    });
  });

  it('a card refund the bank refuses: the return says so; a manager lets the drawer pay it; the card is not asked for it again', async () => {
    const { sale } = await cardAndCashSale(20_000);
    const lineId = sale.lines[0]!.id;
    const approvedRefunds = () =>
      bed.terminal.ledger().filter((e) => e.kind === 'refund' && e.status === 'approved').length;
    const refundsBefore = approvedRefunds();
    bed.terminal.script([{ kind: 'decline', code: '12' }]);
    const first = await giveBack(sale.id, { lines: [{ lineId, qty: 1 }] });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const now = async () =>
      (await bed.api.get<SaleReturns>(`/api/sales/${sale.id}/returns`)).body.returns.find(
        (r) => r.id === first.body.id,
      )!;
    const attemptId = first.body.refunds.find((p) => p.tender === 'card')!.attemptId!;
    // A refused refund waits on the review desk: the money is still owed.
    expect((await bed.attemptNow(attemptId)).status).toBe('needs_review');
    const failed = await now();
    expect(failed.progress).toBe('failed');
    const card = failed.refunds.find((p) => p.tender === 'card')!;
    expect(card.progress).toBe('failed');
    const cash = (body: Record<string, unknown>) =>
      bed.api.post<ReturnView & { code?: string }>(
        `/api/sales/${sale.id}/returns/${first.body.id}/cash-fallback`,
        body,
      );
    expect((await cash({ refundId: card.id })).body).toMatchObject({
      code: 'approval_required',
      action: 'return_cash_fallback',
    });
    const grant = await bed.api.post<{ id: string }>('/api/approvals', {
      action: 'return_cash_fallback',
      saleId: sale.id,
      reason: '银行拒绝退款',
      approver: { staffCode: 'SH01-M1', pin: '4826' },
    });
    const paid = await cash({ refundId: card.id, approvalId: grant.body.id });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect(paid.body.progress).toBe('refunded');
    expect(paid.body.refunds.map((p) => [p.tender, p.operation, p.progress])).toEqual(
      expect.arrayContaining([
        ['card', 'card_refund', 'replaced'],
        ['card', 'cash_fallback', 'refunded'],
      ]),
    );
    // Off the review desk, and never sent again: the drawer paid it.
    expect((await bed.attemptNow(attemptId)).status).toBe('failed');
    expect(approvedRefunds()).toBe(refundsBefore);
    // Once is enough: the same failed part cannot be paid in cash twice.
    expect((await cash({ refundId: card.id, approvalId: grant.body.id })).body).toMatchObject({
      status: 409,
    });
    // The other piece: the card still holds what the drawer did not pay in its place, and no more.
    const second = await giveBack(sale.id, { lines: [{ lineId, qty: 1 }] });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const cardBack = second.body.refunds
      .filter((p) => p.tender === 'card')
      .reduce((s2, p) => s2 + p.amountFen, 0);
    expect(cardBack).toBe(20_000 - card.amountFen);
    const all = (await bed.api.get<SaleReturns>(`/api/sales/${sale.id}/returns`)).body.returns;
    const given = all.flatMap((r) => r.refunds).filter((p) => p.progress === 'refunded');
    expect(given.reduce((s2, p) => s2 + p.amountFen, 0)).toBe(sale.totalFen);
  });

  it('WeChat Pay takes one refund of an order a minute: the second is saved at once and sent when the minute is up', async () => {
    let sale = await bed.saleWithItem();
    sale = (await bed.api.patch<SaleView>(`/api/sales/${sale.id}/lines/${sale.lines[0]!.id}`, { qty: 2 }))
      .body;
    const paid = await bed.chargeWallet(
      sale,
      `13${String(Date.now() % 1e8).padStart(8, '0')}${String(++codes).padStart(8, '0')}`,
    );
    expect(paid.status).toBe('succeeded');
    const lineId = sale.lines[0]!.id;
    const first = await giveBack(sale.id, { lines: [{ lineId, qty: 1 }] });
    expect(first.body.refunds.map((p) => [p.tender, p.operation])).toEqual([['wechat', 'wechat_refund']]);
    const second = await giveBack(sale.id, { lines: [{ lineId, qty: 1 }] });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const progress = async () =>
      (await bed.api.get<SaleReturns>(`/api/sales/${sale.id}/returns`)).body.returns.map((r) => r.progress);
    expect(await progress()).toEqual(['refunded', 'in_progress']);
    await bed.later(30_000);
    expect(await progress()).toEqual(['refunded', 'in_progress']);
    await bed.later(31_000);
    expect(await progress()).toEqual(['refunded', 'refunded']);
  });

  it('a return at another till gives cash from that till’s drawer, and its day close counts it there', async () => {
    const sale = await bed.saleWithItem();
    await bed.api.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen });
    const other = apiClient(store.url);
    await other.signInAtTill('SH01-C2', 'till_sh01_2');
    const office = apiClient(store.url);
    await office.signInToBackOffice('SH01-M1');
    const day = new Date(store.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const cashAt = async (till: string) => {
      const tenders = (
        await office.get<{ tenders: { tender: string; refundsFen: number }[] }>(
          `/api/tills/${till}/day-close?day=${day}`,
        )
      ).body.tenders;
      return tenders.find((x) => x.tender === 'cash')?.refundsFen ?? 0;
    };
    const [before1, before2] = [await cashAt('till_sh01_1'), await cashAt('till_sh01_2')];
    const back = await other.post<ReturnView>(`/api/sales/${sale.id}/returns`, {
      lines: [{ lineId: sale.lines[0]!.id, qty: 1 }],
      reason: 'does_not_fit',
      withReceipt: true,
    });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect([await cashAt('till_sh01_1'), await cashAt('till_sh01_2')]).toEqual([
      before1,
      before2 + sale.totalFen,
    ]);
  });

  it('keeps the store’s own policy: the receipt prints it; past Alipay’s window the money goes back in cash, with a manager’s approval', async () => {
    const hq = apiClient(store.url);
    await hq.signInToBackOffice('HQ-A1');
    const terms = {
      policy: {
        windowDays: 60,
        receiptRequired: true,
        noReceipt: null,
        reasons: ['does_not_fit', 'quality'],
      },
      refunds: { cardRefundWindowDays: 30, alipayRefundWindowMonths: 1 },
    };
    expect((await hq.put('/api/stores/store_sh01/return-terms', terms)).status).toBe(200);
    let sale = await bed.saleWithItem();
    const paid = await bed.chargeWallet(sale, alipayCode());
    expect(paid.status).toBe('succeeded');
    sale = await bed.saleNow(sale.id);
    const receipt = await bed.api.get<string>(`/api/sales/${sale.id}/receipt.html?lang=zh-CN`);
    expect(receipt.body).toContain('凭小票 60 天内可退换');
    expect((await bed.api.get<string>(`/api/sales/${sale.id}/receipt.html?lang=en`)).body).toContain(
      'Returns within 60 days with this receipt',
    );

    store.clock.advance(40 * 86_400_000);
    await bed.api.signInAtTill('SH01-C1', 'till_sh01_1');
    const line = { lineId: sale.lines[0]!.id, qty: 1 };
    expect((await giveBack(sale.id, { lines: [line], reason: 'changed_mind' })).body).toMatchObject({
      code: 'return_reason_unknown',
    });
    const ask = await giveBack(sale.id, { lines: [line] });
    expect(ask.body).toMatchObject({
      code: 'approval_required',
      action: 'return_cash_fallback',
      blocked: [{ tender: 'alipay', code: 'refund_window_passed' }],
    });
    const grant = await bed.api.post<{ id: string; status: string }>('/api/approvals', {
      action: 'return_cash_fallback',
      saleId: sale.id,
      reason: '支付宝已超退款期',
      approver: { staffCode: 'SH01-M1', pin: '4826' },
    });
    const back = await giveBack(sale.id, { lines: [line], approvalId: grant.body.id });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(back.body.refunds.map((r) => [r.tender, r.operation, r.blocked, r.progress])).toEqual([
      ['alipay', 'cash_fallback', 'refund_window_passed', 'refunded'],
    ]);
    const used = (
      await bed.api.get<{ events: { action: string; after: { action?: string } }[] }>(
        `/api/sales/${sale.id}/audit`,
      )
    ).body.events.find((e) => e.action === 'approval.used');
    expect(used?.after.action).toBe('return_cash_fallback');
    // Nothing left the drawer twice, and nothing went to Alipay.
    expect((await bed.saleNow(sale.id)).payments.map((p) => [p.tender, p.amountFen])).toEqual([
      ['alipay', sale.totalFen],
      ['cash', -sale.totalFen],
    ]);
  });
});

describe.each(DIALECTS)('exchanges on %s', (dialect) => {
  let bed: CardTill;
  let store: TestStore;
  let variants: { barcode: string; size: string; priceFen: number; onHand: number }[];

  beforeAll(async () => {
    bed = await cardTill(dialect);
    store = bed.store;
  }, 60_000);
  afterAll(async () => store?.stop());

  const stockOf = async (barcode: string) =>
    (await bed.api.get<{ variants: { onHand: number }[] }>(`/api/stores/store_sh01/variants?q=${barcode}`))
      .body.variants[0]!.onHand;
  const paidSale = async () => {
    const sale = await bed.saleWithItem();
    const paid = await bed.api.post<SaleView>(`/api/sales/${sale.id}/payments/cash`, {
      tenderedFen: sale.totalFen,
    });
    expect(paid.body.status).toBe('completed');
    return paid.body;
  };
  const exchange = async (sale: SaleView, takes: { barcode: string; qty: number }[]) => {
    const answer = await bed.api.post<{ return: ReturnView; sale: SaleView; code?: string }>(
      `/api/sales/${sale.id}/exchanges`,
      { lines: [{ lineId: sale.lines[0]!.id, qty: 1 }], reason: 'does_not_fit', withReceipt: true, takes },
    );
    await store.payments.scheduler.idle();
    return answer;
  };

  it('M for L at the same price: no money moves, both sales settled, stock both ways', async () => {
    variants = (
      await bed.api.get<{ variants: { barcode: string; size: string; priceFen: number; onHand: number }[] }>(
        '/api/stores/store_sh01/variants?q=KN-301&limit=50',
      )
    ).body.variants;
    const sold = await paidSale();
    const other = variants.find(
      (v) => v.barcode !== bed.barcode && v.priceFen === sold.lines[0]!.unitPriceFen,
    )!;
    const [backBefore, takenBefore] = [await stockOf(bed.barcode), await stockOf(other.barcode)];
    const answer = await exchange(sold, [{ barcode: other.barcode, qty: 1 }]);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.return).toMatchObject({ creditFen: sold.totalFen, refunds: [], progress: 'refunded' });
    expect(answer.body.sale).toMatchObject({ status: 'completed', totalFen: sold.totalFen, dueFen: 0 });
    expect(answer.body.sale.payments.map((p) => [p.tender, p.amountFen])).toEqual([
      ['exchange_credit', sold.totalFen],
    ]);
    expect([await stockOf(bed.barcode), await stockOf(other.barcode)]).toEqual([
      backBefore + 1,
      takenBefore - 1,
    ]);
    expect((await bed.saleNow(sold.id)).payments.map((p) => p.tender)).toEqual(['cash']);
  });

  it('dearer: the new sale stays open for the difference, paid by any tender', async () => {
    const sold = await paidSale();
    const found = (
      await bed.api.get<{ variants: { barcode: string; priceFen: number }[] }>(
        '/api/stores/store_sh01/variants?q=&limit=200',
      )
    ).body.variants;
    const dearer = found.find((v) => v.priceFen > sold.totalFen)!;
    const answer = await exchange(sold, [{ barcode: dearer.barcode, qty: 1 }]);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.sale).toMatchObject({
      status: 'open',
      paidFen: sold.totalFen,
      dueFen: dearer.priceFen - sold.totalFen,
    });
    const attempt = await bed.chargeCard(answer.body.sale);
    expect(attempt.status).toBe('succeeded');
    expect((await bed.saleNow(answer.body.sale.id)).status).toBe('completed');
  });

  it('cheaper: the difference goes back to the first sale’s tenders', async () => {
    const sold = await paidSale();
    const found = (
      await bed.api.get<{ variants: { barcode: string; priceFen: number }[] }>(
        '/api/stores/store_sh01/variants?q=&limit=200',
      )
    ).body.variants;
    const cheaper = found.find((v) => v.priceFen < sold.totalFen && v.priceFen > 0)!;
    const answer = await exchange(sold, [{ barcode: cheaper.barcode, qty: 1 }]);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.sale).toMatchObject({ status: 'completed', dueFen: 0 });
    expect(answer.body.return.refunds.map((r) => [r.tender, r.amountFen, r.operation])).toEqual([
      ['cash', sold.totalFen - cheaper.priceFen, 'cash_refund'],
    ]);
    expect((await bed.saleNow(sold.id)).returnedFen).toBe(sold.totalFen);
  });

  it('an unknown item to take stops the whole exchange: nothing returned, no sale left open', async () => {
    const sold = await paidSale();
    const openSales = async () =>
      (await bed.api.get<{ sales: unknown[] }>('/api/stores/store_sh01/sales?status=open&limit=200')).body
        .sales.length;
    const openBefore = await openSales();
    const answer = await exchange(sold, [{ barcode: '0000000000000', qty: 1 }]);
    expect(answer.status).toBe(404);
    expect(await openSales()).toBe(openBefore);
    expect(
      (await bed.api.get<{ returns: ReturnView[] }>(`/api/sales/${sold.id}/returns`)).body.returns,
    ).toEqual([]);
    expect((await bed.saleNow(sold.id)).returnedFen).toBe(0);
  });
});
