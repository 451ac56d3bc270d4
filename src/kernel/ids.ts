import { randomBytes } from 'node:crypto';
import type { Clock } from './clock';

/** Randomness is injected (like time) so a seeded run reproduces every id. */
export interface IdSource {
  /** A time-ordered unique id with a readable prefix, e.g. `sale_01JD…`. */
  next(prefix: string): string;
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
export function ulidSource(clock: Clock, random: (n: number) => Uint8Array = randomBytes): IdSource {
  let lastTime = -1;
  let lastRandom: number[] = [];
  return {
    next(prefix: string): string {
      const now = clock.now().getTime();
      if (now > lastTime) {
        lastTime = now;
        lastRandom = Array.from(random(16), (b) => b % 32);
      } else {
        for (let i = lastRandom.length - 1; i >= 0; i--) {
          lastRandom[i] = (lastRandom[i]! + 1) % 32;
          if (lastRandom[i] !== 0) break;
        }
      }
      return `${prefix}_${encodeTime(lastTime)}${lastRandom.map((d) => CROCKFORD[d]).join('')}`;
    },
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
