/** A local SMTP server for the notifier's tests: keeps what it is sent. */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  to: string[];
  mail: ParsedMail;
}

/** A local SMTP server: keeps what it is sent; `busy@` is refused once with 451, `nobody@` always with 550. */
export async function localSmtp(): Promise<{ port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  let busyOnce = true;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('nobody@'))
        return callback(Object.assign(new Error('5.1.1 no such mailbox'), { responseCode: 550 }));
      if (address.address.startsWith('busy@') && busyOnce) {
        busyOnce = false;
        return callback(Object.assign(new Error('4.2.1 try again later'), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ to: (session.envelope.rcptTo ?? []).map((r) => r.address), mail });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}
