/**
 * The sales journal through the real server on both databases: past sales found by the receipt's
 * number and its QR code, by day, amount and tender, by the card's last four digits with a day,
 * and by the phone on a slip — a page at a time, newest first; bad questions get clear answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalPage } from '../../src/journal';
import { type CardTill, cardTill } from '../support/card-till';
import { DIALECTS } from '../support/databases';
import type { TestStore } from '../support/store-server';

describe.each(DIALECTS)('the sales journal on %s', (dialect) => {
  let bed: CardTill;
  let store: TestStore;
  const today = () => new Date(store.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const journal = async (query: string) =>
    (
      await bed.api.get<JournalPage & { status?: number; code?: string }>(
        `/api/stores/store_sh01/journal?${query}`,
      )
    ).body;
  const numbers = (page: JournalPage) => page.sales.map((s) => s.number);
  let cash: { id: string; number: string; totalFen: number };
  let card: { id: string; number: string; totalFen: number; maskedPan: string | null };
  let slip: { id: string; number: string };

  beforeAll(async () => {
    bed = await cardTill(dialect);
    store = bed.store;
    const c = await bed.saleWithItem();
    await bed.api.post(`/api/sales/${c.id}/payments/cash`, { tenderedFen: c.totalFen });
    cash = c;
    const k = await bed.saleWithItem();
    const attempt = await bed.chargeCard(k);
    expect(attempt.status).toBe('succeeded');
    card = { ...k, maskedPan: attempt.maskedPan };
    const s = await bed.saleWithItem();
    await bed.api.post(`/api/sales/${s.id}/slip`, {
      reason: '明天来付',
      customerName: '郑',
      customerPhone: '137 1234 5678',
      goods: 'held',
    });
    slip = s;
    // A sale still on the till is not in the journal.
    await bed.saleWithItem();
  }, 60_000);
  afterAll(async () => store?.stop());

  it('lists a day’s sales newest first, with their tenders, and pages through them', async () => {
    const day = today();
    const all = await journal(`fromDay=${day}&toDay=${day}`);
    expect(numbers(all)).toEqual([slip.number, card.number, cash.number]);
    expect(all.sales.map((s) => [s.status, s.tenders])).toEqual([
      ['on_account', []],
      ['completed', ['card']],
      ['completed', ['cash']],
    ]);
    const first = await journal(`fromDay=${day}&toDay=${day}&limit=2`);
    expect(numbers(first)).toEqual([slip.number, card.number]);
    expect(first.next).not.toBeNull();
    const second = await journal(
      `fromDay=${day}&toDay=${day}&limit=2&after=${encodeURIComponent(first.next!)}`,
    );
    expect(numbers(second)).toEqual([cash.number]);
    expect(second.next).toBeNull();
    expect(numbers(await journal('fromDay=2020-01-01&toDay=2020-01-31'))).toEqual([]);
  });

  it('finds a sale by the receipt’s number (any case) or its QR code', async () => {
    expect(numbers(await journal(`code=${cash.number.toLowerCase()}`))).toEqual([cash.number]);
    expect(numbers(await journal(`code=${encodeURIComponent(`${store.url}/r/${card.id}`)}`))).toEqual([
      card.number,
    ]);
    expect(numbers(await journal('code=SH01-19990101-0001'))).toEqual([]);
  });

  it('finds by amount and by tender', async () => {
    expect(numbers(await journal(`tender=card`))).toEqual([card.number]);
    expect(numbers(await journal(`minFen=${cash.totalFen}&maxFen=${cash.totalFen}&tender=cash`))).toEqual([
      cash.number,
    ]);
    expect(numbers(await journal(`minFen=${cash.totalFen + 1}&maxFen=${cash.totalFen + 1}`))).toEqual([]);
  });

  it('finds a card payment by its last four digits and day, and a slip by the customer’s phone', async () => {
    const last4 = card.maskedPan!.slice(-4);
    const day = today();
    expect(numbers(await journal(`last4=${last4}&fromDay=${day}&toDay=${day}`))).toEqual([card.number]);
    expect(
      numbers(await journal(`last4=${last4 === '0000' ? '1111' : '0000'}&fromDay=${day}&toDay=${day}`)),
    ).toEqual([]);
    expect(numbers(await journal('phone=13712345678'))).toEqual([slip.number]);
    expect(numbers(await journal('phone=13700000000'))).toEqual([]);
  });

  it('answers a bad question clearly: the card’s digits without a day, a bad phone, a reversed range, bad digits', async () => {
    expect(await journal('last4=1234')).toMatchObject({ status: 422, code: 'journal_card_needs_days' });
    expect(await journal('phone=abc')).toMatchObject({ status: 422, code: 'phone_invalid' });
    expect(await journal('minFen=500&maxFen=100')).toMatchObject({ status: 400 });
    expect(await journal('fromDay=2026-12-05&toDay=2026-12-01')).toMatchObject({ status: 400 });
    expect(await journal('last4=12a4&fromDay=2026-12-01')).toMatchObject({ status: 400 });
    expect(await journal('tender=gold')).toMatchObject({ status: 400 });
  });
});
