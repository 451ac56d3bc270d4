/** Talking to the store server: JSON in and out, problem+json errors, idempotency keys made here. */
import { outbox, type PendingRequest } from './outbox';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: { line: number; field: string; reason: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
}

/** The server could not be reached; the request stays in the outbox and will be re-sent. */
export class OfflineError extends Error {}

let language = 'zh-CN';
export function setApiLanguage(lang: string): void {
  language = lang;
}

// The session's CSRF token: sent with every change. The session itself is an httpOnly cookie the
// page never sees.
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Problem codes that mean "sign in again": the app listens and shows the sign-in screen. */
export const SESSION_LOST = new Set([
  'unauthenticated',
  'session_invalid',
  'session_expired',
  'session_ended',
  'session_revoked',
]);
type Listener = (code: string) => void;
const sessionListeners = new Set<Listener>();
export function onSessionLost(listener: Listener): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

export function newKey(): string {
  return crypto.randomUUID();
}

async function parse<T>(response: Response): Promise<T> {
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const problem = (
      typeof body === 'object' && body
        ? body
        : { title: String(body), status: response.status, code: 'http_error', type: '' }
    ) as Problem;
    if (SESSION_LOST.has(problem.code)) for (const listener of sessionListeners) listener(problem.code);
    throw new ApiError(problem);
  }
  return body as T;
}

export async function get<T>(path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json', 'accept-language': language } });
  } catch {
    throw new OfflineError('offline');
  }
  return parse<T>(response);
}

async function sendPending<T>(item: PendingRequest): Promise<T> {
  let response: Response;
  try {
    response = await fetch(item.path, {
      method: item.method,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'accept-language': language,
        'idempotency-key': item.key,
        ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      },
      body: item.body === undefined ? undefined : JSON.stringify(item.body),
    });
  } catch {
    throw new OfflineError('offline');
  }
  // Any answer from the server is final for this key — except "sign in first": then nothing was
  // done, and the request is sent again once someone has signed in.
  if (response.status !== 401) outbox.remove(item.key);
  return parse<T>(response);
}

export function mutate<T>(
  method: PendingRequest['method'],
  path: string,
  body: unknown,
  tillId: string,
  key = newKey(),
): Promise<T> {
  const item: PendingRequest = { key, method, path, body, tillId, createdAt: new Date().toISOString() };
  outbox.add(item);
  return sendPending<T>(item);
}

/** Re-sends what a reload or a dropped connection left unfinished, oldest first; returns the answers. */
export async function replayOutbox(tillId: string): Promise<unknown[]> {
  const answers: unknown[] = [];
  for (const item of outbox.pending(tillId)) {
    try {
      answers.push(await sendPending(item));
    } catch (error) {
      if (error instanceof OfflineError) break;
      answers.push(error);
    }
  }
  return answers;
}

/**
 * A change outside the till's outbox (sign-in, back office): sent once, with a fresh idempotency
 * key unless one is given, and the CSRF token.
 */
export async function send<T>(
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  key: string = newKey(),
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        accept: 'application/json',
        'accept-language': language,
        'idempotency-key': key,
        ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new OfflineError('offline');
  }
  return parse<T>(response);
}

/** A file sent as it is (a statement upload), with the same key, language and CSRF token as `send`. */
export async function sendFile<T>(path: string, file: Blob, key: string = newKey()): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        accept: 'application/json',
        'accept-language': language,
        'idempotency-key': key,
        ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
      },
      body: file,
    });
  } catch {
    throw new OfflineError('offline');
  }
  return parse<T>(response);
}
