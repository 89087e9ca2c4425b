/**
 * Sessions whose cost is out of line with the others, by the modified z-score of Iglewicz & Hoaglin
 * (1993): z = 0.6745·(x − median) / MAD, where MAD = median(|x − median|). A cost is an outlier when
 * |z| > threshold (3.5 by default, their recommendation).
 *
 * Why this and not mean ± k·σ: session costs are heavily skewed and one runaway session inflates the
 * mean and σ enough to hide itself; the median and MAD are not moved by a few extreme values.
 * 0.6745 (the 75th percentile of the standard normal) makes MAD comparable to σ for normal data.
 *
 * Rules: medians use the type-7 percentile (an even count takes the mean of the two middle values).
 * Fewer than 3 sessions, or a MAD of 0 (more than half the sessions cost exactly the same, so any
 * other cost would score infinite), give `insufficient` rather than a verdict. Both unusually high and
 * unusually low costs are flagged (|z|); costs are never negative, so low outliers are rare. Outliers
 * are listed by |z| descending, ties by key; `scores` keeps the input order.
 */
import { badArgument } from '../core/errors.js';
import { median } from './percentiles.js';

export const DEFAULT_ANOMALY_THRESHOLD = 3.5;
/** Φ⁻¹(0.75): scales MAD to the standard deviation of a normal distribution. */
const MAD_TO_SIGMA = 0.6745;

export interface AnomalyScore {
  key: string;
  costNanos: number;
  /** Modified z-score: robust standard deviations above (+) or below (−) the median. */
  z: number;
}

export type AnomalyResult =
  | { status: 'insufficient'; reason: string }
  | {
      status: 'ok';
      /** Median cost in nano-USD (may end in .5 for an even count). */
      median: number;
      /** Median absolute deviation from the median, nano-USD. */
      mad: number;
      threshold: number;
      /** Scores with |z| > threshold, largest |z| first. */
      outliers: AnomalyScore[];
      /** Every value's score, in input order. */
      scores: AnomalyScore[];
    };

export function anomalies(values: readonly { key: string; costNanos: number }[], threshold = DEFAULT_ANOMALY_THRESHOLD): AnomalyResult {
  if (!(threshold > 0)) throw badArgument(`the anomaly threshold must be a positive number, got ${threshold}`);
  if (values.length < 3) return { status: 'insufficient', reason: 'fewer than 3 sessions' };
  const costs = values.map((v) => v.costNanos);
  const center = median(costs) as number;
  const mad = median(costs.map((c) => Math.abs(c - center))) as number;
  if (mad === 0) return { status: 'insufficient', reason: 'MAD is 0 (more than half the sessions cost the same)' };
  const scores = values.map((v) => ({ key: v.key, costNanos: v.costNanos, z: (MAD_TO_SIGMA * (v.costNanos - center)) / mad }));
  const outliers = scores.filter((s) => Math.abs(s.z) > threshold).sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { status: 'ok', median: center, mad, threshold, outliers, scores };
}
