/**
 * A token count from a log: absent or null is 0; a non-negative integer is itself; anything else
 * (negative, fractional, text) is undefined so the caller can drop the record with a reason.
 */
export function readCount(value: unknown): number | undefined {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  return undefined;
}
