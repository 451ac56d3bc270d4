/**
 * The notification channel contract: every channel the notifier sends through (the built-in case
 * timeline, SMTP against a real server started here, test/support/local-smtp.ts) delivers a message once, reports a refusal
 * as a ChannelFailure that says whether trying again can help, never throws anything else, and
 * closes cleanly. A fault a channel cannot have is reported skipped, with why.
 */
import { describe, expect, it } from 'vitest';
import { ChannelFailure, type NotificationChannel, smtpChannel, timelineChannel } from '../../src/notify';
import { localSmtp } from '../support/local-smtp';
import { type Coverage, itWithFault } from './fault-coverage';

type ChannelFault = 'refused_for_now' | 'refused_for_good' | 'unreachable';

interface ChannelHarness {
  channel: NotificationChannel;
  /** A recipient the channel delivers to, and what it delivered to them (subject and body). */
  to: string;
  delivered(id: string): Promise<{ subject: string; body: string }[]>;
  /** A recipient (or a channel) that fails this way. */
  failing(fault: ChannelFault): Promise<{ channel: NotificationChannel; to: string }>;
  close(): Promise<void>;
}

function describeChannelContract(
  name: string,
  coverage: Coverage<ChannelFault>,
  setUp: () => Promise<ChannelHarness>,
) {
  describe(`the notification channel contract: ${name}`, () => {
    const withHarness = (fn: (h: ChannelHarness) => Promise<void>) => async () => {
      const h = await setUp();
      try {
        await fn(h);
      } finally {
        await h.close();
      }
    };
    const itWith = itWithFault(coverage);
    let n = 0;
    const message = (to: string) => ({
      id: `ntf_contract_${++n}`,
      to,
      subject: '小单 SH01-X20261123-0001',
      body: '您好，您的小单待付 ¥899.00。\nHello, your slip has ¥899.00 due.',
    });

    it(
      'delivers a message once, subject and body as given (Chinese included)',
      withHarness(async (h) => {
        const m = message(h.to);
        await expect(h.channel.send(m)).resolves.toBeUndefined();
        const got = await h.delivered(m.id);
        if (h.channel.name === 'timeline') expect(got).toEqual([]);
        else expect(got).toEqual([{ subject: m.subject, body: m.body }]);
      }),
    );

    itWith(
      'refused_for_now',
      'a refusal that may pass is a ChannelFailure, not permanent',
      withHarness(async (h) => {
        const f = await h.failing('refused_for_now');
        const error = await f.channel.send(message(f.to)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ChannelFailure);
        expect((error as ChannelFailure).permanent).toBe(false);
      }),
    );

    itWith(
      'refused_for_good',
      'a refusal trying again cannot help is a permanent ChannelFailure',
      withHarness(async (h) => {
        const f = await h.failing('refused_for_good');
        const error = await f.channel.send(message(f.to)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ChannelFailure);
        expect((error as ChannelFailure).permanent).toBe(true);
      }),
    );

    itWith(
      'unreachable',
      'a channel that cannot be reached is a ChannelFailure to try again, never a crash',
      withHarness(async (h) => {
        const f = await h.failing('unreachable');
        const error = await f.channel.send(message(f.to)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ChannelFailure);
        expect((error as ChannelFailure).permanent).toBe(false);
        await f.channel.close?.();
      }),
    );

    it(
      'closes, and closing again does no harm',
      withHarness(async (h) => {
        await h.channel.close?.();
        await h.channel.close?.();
      }),
    );
  });
}

const NOTHING_LEAVES =
  'the timeline channel sends nothing out of the store: it cannot be refused or unreachable';
describeChannelContract(
  'the case timeline (built in)',
  { refused_for_now: NOTHING_LEAVES, refused_for_good: NOTHING_LEAVES, unreachable: NOTHING_LEAVES },
  async () => ({
    channel: timelineChannel,
    to: 'the case timeline',
    delivered: async () => [],
    failing: async () => {
      throw new Error('the timeline cannot fail');
    },
    close: async () => undefined,
  }),
);

describeChannelContract(
  'SMTP (nodemailer against a local server)',
  { refused_for_now: true, refused_for_good: true, unreachable: true },
  async () => {
    const smtp = await localSmtp();
    const options = {
      url: `smtp://127.0.0.1:${smtp.port}`,
      from: 'TillSafe <no-reply@tillsafe.test>',
      timeoutSeconds: 2,
    };
    const channel = smtpChannel(options);
    const extra: NotificationChannel[] = [];
    return {
      channel,
      to: 'li@example.com',
      delivered: async (id) =>
        smtp.received
          .filter((r) => r.mail.headers.get('x-tillsafe-notification') === id)
          .map(({ mail }) => ({ subject: mail.subject ?? '', body: (mail.text ?? '').replace(/\n$/, '') })),
      failing: async (fault) => {
        if (fault === 'refused_for_now') return { channel, to: 'busy@example.com' };
        if (fault === 'refused_for_good') return { channel, to: 'nobody@example.com' };
        // A port nothing listens on: connection refused.
        const dead = smtpChannel({ ...options, url: 'smtp://127.0.0.1:9' });
        extra.push(dead);
        return { channel: dead, to: 'li@example.com' };
      },
      close: async () => {
        await channel.close?.();
        for (const c of extra) await c.close?.();
        await smtp.close();
      },
    };
  },
);
