/**
 * Percentiles by linear interpolation between closest ranks: Hyndman & Fan type 7, the default of
 * NumPy, R and spreadsheets' PERCENTILE.INC, so users can check a figure with the tool they have.
 *
 * For n sorted values and p in [0, 1]: h = (n − 1)·p, and the percentile is
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]) (0-based). p = 0 is the minimum, p = 1 the maximum and
 * p = 0.5 the median (the mean of the two middle values when n is even). With fewer than 100 values
 * p99 lies between the two largest values: it is an interpolation, not an observed cost.
 */
import { badArgument } from '../core/errors.js';

/** The p-quantile (p in [0, 1]) of values already sorted ascending; undefined when there are none. */
export function percentile(sortedAsc: readonly number[], p: number): number | undefined {
  if (!(p >= 0 && p <= 1)) throw badArgument(`a percentile must be between 0 and 1, got ${p}`);
  if (sortedAsc.length === 0) return undefined;
  const h = (sortedAsc.length - 1) * p;
  const below = Math.floor(h);
  const low = sortedAsc[below] as number;
  const high = sortedAsc[Math.min(below + 1, sortedAsc.length - 1)] as number;
  return low + (h - below) * (high - low);
}

/** The median of unsorted values (type 7 at p = 0.5); undefined when there are none. */
export function median(values: readonly number[]): number | undefined {
  return percentile(sortAsc(values), 0.5);
}

/** Nano-USD per message, each rounded to a whole nano (money stays integer). */
export interface MessageCostPercentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
}

/** p50, p90 and p99 of per-message costs in nano-USD (any order); undefined when there are none. */
export function messageCostPercentiles(costsNanos: readonly number[]): MessageCostPercentiles | undefined {
  const sorted = sortAsc(costsNanos);
  if (sorted.length === 0) return undefined;
  const at = (p: number): number => Math.round(percentile(sorted, p) as number);
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

function sortAsc(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}
