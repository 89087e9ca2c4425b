import { parseDay } from '../core/calendar.js';
import { badArgument } from '../core/errors.js';
import { isDuration, parseDuration } from '../core/duration.js';
import type { ZoneClock } from '../core/zone-clock.js';

/**
 * A point in time as users write it for `--since`: a duration back from now (`7d`, `12h`), a day
 * (`2025-10-01` or `20251001`, its start in the report's time zone) or an ISO 8601 time with a zone
 * (`2025-10-01T09:30:00Z`).
 */
export function parseInstant(text: string, flag: string, now: number, clock: ZoneClock): number {
  const t = text.trim();
  if (isDuration(t)) return now - parseDuration(t, flag);
  if (/^\d{4}-?\d{2}-?\d{2}$/.test(t)) return clock.startOfLocalDay(parseDay(t, flag));
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(t)) {
    const ms = Date.parse(t);
    if (Number.isFinite(ms)) return ms;
  }
  throw badArgument(`${flag} expects a duration back from now (7d, 12h), a date (YYYY-MM-DD) or an ISO time with its zone (2025-10-01T09:30:00Z), got "${text}"`);
}

/**
 * A day as the usage reports take it for `--since`/`--until`: anything `parseInstant` reads, as the
 * local day (in the report's zone) holding that instant: `7d` is the day seven days ago.
 */
export function parseReportDay(text: string, flag: string, now: number, clock: ZoneClock): number {
  return clock.localDay(parseInstant(text, flag, now, clock));
}
