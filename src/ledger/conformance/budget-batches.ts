import type { RecordedEvent } from '../../testing/record-events.js';

/** Four writers commit 10 batches of 5 events ($0.30 each, $1.50 a batch): $60 in all. */
export const BUDGET_WRITERS = 4;
export const BUDGET_BATCHES = 10;
export const BUDGET_PER_BATCH = 5;
export const BUDGET_EVENT_NANOS = 0.3e9;
export const BUDGET_NOW = Date.UTC(2025, 9, 10, 12);

/** The events writer `w` commits in its batch `b` (a session of its own). */
export function budgetEvents(w: number, b: number): RecordedEvent[] {
  return Array.from({ length: BUDGET_PER_BATCH }, (_, i) => ({ occurredAt: BUDGET_NOW - 3_600_000 + b * BUDGET_PER_BATCH + i, costNanos: BUDGET_EVENT_NANOS, sessionId: `w${w}` }));
}
