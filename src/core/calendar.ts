import { badArgument } from './errors.js';

/**
 * Calendar arithmetic on local day numbers (days since 1970-01-01 in the report's time zone).
 * Day numbers come from `ZoneClock.localDay`; everything here is zone-free.
 */
const DAY_MS = 86_400_000;

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `YYYY-MM-DD` of a day number. */
export function dayKey(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `YYYY-MM` of a day number. */
export function monthKey(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 7);
}

/** Day number of the first day of the week containing `day`. */
export function weekStart(day: number, startOfWeek: Weekday): number {
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4)
  const start = WEEKDAYS.indexOf(startOfWeek);
  return day - ((weekday - start + 7) % 7);
}

/** Epoch ms of a UTC calendar date; unlike `Date.UTC`, years 0-99 are not taken as 1900-1999. */
function utcDate(year: number, monthIndex: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d.getTime();
}

/** Day number of the first day of the month containing `day`. */
export function monthStart(day: number): number {
  const d = new Date(day * DAY_MS);
  return utcDate(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
}

/** Parses `YYYY-MM-DD` or `YYYYMMDD` into a day number; rejects impossible dates such as 2025-02-30. */
export function parseDay(text: string, flag: string): number {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  if (match === null || (text.includes('-') && text.trim().length !== 10)) {
    throw badArgument(`${flag} expects a date as YYYY-MM-DD or YYYYMMDD, got "${text}"`);
  }
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const ms = utcDate(y, m - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    throw badArgument(`${flag}: "${text}" is not a calendar date`);
  }
  return ms / DAY_MS;
}

export function parseWeekday(text: string): Weekday {
  const lower = text.trim().toLowerCase();
  const found = WEEKDAYS.find((w) => w === lower || w.slice(0, 3) === lower);
  if (found === undefined) {
    throw badArgument(`--start-of-week expects a weekday name (${WEEKDAYS.join(', ')}), got "${text}"`);
  }
  return found;
}
