import type { Temporality } from '../otlp-record.js';

/** `AggregationTemporality`: 1 delta, 2 cumulative, anything else unspecified. */
export function temporalityOf(value: number): Temporality {
  return value === 1 ? 'delta' : value === 2 ? 'cumulative' : 'unspecified';
}
