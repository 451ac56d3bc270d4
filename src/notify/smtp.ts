/**
 * The e-mail channel: SMTP through nodemailer, to the server named by `TILLSAFE_SMTP_URL`
 * (`smtp://user:pass@host:587`, or `smtps://…`), from `TILLSAFE_SMTP_FROM`. The message id is the
 * outbox row's, so a resend after a crash is recognisable as the same message. 5xx answers are
 * permanent (no such mailbox, refused); everything else is tried again later.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { ChannelFailure, type NotificationChannel, type OutgoingMessage } from './dispatcher';

export interface SmtpOptions {
  url: string;
  from: string;
  /** Seconds to wait for the server at each step before it counts as down. */
  timeoutSeconds?: number;
}

export function smtpOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SmtpOptions | null {
  const url = env.TILLSAFE_SMTP_URL?.trim();
  if (!url) return null;
  return { url, from: env.TILLSAFE_SMTP_FROM?.trim() || 'TillSafe <no-reply@tillsafe.local>' };
}

export function smtpChannel(options: SmtpOptions): NotificationChannel {
  const seconds = (options.timeoutSeconds ?? 10) * 1000;
  const url = new URL(options.url);
  const transport: Transporter = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    connectionTimeout: seconds,
    greetingTimeout: seconds,
    socketTimeout: seconds,
  });
  return {
    name: 'smtp',
    async send(m: OutgoingMessage) {
      try {
        await transport.sendMail({
          from: options.from,
          to: m.to,
          subject: m.subject,
          text: m.body,
          messageId: `<${m.id}@tillsafe>`,
          headers: { 'X-TillSafe-Notification': m.id },
        });
      } catch (error: unknown) {
        const code = (error as { responseCode?: number }).responseCode;
        throw new ChannelFailure(
          error instanceof Error ? error.message : String(error),
          typeof code === 'number' && code >= 500,
        );
      }
    },
    async close() {
      transport.close();
    },
  };
}
