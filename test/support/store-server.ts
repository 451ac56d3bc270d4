/** A real store server on a free port over a fresh database, for integration and e2e tests. */
import { type RunningStore, startStore } from '../../src/app';
import { ManualClock, seededRandom, ulidSource } from '../../src/kernel';
import { freshDatabase, type TestDatabase } from './databases';

export interface TestStore extends RunningStore {
  database: TestDatabase;
  clock: ManualClock;
  stop(): Promise<void>;
}

export async function startTestStore(
  dialect: 'sqlite' | 'postgres',
  options: { webDir?: string | null; seed?: boolean } = {},
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

/** A small HTTP client over fetch: real requests to the real server. */
export function apiClient(baseUrl: string) {
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    const init: RequestInit = {
      method,
      headers: { accept: 'application/json', 'accept-language': 'en', ...headers },
    };
    if (body !== undefined) {
      if (typeof body === 'string' || body instanceof Uint8Array) {
        init.body = typeof body === 'string' ? body : new Blob([Buffer.from(body)]);
      } else {
        init.body = JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] = 'application/json';
      }
    }
    const response = await fetch(`${baseUrl}${path}`, init);
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') ? await response.json() : await response.text();
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
  return {
    get: <T = Record<string, unknown>>(path: string) => call<T>('GET', path),
    post: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, body, headers),
    patch: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PATCH', path, body, headers),
    put: <T = Record<string, unknown>>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('PUT', path, body, headers),
    delete: <T = Record<string, unknown>>(path: string, headers?: Record<string, string>) =>
      call<T>('DELETE', path, undefined, headers),
    raw: call,
  };
}
