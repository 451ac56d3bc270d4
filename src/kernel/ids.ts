import { randomBytes, randomFillSync } from 'node:crypto';
import type { Clock } from './clock';

/** Randomness is injected (like time) so a seeded run reproduces every id. */
export interface IdSource {
  /** A time-ordered unique id with a readable prefix, e.g. `sale_01JD…`. */
  next(prefix: string): string;
  /**
   * A secret (a link's key): 130 bits of fresh randomness as 26 Crockford characters, drawn apart
   * from any id — an id's random part is incremented within a millisecond, so one id gives away
   * its neighbours.
   */
  secret(): string;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encodeTime(ms: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

/**
 * ULID-shaped ids: 10 characters of time then 16 of randomness. Monotonic within a process: in
 * the same millisecond (or if the clock steps back) the previous id's random part is incremented,
 * so ids sort in creation order.
 */
export function ulidSource(clock: Clock, random: (n: number) => Uint8Array = pooledRandomBytes()): IdSource {
  let lastTime = -1;
  let timeText = '';
  const digits = new Uint8Array(16);
  return {
    next(prefix: string): string {
      const now = clock.now().getTime();
      if (now > lastTime) {
        lastTime = now;
        timeText = encodeTime(now);
        const bytes = random(16);
        for (let i = 0; i < 16; i++) digits[i] = bytes[i]! % 32;
      } else {
        for (let i = digits.length - 1; i >= 0; i--) {
          digits[i] = (digits[i]! + 1) % 32;
          if (digits[i] !== 0) break;
        }
      }
      let text = `${prefix}_${timeText}`;
      for (let i = 0; i < 16; i++) text += CROCKFORD[digits[i]!];
      return text;
    },
    secret(): string {
      const bytes = random(26);
      let text = '';
      for (let i = 0; i < 26; i++) text += CROCKFORD[bytes[i]! % 32];
      return text;
    },
  };
}

/** System randomness drawn from a pool: one call into the OS per 256 ids instead of one per id. */
export function pooledRandomBytes(poolSize = 4096): (n: number) => Uint8Array {
  const pool = Buffer.allocUnsafe(poolSize);
  let offset = poolSize;
  return (n: number) => {
    if (n > poolSize) return randomBytes(n);
    if (offset + n > poolSize) {
      randomFillSync(pool);
      offset = 0;
    }
    const out = pool.subarray(offset, offset + n);
    offset += n;
    return out;
  };
}

/** A deterministic random source for tests and simulations (mulberry32). */
export function seededRandom(seed: number): (n: number) => Uint8Array {
  let state = seed >>> 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
    }
    return out;
  };
}
