/** A real store server on a free port over a fresh database, for integration and e2e tests. */

import { ManualClock, seededRandom, ulidSource } from '../../src/kernel';
import { demoUser, type RunningStore, startStore } from '../../src/start';
import { freshDatabase, type TestDatabase } from './databases';

export interface TestStore extends RunningStore {
  database: TestDatabase;
  clock: ManualClock;
  stop(): Promise<void>;
}

export async function startTestStore(
  dialect: 'sqlite' | 'postgres',
  options: {
    webDir?: string | null;
    seed?: boolean;
    scheduler?: number | null;
    smtp?: import('../../src/notify').SmtpOptions | null;
  } = {},
): Promise<TestStore> {
  const database = await freshDatabase(dialect);
  const clock = new ManualClock();
  const running = await startStore({
    db: database.config,
    port: 0,
    host: '127.0.0.1',
    seed: options.seed ?? true,
    clock,
    ids: ulidSource(clock, seededRandom(42)),
    webDir: options.webDir ?? null,
    // No e-mail unless the test brings its own SMTP server; the outbox is sent when a test drains it.
    notify: { smtp: options.smtp ?? null, intervalMs: null },
    // Sandbox terminals that answer at once; the scheduler moves only when a test ticks it.
    payments: {
      sandbox: true,
      sandboxProcessingMs: 0,
      paymentTimeoutMs: 1_500,
      requestTimeoutMs: 1_000,
      schedulerIntervalMs: options.scheduler ?? null,
    },
  });
  return {
    ...running,
    database,
    clock,
    stop: async () => {
      await running.close();
      await database.drop();
    },
  };
}

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A small HTTP client over fetch: real requests to the real server. It keeps the session cookie
 * and sends the session's CSRF token on changes, as the web app does.
 */
export function apiClient(baseUrl: string) {
  let cookie: string | null = null;
  let csrf: string | null = null;
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    const base: Record<string, string> = { accept: 'application/json', 'accept-language': 'en' };
    if (cookie) base.cookie = cookie;
    if (csrf && method !== 'GET') base['x-csrf-token'] = csrf;
    const init: RequestInit = { method, headers: { ...base, ...headers } };
    if (body !== undefined) {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        init.body = typeof body === 'string' ? body : new Blob([Buffer.from(body)]);
      } else {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
    }
    const response = await fetch(`${baseUrl}${path}`, init);
    const set = response.headers.get('set-cookie');
    if (set?.startsWith('tillsafe_session=')) {
      const value = set.slice(0, set.indexOf(';'));
      cookie = value === 'tillsafe_session=' ? null : value;
    }
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') ? await response.json() : await response.text();
    const session = (parsed as { session?: { csrfToken?: string } } | null)?.session;
    if (response.ok && session?.csrfToken) csrf = session.csrfToken;
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
  const client = {
    get: <T = Record<string, unknown>>(path: string, headers?: Record<string, string>) =>
      call<T>('GET', path, undefined, headers),
    post: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, body, headers),
    patch: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PATCH', path, body, headers),
    put: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PUT', path, body, headers),
    delete: <T = Record<string, unknown>>(path: string, headers?: Record<string, string>) =>
      call<T>('DELETE', path, undefined, headers),
    raw: call,
    /** Headers that carry this client's session, for requests sent with plain fetch. */
    authHeaders: (): Record<string, string> => ({
      ...(cookie ? { cookie } : {}),
      ...(csrf ? { 'x-csrf-token': csrf } : {}),
    }),
    /** The cookie and CSRF token this client holds (security tests forge and swap them). */
    credentials: () => ({ cookie, csrf }),
    setCredentials: (next: { cookie: string | null; csrf: string | null }) => {
      cookie = next.cookie;
      csrf = next.csrf;
    },
    /** Signs in at a till as a demo user (by staff code), failing loudly if it does not work. */
    signInAtTill: async (staffCode: string, tillId = 'till_sh01_1') => {
      const user = demoUser(staffCode);
      const storeId = user.storeId ?? 'store_sh01';
      const answer = await call('POST', '/api/session/pin', { storeId, tillId, staffCode, pin: user.pin });
      if (answer.status !== 200)
        throw new Error(`sign-in of ${staffCode} failed: ${JSON.stringify(answer.body)}`);
      return answer;
    },
    /** Signs in to the back office as a demo user with a password. */
    signInToBackOffice: async (staffCode: string) => {
      const user = demoUser(staffCode);
      const answer = await call('POST', '/api/session/password', { staffCode, password: user.password });
      if (answer.status !== 200)
        throw new Error(`sign-in of ${staffCode} failed: ${JSON.stringify(answer.body)}`);
      return answer;
    },
  };
  return client;
}

export type ApiClient = ReturnType<typeof apiClient>;
