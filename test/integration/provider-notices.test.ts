/**
 * Answers nobody asked for, through the real server and the till's sandbox terminal: an answer that
 * arrives later as a notification, duplicates, a stale "in progress" after the final word, a
 * forged "paid" for a declined or reversed attempt, unreadable notices and floods. A notice only
 * ever makes us ask the terminal; nothing it says moves money or an attempt by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttemptView } from '../../src/payments/attempt-view';
import { MAX_HINT_LINES, MAX_VERIFY_QUERIES } from '../../src/payments/hints';
import type { SaleView } from '../../src/sales';
import type { CardTerminalEmulator } from '../../src/sandbox/card-terminal';
import { type CardTill, cardTill, CARD_TILL as TILL } from '../support/card-till';
import { DIALECTS } from '../support/databases';
import type { ApiClient, TestStore } from '../support/store-server';

const OTHER_TILL = 'till_sh01_2';

describe.each(DIALECTS)('provider notices on %s', (dialect) => {
  let bed: CardTill;
  let store: TestStore;
  let api: ApiClient;
  let terminal: CardTerminalEmulator;

  beforeAll(async () => {
    bed = await cardTill(dialect);
    ({ store, api, terminal } = bed);
  });
  afterAll(async () => store?.stop());

  const saleWithItem = () => bed.saleWithItem();
  const attemptNow = (id: string) => bed.attemptNow(id);
  const saleNow = (id: string) => bed.saleNow(id);
  /** Everything the terminal posted has arrived, and everything it made us do is done. */
  const settled = async () => {
    await terminal.notificationsDelivered();
    await store.payments.scheduler.idle();
  };
  const chargeCard = (sale: SaleView) => bed.chargeCard(sale);
  /** A notice as a terminal on the LAN posts it: no session, no CSRF token. */
  const postNotice = async (body: unknown, tillId = TILL) => {
    const response = await fetch(`${store.url}/api/tills/${tillId}/notifications/card`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** A terminal's "approved" for an order, as a notice (forged or stale: the server cannot tell). */
  const approvedNotice = (a: AttemptView, poiId = terminal.poiId) => ({
    SaleToPOIResponse: {
      MessageHeader: {
        ProtocolVersion: '3.0',
        MessageClass: 'Service',
        MessageCategory: 'Payment',
        MessageType: 'Response',
        SaleID: TILL,
        ServiceID: a.id.slice(-10),
        POIID: poiId,
      },
      PaymentResponse: {
        Response: { Result: 'Success', AdditionalResponse: 'ResponseCode=00' },
        SaleData: { SaleTransactionID: { TransactionID: a.merchantOrderNo, TimeStamp: a.createdAt } },
        POIData: { POITransactionID: { TransactionID: 'POI-FORGED-1', TimeStamp: a.createdAt } },
        PaymentResult: {
          PaymentInstrumentData: { CardData: { MaskedPAN: '622202******2214', PaymentBrand: 'UnionPay' } },
          AmountsResp: { Currency: 'CNY', AuthorizedAmount: a.amountFen / 100 },
          PaymentAcquirerData: {
            AcquirerTransactionID: { TransactionID: 'ACQ1', TimeStamp: a.createdAt },
            STAN: '000001',
            BatchNo: '000001',
          },
        },
      },
    },
  });
  const hints = (a: AttemptView) => a.history.filter((h) => h.event === 'hint');

  it('an answer that comes later as a notice makes us ask at once: paid before the first scheduled query', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'answer_later', ms: 30 }]);
    const attempt = await chargeCard(sale);
    // The answer was lost on the way: unknown (the notice may already have made us ask since).
    expect(attempt.history.find((h) => h.from === 'in_flight')).toMatchObject({
      event: 'lost',
      to: 'unknown',
    });
    // No time passes on the store's clock: only the notice can have made us ask.
    await settled();
    const resolved = await attemptNow(attempt.id);
    expect(resolved.status).toBe('succeeded');
    // It came while the lost request was still live, or after: either way, it made us ask.
    expect(hints(resolved)).toEqual([expect.objectContaining({ meaning: 'ask' })]);
    // The notice itself moved nothing: the query's answer did.
    const last = resolved.history.at(-1)!;
    expect(last).toMatchObject({ event: 'paid', meaning: 'move', from: 'unknown', to: 'succeeded' });
    expect((await saleNow(sale.id)).status).toBe('completed');
    expect(terminal.moneyMoved(attempt.merchantOrderNo)).toBe(sale.totalFen);
  });

  it('duplicate answers are repeats: one payment, one charge, each copy on record', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'duplicate_answer', copies: 3 }]);
    const attempt = await chargeCard(sale);
    expect(attempt.status).toBe('succeeded');
    await settled();
    const after = await attemptNow(attempt.id);
    expect(hints(after).map((h) => h.meaning)).toEqual(['repeat', 'repeat', 'repeat']);
    expect(after.status).toBe('succeeded');
    const done = await saleNow(sale.id);
    expect(done.status).toBe('completed');
    expect(done.payments).toHaveLength(1);
    expect(terminal.moneyMoved(attempt.merchantOrderNo)).toBe(sale.totalFen);
  });

  it('out of order: a stale "still at the PIN pad" after the final answer is ignored and logged, never a step back', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'out_of_order' }]);
    const attempt = await chargeCard(sale);
    expect(attempt.status).toBe('succeeded');
    await settled();
    const after = await attemptNow(attempt.id);
    expect(hints(after).map((h) => h.meaning)).toEqual(['repeat', 'ignore']);
    expect(after.status).toBe('succeeded');
    expect(after.resolvedAt).toBe(attempt.resolvedAt);
    expect((await saleNow(sale.id)).status).toBe('completed');
  });

  it('a forged "paid" for a declined attempt makes us ask; the terminal says declined, so it stays failed and the sale open', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'decline', code: '51' }]);
    const attempt = await chargeCard(sale);
    expect(attempt.status).toBe('failed');
    expect((await postNotice(approvedNotice(attempt))).status).toBe(202);
    await settled();
    const after = await attemptNow(attempt.id);
    expect(hints(after)).toEqual([expect.objectContaining({ meaning: 'verify', from: 'failed' })]);
    // The question we asked, and the terminal's answer: the same decline again.
    expect(after.history.at(-1)).toMatchObject({ event: 'declined', meaning: 'repeat', to: 'failed' });
    expect(after.status).toBe('failed');
    expect((await saleNow(sale.id)).status).toBe('open');
    expect((await saleNow(sale.id)).payments).toEqual([]);
    await api.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen });
  });

  it('a late approval after the reversal: we ask, the terminal says reversed, nothing is charged', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'in_progress', queries: 10_000, outcome: 'approve' }]);
    const attempt = await chargeCard(sale);
    for (let i = 0; i < 40 && (await attemptNow(attempt.id)).status !== 'reversed'; i++) {
      store.clock.advance(3_000);
      await store.payments.scheduler.tick();
      await store.payments.scheduler.idle();
    }
    const reversed = await attemptNow(attempt.id);
    expect(reversed.status).toBe('reversed');
    expect((await postNotice(approvedNotice(reversed))).status).toBe(202);
    await settled();
    const after = await attemptNow(attempt.id);
    expect(hints(after).map((h) => h.meaning)).toEqual(['verify']);
    expect(after.status).toBe('reversed');
    expect(terminal.moneyMoved(attempt.merchantOrderNo)).toBe(0);
    expect((await saleNow(sale.id)).status).toBe('open');
    await api.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen });
  });

  it('a "paid" for another amount than asked is unclear, not paid: on a final attempt it is only logged', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'decline', code: '51' }]);
    const attempt = await chargeCard(sale);
    const notice = approvedNotice(attempt);
    notice.SaleToPOIResponse.PaymentResponse.PaymentResult.AmountsResp.AuthorizedAmount =
      (attempt.amountFen + 100) / 100;
    expect((await postNotice(notice)).status).toBe(202);
    await settled();
    const after = await attemptNow(attempt.id);
    expect(hints(after)).toEqual([expect.objectContaining({ meaning: 'ignore' })]);
    expect(after.status).toBe('failed');
    await api.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen });
  });

  it('notices that cannot be read, come from another terminal, or name no attempt of this till are refused and change nothing', async () => {
    const sale = await saleWithItem();
    const attempt = await chargeCard(sale);
    expect(attempt.status).toBe('succeeded');
    const before = (await attemptNow(attempt.id)).history.length;

    const notJson = await postNotice('{"SaleToPOIResponse":');
    expect(notJson.status).toBe(400);
    expect(notJson.body.code).toBe('malformed_json');
    const notObject = await postNotice([1, 2]);
    expect(notObject.status).toBe(400);
    const empty = await postNotice({});
    expect(empty).toMatchObject({ status: 400, body: { code: 'notice_malformed' } });
    const foreign = await postNotice(approvedNotice(attempt, 'POI-SOMEONE-ELSE'));
    expect(foreign).toMatchObject({ status: 400, body: { code: 'notice_malformed' } });
    expect(String(foreign.body.detail)).toContain('another terminal');
    const unknown = approvedNotice(attempt);
    unknown.SaleToPOIResponse.PaymentResponse.SaleData.SaleTransactionID.TransactionID = 'TS-NOT-OURS';
    expect(await postNotice(unknown)).toMatchObject({ status: 404, body: { code: 'attempt_unknown' } });
    // The other till's terminal names this till's attempt: as unknown there as one that does not exist.
    const otherTerminal = store.payments.sandboxTerminals.get(OTHER_TILL)!;
    expect(await postNotice(approvedNotice(attempt, otherTerminal.poiId), OTHER_TILL)).toMatchObject({
      status: 404,
      body: { code: 'attempt_unknown' },
    });
    expect((await postNotice(approvedNotice(attempt), 'till_nowhere')).status).toBe(409);

    await settled();
    const after = await attemptNow(attempt.id);
    expect(after.history).toHaveLength(before);
    expect(after.status).toBe('succeeded');
    expect((await saleNow(sale.id)).payments).toHaveLength(1);
  });

  it('a flood of notices is bounded: a few questions at most, a bounded history, the attempt unchanged', async () => {
    const sale = await saleWithItem();
    terminal.script([{ kind: 'decline', code: '51' }]);
    const attempt = await chargeCard(sale);
    const notice = approvedNotice(attempt);
    for (let i = 0; i < MAX_HINT_LINES + 10; i++) {
      expect((await postNotice(notice)).status).toBe(202);
      await settled();
    }
    const after = await attemptNow(attempt.id);
    const kept = hints(after);
    expect(kept).toHaveLength(MAX_HINT_LINES);
    expect(kept.filter((h) => h.meaning === 'verify')).toHaveLength(MAX_VERIFY_QUERIES);
    // Each question leaves its answer in the history: no more than the bound.
    expect(after.history.filter((h) => h.event === 'declined')).toHaveLength(1 + MAX_VERIFY_QUERIES);
    expect(after.status).toBe('failed');
    await api.post(`/api/sales/${sale.id}/payments/cash`, { tenderedFen: sale.totalFen });
  });
});
