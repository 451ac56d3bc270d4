/**
 * How long a session lives and when it stops counting, without I/O. A till session lasts a
 * working day and survives a quiet hour; a back-office session (more power, a password) lasts a
 * day but ends after half an hour untouched. Pure and tested (test/unit/access-model.test.ts).
 */
import type { Surface } from './matrix';

export const SESSION_LIMITS: Readonly<Record<Surface, { absoluteMs: number; idleMs: number }>> = {
  till: { absoluteMs: 14 * 3_600_000, idleMs: 2 * 3_600_000 },
  backoffice: { absoluteMs: 12 * 3_600_000, idleMs: 30 * 60_000 },
};

/** Writing `last_seen_at` on every request would make every read a write: once a minute is enough. */
export const TOUCH_EVERY_MS = 60_000;

export interface SessionFacts {
  surface: Surface;
  createdAt: number;
  lastSeenAt: number;
  endedAt: number | null;
  staffActive: boolean;
}

export type SessionVerdict =
  | { ok: true; touch: boolean }
  | { ok: false; code: 'session_ended' | 'session_expired' | 'session_revoked' };

export function sessionVerdict(session: SessionFacts, now: number): SessionVerdict {
  if (session.endedAt !== null) return { ok: false, code: 'session_ended' };
  if (!session.staffActive) return { ok: false, code: 'session_revoked' };
  const limits = SESSION_LIMITS[session.surface];
  if (now >= session.createdAt + limits.absoluteMs || now >= session.lastSeenAt + limits.idleMs)
    return { ok: false, code: 'session_expired' };
  return { ok: true, touch: now - session.lastSeenAt >= TOUCH_EVERY_MS };
}

/** When a session started at `createdAt` ends at the latest. */
export function absoluteExpiry(surface: Surface, createdAt: number): number {
  return createdAt + SESSION_LIMITS[surface].absoluteMs;
}
