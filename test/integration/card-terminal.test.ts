/**
 * The card terminal adapter against the sandbox terminal on bad and odd answers: truncated
 * messages, another amount, another order, unknown codes, an issuer timeout, a busy terminal, a
 * terminal that sends a full card number. None of them ever becomes a paid sale by itself.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/kernel';
import { CardTerminalProvider, readPayment } from '../../src/payments/providers/card-terminal';
import { CardTerminalEmulator } from '../../src/sandbox/card-terminal';

describe('the card terminal adapter on bad and odd answers', () => {
  const terminal = new CardTerminalEmulator({ poiId: 'POI-B1' });
  let provider: CardTerminalProvider;
  let n = 0;
  const charge = (amountFen = 50_000) => {
    n++;
    return {
      merchantOrderNo: `BAD-${n}`,
      tillId: 'till_sh01_1',
      requestId: `B${n}`,
      amountFen,
      currency: 'CNY' as const,
    };
  };

  beforeAll(async () => {
    const url = await terminal.listen();
    provider = new CardTerminalProvider(
      { url, poiId: 'POI-B1', paymentTimeoutMs: 500, requestTimeoutMs: 500 },
      systemClock,
    );
  });
  beforeEach(() => terminal.reset());
  afterAll(() => terminal.close());

  it('a truncated message is unknown (malformed), and the query then tells the truth', async () => {
    terminal.script([{ kind: 'malformed' }]);
    const c = charge();
    expect(await provider.pay(c)).toMatchObject({ outcome: 'unknown', reason: 'malformed' });
    expect((await provider.query({ ...c, providerRef: null })).outcome).toBe('not_found');
  });

  it('an authorised amount other than asked is unknown (mismatch), never paid', async () => {
    terminal.script([{ kind: 'wrong_amount' }]);
    expect(await provider.pay(charge(10_000))).toMatchObject({ outcome: 'unknown', reason: 'mismatch' });
  });

  it('an unlisted response code is unknown, not a decline', async () => {
    terminal.script([{ kind: 'decline', code: 'Z9' }]);
    expect(await provider.pay(charge())).toMatchObject({ outcome: 'unknown', reason: 'code', code: 'Z9' });
  });

  it('an issuer timeout (98) is unknown; the terminal has reversed it, so nothing moved', async () => {
    terminal.script([{ kind: 'issuer_timeout' }]);
    const c = charge();
    expect(await provider.pay(c)).toMatchObject({ outcome: 'unknown', code: '98' });
    expect(terminal.moneyMoved(c.merchantOrderNo)).toBe(0);
  });

  it('a busy terminal processed nothing: failed (terminal fault), and health says busy while a payment waits', async () => {
    terminal.script([{ kind: 'busy' }]);
    expect(await provider.pay(charge())).toMatchObject({ outcome: 'failed', category: 'terminal_fault' });
    terminal.script([{ kind: 'in_progress', queries: 5, outcome: 'approve' }]);
    const c = charge();
    expect((await provider.pay(c)).outcome).toBe('unknown');
    expect(await provider.health('till_sh01_1')).toBe('busy');
    // The cashier's cancel reaches that request: it ends without money.
    await provider.abort({ ...c, providerRef: null });
    expect(await provider.query({ ...c, providerRef: null })).toMatchObject({
      outcome: 'failed',
      category: 'customer_cancelled',
    });
    expect(terminal.moneyMoved(c.merchantOrderNo)).toBe(0);
  });

  it('an answer naming another order is unknown (mismatch)', () => {
    expect(
      readPayment(
        {
          Response: { Result: 'Success', AdditionalResponse: 'ResponseCode=00' },
          SaleData: { SaleTransactionID: { TransactionID: 'OTHER', TimeStamp: '' } },
        },
        'MINE',
        100,
      ),
    ).toMatchObject({ outcome: 'unknown', reason: 'mismatch' });
  });

  it('keeps only a mask if a terminal ever sends a full card number', () => {
    const answer = readPayment(
      {
        Response: { Result: 'Success', AdditionalResponse: 'ResponseCode=00' },
        SaleData: { SaleTransactionID: { TransactionID: 'MINE', TimeStamp: '' } },
        POIData: { POITransactionID: { TransactionID: 'P1', TimeStamp: '' } },
        PaymentResult: {
          PaymentInstrumentData: { CardData: { MaskedPAN: '6222021000112214', PaymentBrand: 'UnionPay' } },
          AmountsResp: { Currency: 'CNY', AuthorizedAmount: 1 },
          PaymentAcquirerData: {
            AcquirerTransactionID: { TransactionID: 'A', TimeStamp: '' },
            STAN: '000001',
            BatchNo: '1',
          },
        },
      },
      'MINE',
      100,
    );
    expect(answer).toMatchObject({ outcome: 'paid', maskedPan: '622202******2214' });
  });

  it('an unreachable terminal is unknown (connection) for a payment and offline for the health check', async () => {
    const dead = new CardTerminalProvider(
      { url: 'http://127.0.0.1:9', poiId: 'X', paymentTimeoutMs: 300, requestTimeoutMs: 300 },
      systemClock,
    );
    expect(await dead.health('till_sh01_1')).toBe('offline');
    expect(await dead.pay(charge())).toMatchObject({ outcome: 'unknown', reason: 'connection' });
  });
});
