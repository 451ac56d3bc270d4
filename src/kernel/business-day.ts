/**
 * A store's day in its own time: when it opens and closes, and what "the next business morning"
 * is. Pure. China has no daylight saving, so an offset is exact there; a store elsewhere would
 * want a time-zone library.
 */
export interface StoreHours {
  /** Minutes east of UTC (China: +480). */
  utcOffsetMinutes: number;
  /** When the day's work starts (local minutes after midnight), e.g. 10:00 → 600. */
  opensAtMinute: number;
  /** When the store closes (local minutes after midnight), e.g. 22:00 → 1320. */
  closesAtMinute: number;
}

export const DEFAULT_HOURS: StoreHours = { utcOffsetMinutes: 480, opensAtMinute: 600, closesAtMinute: 1320 };

export const DAY_MS = 86_400_000;

/** The business day `at` falls on in the store, yyyy-mm-dd (as day closes name it). */
export function businessDayOf(at: number, hours: StoreHours = DEFAULT_HOURS): string {
  return new Date(at + hours.utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** The local midnight (as a UTC instant) of the day `at` falls on in the store. */
export function localMidnight(at: number, hours: StoreHours = DEFAULT_HOURS): number {
  const offset = hours.utcOffsetMinutes * 60_000;
  return Math.floor((at + offset) / DAY_MS) * DAY_MS - offset;
}

/** The next day's opening (a clothing store opens every day): strictly after `at`. */
export function nextMorning(at: number, hours: StoreHours = DEFAULT_HOURS): number {
  return localMidnight(at, hours) + DAY_MS + hours.opensAtMinute * 60_000;
}

/** Closing time of the day `at` falls on. */
export function closingOf(at: number, hours: StoreHours = DEFAULT_HOURS): number {
  return localMidnight(at, hours) + hours.closesAtMinute * 60_000;
}

/** The day `days` after `day` (both yyyy-mm-dd, calendar days). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The day `months` calendar months after `day` (yyyy-mm-dd), clamped to the month's end (Jan 31 + 1 → Feb 28). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/** A business day's span (yyyy-mm-dd, the store's calendar) as the ISO instants rows are stamped with. */
export function businessDaySpan(
  day: string,
  hours: StoreHours = DEFAULT_HOURS,
): { from: string; to: string } {
  const start = Date.parse(`${day}T00:00:00Z`) - hours.utcOffsetMinutes * 60_000;
  return { from: new Date(start).toISOString(), to: new Date(start + DAY_MS).toISOString() };
}
