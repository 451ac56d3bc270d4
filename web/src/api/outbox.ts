/**
 * Unfinished requests survive a reload: each mutating request is written here (with its
 * idempotency key) before it is sent and removed only once the server has answered. On start the
 * till re-sends what is left with the same keys, so the server replays its first answer instead of
 * doing the work twice — no lost sale, no double payment.
 */
export interface PendingRequest {
  key: string;
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  body: unknown;
  tillId: string;
  createdAt: string;
}

const STORAGE_KEY = 'tillsafe.outbox.v1';

function read(): PendingRequest[] {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as PendingRequest[]) : [];
  } catch {
    return [];
  }
}

function write(items: PendingRequest[]): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(items));
}

export const outbox = {
  add(item: PendingRequest): void {
    write([...read().filter((i) => i.key !== item.key), item]);
  },
  remove(key: string): void {
    write(read().filter((i) => i.key !== key));
  },
  pending(tillId?: string): PendingRequest[] {
    return read().filter((i) => tillId === undefined || i.tillId === tillId);
  },
};
