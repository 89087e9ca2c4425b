import { isTokenCount } from '../../core/event-bounds.js';

/**
 * A token count of one request from a log: absent or null is 0; a whole number from 0 to 10^9 (the
 * bound every input shares, `core/event-bounds.ts`) is itself; anything else (negative, fractional,
 * text, too large) is undefined so the caller can drop the record with a reason.
 */
export function readCount(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  return isTokenCount(value) ? value : undefined;
}

/**
 * A running total a log keeps over a whole session (it may pass the per-request bound): absent or
 * null is 0, a non-negative safe integer is itself, anything else undefined.
 */
export function readRunningTotal(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  return undefined;
}
