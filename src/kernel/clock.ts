/** Time is injected so flows can be replayed deterministically in tests and simulations. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2026-11-23T02:00:00.000Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}

// Building an Intl.DateTimeFormat costs far more than using one: keep one per (kind, time zone).
const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(kind: 'date' | 'datetime', timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(
      'en-CA',
      kind === 'date'
        ? { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }
        : {
            timeZone,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
            hourCycle: 'h23',
          },
    );
    formats.set(key, format);
  }
  return format;
}

/** The calendar date (yyyymmdd) of an instant in a store's time zone. */
export function localDateKey(instant: Date, timeZone: string): string {
  return localDate(instant, timeZone).replaceAll('-', '');
}

/** The same date written yyyy-mm-dd, as business days are named in the API and on paper. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = formatFor('date', timeZone).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** "2026-11-23 10:05" in a store's time zone, for receipts and screens. */
export function localDateTime(instant: Date, timeZone: string): string {
  const parts = formatFor('datetime', timeZone).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}
