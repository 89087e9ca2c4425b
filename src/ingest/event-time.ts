/**
 * The `ts` of an ingested event → epoch milliseconds (UTC). Accepted:
 * - ISO 8601 text with a date, a time and a zone (`Z` or `±hh:mm`), e.g. `2025-10-10T12:00:00.123Z`;
 * - an epoch number (or a string of digits) whose size says its unit: seconds (10 digits, fractions
 *   allowed), milliseconds (13), microseconds (16) or nanoseconds (19). Finer units are cut to the
 *   millisecond.
 * Anything before 2000-01-01 or more than a day after `now` is refused, as for every source
 * (`occurredAtProblem`).
 */
import { occurredAtProblem } from '../core/occurred-at.js';

/** Upper bounds (exclusive) of each unit's magnitudes, with its size in milliseconds. */
const UNITS: readonly { below: number; name: string; ms: number }[] = [
  { below: 1e11, name: 'seconds', ms: 1000 },
  { below: 1e14, name: 'milliseconds', ms: 1 },
  { below: 1e17, name: 'microseconds', ms: 1e-3 },
  { below: 1e20, name: 'nanoseconds', ms: 1e-6 },
];

const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/i;

export type EventTime = { ms: number } | { problem: string };

export function parseEventTime(value: unknown, now: number): EventTime {
  let ms: number | undefined;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()))) {
    const n = typeof value === 'number' ? value : Number(value.trim());
    if (!Number.isFinite(n) || n <= 0) return { problem: 'must be a positive epoch number (seconds, ms, µs or ns) or an ISO 8601 time with a zone' };
    const unit = UNITS.find((u) => n < u.below);
    if (unit === undefined) return { problem: 'is too large for an epoch time even in nanoseconds' };
    ms = Math.floor(n * unit.ms);
    const check = inRange(ms, now, ` (read as epoch ${unit.name})`);
    return check ?? { ms };
  }
  if (typeof value === 'string') {
    const match = ISO.exec(value.trim());
    if (match === null) return { problem: 'must be an ISO 8601 time with a zone (2025-10-10T12:00:00Z) or an epoch number' };
    const [, day, time, fraction, zone] = match as unknown as [string, string, string, string | undefined, string];
    // Date.parse reads at most milliseconds and zones with a colon: normalise both.
    const offset = /^[+-]\d{4}$/.test(zone) ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase();
    ms = Date.parse(`${day}T${time}${fraction === undefined ? '' : `.${fraction.slice(0, 3).padEnd(3, '0')}`}${offset}`);
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    if (!Number.isFinite(ms) || new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d) return { problem: 'is not a valid date and time' };
    return inRange(ms, now, '') ?? { ms };
  }
  return { problem: 'must be an ISO 8601 time with a zone or an epoch number' };
}

function inRange(ms: number, now: number, how: string): { problem: string } | undefined {
  const problem = occurredAtProblem(ms, now);
  return problem === undefined ? undefined : { problem: `${problem}${how}` };
}
