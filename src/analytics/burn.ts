/**
 * Burn rate: is the latest bucket of spend running hotter than the ones before it?
 *
 * Rules:
 * - Buckets are counted back from `now`, so the latest bucket is a full bucket ending now (no partial
 *   bucket compared with full ones). n = ⌊lookback / bucket⌋; a remainder older than the oldest
 *   whole bucket is left out.
 * - The baseline is the mean of the EARLIER buckets that have any spend (cost > 0): idle stretches
 *   (nights, weekends) say nothing about how fast a working session burns, and would otherwise make
 *   any activity look like a spike. The latest bucket counts even when empty (−100 %: spending stopped).
 * - accelerationPct = (latest − baseline) / baseline · 100. Without an earlier non-empty bucket there
 *   is no baseline: accelerationPct is null and the status `insufficient`.
 * - The alert fires when accelerationPct is strictly greater than the limit.
 */
import { badArgument } from '../core/errors.js';

export interface BurnInput {
  /** Cost per bucket, oldest → newest; bucket i covers [now − (n−i)·bucketMs, now − (n−1−i)·bucketMs). */
  bucketsNanos: readonly number[];
  alertOnAccelerationPct?: number;
}

export interface Burn {
  /** The newest bucket's cost; 0 when there are no buckets. */
  latestNanos: number;
  /** Mean cost of the earlier non-empty buckets (fractional); null without any. */
  baselineNanos: number | null;
  accelerationPct: number | null;
  /** How many earlier buckets had spend: the baseline's sample size. */
  nonEmptyEarlier: number;
  status: 'ok' | 'alert' | 'insufficient';
}

export function burn(input: BurnInput): Burn {
  const latestNanos = input.bucketsNanos.at(-1) ?? 0;
  const earlier = input.bucketsNanos.slice(0, -1).filter((cost) => cost > 0);
  if (earlier.length === 0) {
    return { latestNanos, baselineNanos: null, accelerationPct: null, nonEmptyEarlier: 0, status: 'insufficient' };
  }
  const baselineNanos = earlier.reduce((sum, cost) => sum + cost, 0) / earlier.length;
  const accelerationPct = ((latestNanos - baselineNanos) * 100) / baselineNanos;
  const limit = input.alertOnAccelerationPct;
  const status = limit !== undefined && accelerationPct > limit ? 'alert' : 'ok';
  return { latestNanos, baselineNanos, accelerationPct, nonEmptyEarlier: earlier.length, status };
}

/** Half-open [since, until) bucket bounds, oldest first, the last ending at `now`. */
export function bucketEdges(now: number, bucketMs: number, lookbackMs: number): { since: number; until: number }[] {
  if (!(bucketMs > 0) || !(lookbackMs > 0)) {
    throw badArgument(`the bucket (${describeMs(bucketMs)}) and the lookback (${describeMs(lookbackMs)}) must be positive durations`);
  }
  if (bucketMs > lookbackMs) {
    throw badArgument(`the bucket (${describeMs(bucketMs)}) is longer than the lookback (${describeMs(lookbackMs)})`, 'the lookback must hold at least two buckets for a comparison');
  }
  const n = Math.floor(lookbackMs / bucketMs);
  return Array.from({ length: n }, (_, i) => ({ since: now - (n - i) * bucketMs, until: now - (n - 1 - i) * bucketMs }));
}

/** `36h`, `2d`, `1500ms`: the largest whole unit, as the user would have typed it. */
function describeMs(ms: number): string {
  if (ms > 0 && ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms > 0 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  return `${ms}ms`;
}
