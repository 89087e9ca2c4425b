/**
 * The times an event may carry, whatever brought it in (an agent's log, `ingest`, a drop file): from
 * 2000-01-01 to a day after this machine's clock. Anything else is, in practice, a number in the wrong
 * unit or a broken clock, and is refused with the reason this gives.
 */

/** 2000-01-01T00:00:00Z. */
export const EARLIEST_MS = Date.UTC(2000, 0, 1);
/** How far ahead of this machine's clock an event may be stamped (other machines' clocks drift). */
export const FUTURE_SLACK_MS = 86_400_000;

/** Why `ms` (epoch milliseconds) cannot be an event's time at `now`, or undefined when it can. */
export function occurredAtProblem(ms: number, now: number): string | undefined {
  if (!(ms >= EARLIEST_MS)) return 'is before 2000-01-01';
  if (ms > now + FUTURE_SLACK_MS) return 'is more than a day in the future';
  return undefined;
}
