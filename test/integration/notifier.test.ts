/**
 * The notifier through the real server on both databases, with a real SMTP server started here
 * (smtp-server, on a local port): a slip's customer is told by e-mail when they gave an address,
 * else the case timeline carries it; the outbox is written with the slip (a refused slip tells no
 * one); temporary refusals are tried again on schedule, permanent ones and a dead server end on the
 * timeline as "could not notify"; two senders never send one message twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView, SlipView } from '../../src/exceptions';
import { MAX_TRIES, NotificationDispatcher, RETRY_DELAYS_MS, smtpChannel } from '../../src/notify';
import type { SaleView } from '../../src/sales';
import { DIALECTS } from '../support/databases';
import { localSmtp } from '../support/local-smtp';
import { type ApiClient, apiClient, startTestStore, type TestStore } from '../support/store-server';

describe.each(DIALECTS)('the notifier on %s', (dialect) => {
  let smtp: Awaited<ReturnType<typeof localSmtp>>;
  let store: TestStore;
  let till: ApiClient;
  let office: ApiClient;
  let barcode = '';

  beforeAll(async () => {
    smtp = await localSmtp();
    store = await startTestStore(dialect, {
      smtp: {
        url: `smtp://127.0.0.1:${smtp.port}`,
        from: 'TillSafe SH01 <sh01@tillsafe.test>',
        timeoutSeconds: 3,
      },
    });
    till = apiClient(store.url);
    await till.signInAtTill('SH01-C1', 'till_sh01_1');
    office = apiClient(store.url);
    await office.signInToBackOffice('SH01-M1');
    barcode = (
      await till.get<{ variants: { barcode: string }[] }>('/api/stores/store_sh01/variants?q=KN-301')
    ).body.variants[0]!.barcode;
  });
  afterAll(async () => {
    await store?.stop();
    await smtp?.close();
  });

  const slip = async (over: Record<string, unknown> = {}) => {
    const sale = (await till.post<SaleView>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' })).body;
    await till.post(`/api/sales/${sale.id}/lines`, { barcode });
    const issued = await till.post<SlipView>(`/api/sales/${sale.id}/slip`, {
      reason: '顾客忘带钱包',
      customerName: '李先生',
      customerPhone: '13812345678',
      goods: 'held',
      ...over,
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    return issued.body;
  };
  const caseOf = async (s: SlipView) => (await office.get<CaseView>(`/api/follow-ups/${s.caseId}`)).body;
  const mailsTo = (address: string) => smtp.received.filter((r) => r.to.includes(address));

  it('a slip with an e-mail address: the customer gets it by e-mail, in both languages, with the pay-later link; the timeline says so', async () => {
    const s = await slip({ customerEmail: 'Li.Xiansheng@Example.com' });
    expect(s.customerEmail).toBe('l***@example.com');
    expect(mailsTo('li.xiansheng@example.com')).toHaveLength(0); // nothing leaves before the outbox is sent
    expect(await store.notifier.drain()).toMatchObject({ sent: 1, retried: 0, failed: 0 });
    const [got] = mailsTo('li.xiansheng@example.com');
    expect(got!.mail.subject).toContain(s.number);
    expect(got!.mail.subject).toMatch(/小单.*Provisional slip/);
    expect(got!.mail.text).toContain(`${store.url}/pay/${s.payToken}`);
    expect(got!.mail.text).toContain('李先生，您好');
    expect(got!.mail.text).toContain('Dear 李先生');
    expect(got!.mail.messageId).toMatch(/^<ntf.*@tillsafe>$/);
    const kase = await caseOf(s);
    expect(kase.notifications).toMatchObject([
      { kind: 'slip_issued', channel: 'smtp', status: 'sent', tries: 1 },
    ]);
    expect(kase.timeline.at(-1)).toMatchObject({ event: 'notified', actorId: 'system' });
    // Sending again finds nothing: each message once.
    expect(await store.notifier.drain()).toMatchObject({ sent: 0, retried: 0, failed: 0 });
    expect(mailsTo('li.xiansheng@example.com')).toHaveLength(1);

    // The manager's reminder, then the payment: each tells the customer once more.
    await office.post(`/api/follow-ups/${s.caseId}/reminders`, {});
    await till.post(`/api/sales/${s.sale.id}/payments/cash`, { tenderedFen: s.dueFen });
    expect(await store.notifier.drain()).toMatchObject({ sent: 2 });
    expect(mailsTo('li.xiansheng@example.com').map((r) => r.mail.subject)).toEqual([
      expect.stringContaining('Provisional slip'),
      expect.stringContaining('Reminder'),
      expect.stringContaining('settled'),
    ]);
    expect((await caseOf(s)).timeline.map((e) => e.event)).toEqual([
      'opened',
      'notified',
      'reminder',
      'paid',
      'notified',
      'notified',
    ]);
  });

  it('no e-mail address: the built-in channel writes the message on the case timeline, and nothing is mailed', async () => {
    const before = smtp.received.length;
    const s = await slip();
    await store.notifier.drain();
    expect(smtp.received.length).toBe(before);
    const kase = await caseOf(s);
    expect(kase.notifications).toMatchObject([{ kind: 'slip_issued', channel: 'timeline', status: 'sent' }]);
    expect(kase.timeline.at(-1)).toMatchObject({
      event: 'notified',
      note: expect.stringContaining(s.number),
    });
  });

  it('a refused slip tells no one: the message is written with the slip or not at all', async () => {
    const count = async () =>
      Number(
        (
          await store.ctx.db.kysely
            .selectFrom('notifications')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const sale = (await till.post<SaleView>('/api/stores/store_sh01/sales', { tillId: 'till_sh01_1' })).body;
    await till.post(`/api/sales/${sale.id}/lines`, { barcode });
    const refused = await till.post(`/api/sales/${sale.id}/slip`, {
      reason: 'x',
      customerName: '李',
      customerPhone: '12345',
      goods: 'held',
      customerEmail: 'li@example.com',
    });
    expect(refused.status).toBe(422);
    expect(
      (
        await till.post(`/api/sales/${sale.id}/slip`, {
          reason: 'x',
          customerName: '李',
          customerPhone: '13812345678',
          goods: 'held',
          customerEmail: 'not an address',
        })
      ).status,
    ).toBe(400);
    expect(await count()).toBe(before);
  });

  it('a temporary refusal (451) is tried again after the scheduled wait; a permanent one (550) ends at once as "could not notify"', async () => {
    const busy = await slip({ customerEmail: 'busy@example.com' });
    const nobody = await slip({ customerEmail: 'nobody@example.com' });
    expect(await store.notifier.drain()).toMatchObject({ sent: 0, retried: 1, failed: 1 });
    expect((await caseOf(busy)).notifications).toMatchObject([
      { status: 'pending', tries: 1, lastError: expect.stringContaining('451') },
    ]);
    expect((await caseOf(busy)).timeline.at(-1)!.event).toBe('opened'); // a retry to come leaves no line
    const gone = await caseOf(nobody);
    expect(gone.notifications).toMatchObject([
      { status: 'failed', tries: 1, lastError: expect.stringContaining('550') },
    ]);
    expect(gone.timeline.at(-1)).toMatchObject({ event: 'notify_failed' });

    expect(await store.notifier.drain()).toMatchObject({ sent: 0, retried: 0 }); // not yet due
    store.clock.advance(RETRY_DELAYS_MS[0]);
    expect(await store.notifier.drain()).toMatchObject({ sent: 1 });
    expect((await caseOf(busy)).notifications).toMatchObject([{ status: 'sent', tries: 2 }]);
    expect(mailsTo('busy@example.com')).toHaveLength(1);
  });

  it('two senders at once send each message once (a lease per message)', async () => {
    const s = await slip({ customerEmail: 'zhao@example.com' });
    const second = new NotificationDispatcher(
      store.ctx,
      [smtpChannel({ url: `smtp://127.0.0.1:${smtp.port}`, from: 'x@tillsafe.test' })],
      () => store.url,
    );
    const [a, b] = await Promise.all([store.notifier.drain(), second.drain()]);
    await second.stop();
    expect(a.sent + b.sent).toBe(1);
    expect(mailsTo('zhao@example.com')).toHaveLength(1);
    expect((await caseOf(s)).timeline.filter((e) => e.event === 'notified')).toHaveLength(1);
  });
  it('the mail server down: tried on schedule, then given up after the last try, and the timeline says so', async () => {
    const s = await slip({ customerEmail: 'wang@example.com' });
    const dead = new NotificationDispatcher(
      store.ctx,
      [smtpChannel({ url: 'smtp://127.0.0.1:1', from: 'x@tillsafe.test', timeoutSeconds: 1 })],
      () => store.url,
    );
    for (let i = 0; i < MAX_TRIES; i++) {
      await dead.drain();
      store.clock.advance(RETRY_DELAYS_MS[i] ?? 0);
    }
    await dead.stop();
    await office.signInToBackOffice('SH01-M1'); // hours went by: a fresh session
    const kase = await caseOf(s);
    expect(kase.notifications).toMatchObject([{ status: 'failed', tries: MAX_TRIES }]);
    expect(kase.timeline.filter((e) => e.event === 'notify_failed')).toHaveLength(1);
    expect(mailsTo('wang@example.com')).toHaveLength(0);
  });
});
