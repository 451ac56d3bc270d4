/**
 * Where a sandbox terminal's notices land when no store server is listening for them (the contract
 * suite, the simulation): a plain HTTP server on the loopback that keeps every body it is sent
 * (JSON, or form fields as an object).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NoticeInbox {
  url: string;
  /** Everything received since the last call, oldest first. */
  take(): unknown[];
  /** Everything received so far (kept). */
  all(): unknown[];
  close(): Promise<void>;
}

export async function noticeInbox(): Promise<NoticeInbox> {
  const received: unknown[] = [];
  let taken = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      // JSON (a terminal's notice) or a form (a wallet's), as the sender says.
      const form = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      received.push(form ? Object.fromEntries(new URLSearchParams(text)) : JSON.parse(text));
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notices`,
    take: () => {
      const fresh = received.slice(taken);
      taken = received.length;
      return fresh;
    },
    all: () => [...received],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
