/**
 * The largest numbers one event may carry, the same wherever it comes from (an agent's log, `ingest`,
 * printed usage), and why they keep every cost an exact integer:
 *
 * - a token count is a whole number from 0 to 10^9 in each field: a thousand times the largest context
 *   window offered today (10^6 tokens);
 * - a price is at most 10^9 pico-USD per token ($1,000 per million tokens; the dearest listed is $600);
 * - so one event costs at most 5 priced fields × 10^9 tokens × 10^9 picos = 5 × 10^18 picos (below
 *   2^63, computed exactly) = 5 × 10^15 nano-USD, below 2^53 ≈ 9.007 × 10^15: every cost is a whole
 *   number that JavaScript and SQLite hold exactly.
 *
 * Sums: a sum of one token field over N events is at most N × 10^9, below 2^63 ≈ 9.22 × 10^18 for any
 * ledger under 9.2 × 10^9 events (at 10,000 requests a day, 2,500 years). A sum of costs passes 2^63
 * nano-USD only past $9.2 billion of spend; the budget check reads such a spend as more than any
 * budget instead of failing (a budget is at most 2^53 nano-USD).
 */
export const MAX_TOKENS_PER_FIELD = 1_000_000_000;
export const MAX_PICOS_PER_TOKEN = 1_000_000_000;
/** Input, output, 5-minute and 1-hour cache writes, cache reads (reasoning is inside output). */
export const PRICED_FIELDS = 5;
/** 5 × 10^9 tokens × 10^6 nano-USD per token (10^9 picos) = 5 × 10^15. */
export const MAX_COST_NANOS_PER_EVENT = PRICED_FIELDS * MAX_TOKENS_PER_FIELD * (MAX_PICOS_PER_TOKEN / 1_000);
/** The bound as people read it, for messages. */
export const MAX_TOKENS_TEXT = '10^9';

/** Whether `value` is a token count one event may carry: a whole number from 0 to 10^9. */
export function isTokenCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_TOKENS_PER_FIELD;
}
