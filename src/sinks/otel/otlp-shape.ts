import { COST_COUNTER, REQUESTS_COUNTER, TOKEN_USAGE_HISTOGRAM, TOKENS_COUNTER } from './metric-names.js';
import type { Temporality } from './usage-points.js';

/** What both encodings share: the OTLP enum numbers, descriptions and time units. */

/** `AggregationTemporality`: 1 delta, 2 cumulative. */
export const TEMPORALITY: Record<Temporality, number> = { delta: 1, cumulative: 2 };

export const NANOS_PER_USD = 1e9;

export const DESCRIPTIONS: Record<string, string> = {
  [TOKEN_USAGE_HISTOGRAM]: 'Number of input and output tokens used per request',
  [TOKENS_COUNTER]: 'Tokens recorded by tokenledger, by disjoint bucket (reasoning is part of output)',
  [COST_COUNTER]: 'Cost of the recorded requests in US dollars, as priced by tokenledger',
  [REQUESTS_COUNTER]: 'Billed model requests recorded by tokenledger',
};

/** Epoch milliseconds as the decimal nanoseconds OTLP/JSON carries. */
export function nanos(ms: number): string {
  return (BigInt(Math.round(ms)) * 1_000_000n).toString();
}
