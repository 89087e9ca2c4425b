import { occurredAtProblem } from '../../core/occurred-at.js';

/** ISO-8601 text, epoch seconds or epoch milliseconds → epoch milliseconds; undefined when unusable. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    return value < 1e11 ? Math.round(value * 1000) : Math.round(value);
  }
  return undefined;
}

/**
 * The drop reason for an event stamped `ms` when that time is out of the bounds every source and
 * `ingest` share (before 2000, or more than a day ahead of this machine's clock); else undefined.
 */
export function timestampOutOfBounds(ms: number, now = Date.now()): string | undefined {
  const problem = occurredAtProblem(ms, now);
  return problem === undefined ? undefined : `timestamp ${problem}`;
}
