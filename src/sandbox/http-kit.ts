/**
 * What every sandbox server shares: reading a bounded request body, listening on the loopback and
 * closing, JSON answers for the control API, posting notifications in order (best effort, as
 * providers do) and waiting for them, and China time as the wallets print it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * A sandbox provider as an HTTP service: listens on the loopback by default and closes with its
 * connections; the provider answers each request in `handle`.
 */
export abstract class SandboxService {
  private server: Server | null = null;
  private address: string | null = null;

  protected abstract handle(req: IncomingMessage, res: ServerResponse): Promise<void>;

  /** Where it listens, once it does. */
  get url(): string | null {
    return this.address;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.address = `http://${host}:${(server.address() as AddressInfo).port}`;
    return this.address;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The wallets' control API: script faults, reset, read the ledger (JSON in, JSON out). */
export function answerControl(
  method: string,
  url: URL,
  body: string,
  res: ServerResponse,
  sandbox: { script(faults: never[]): void; reset(): void; ledger(): unknown },
): void {
  let input: Record<string, unknown> = {};
  try {
    input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
  } catch {
    sendJson(res, 400, { error: 'malformed control request' });
    return;
  }
  const route = `${method} ${url.pathname}`;
  // The faults' shapes are the sandbox's own; a malformed one simply does not match any.
  if (route === 'POST /control/script')
    sandbox.script((Array.isArray(input.faults) ? input.faults : []) as never[]);
  else if (route === 'POST /control/reset') sandbox.reset();
  else if (route === 'GET /control/ledger') {
    sendJson(res, 200, sandbox.ledger());
    return;
  } else {
    sendJson(res, 404, { error: 'unknown control' });
    return;
  }
  sendJson(res, 200, { ok: true });
}

/** Notifications on their way: posted one after another, best effort; `delivered()` waits for all. */
export class Deliveries {
  private readonly running = new Set<Promise<void>>();
  /** Notifications posted so far. */
  sent = 0;

  post(url: string, bodies: readonly { type: string; text: string }[], delayMs = 0): void {
    const delivery = (async () => {
      if (delayMs > 0) await sleep(delayMs);
      for (const body of bodies) {
        this.sent++;
        await fetch(url, {
          method: 'POST',
          headers: { 'content-type': body.type },
          body: body.text,
          signal: AbortSignal.timeout(5_000),
        })
          .then((r) => r.body?.cancel())
          .catch(() => undefined); // best effort, as a provider's notifications are
      }
    })();
    this.running.add(delivery);
    void delivery.finally(() => this.running.delete(delivery));
  }

  async delivered(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

/** `yyyy-MM-dd HH:mm:ss` in China time (UTC+8, no daylight saving), as the wallets print it. */
export function chinaTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
}
