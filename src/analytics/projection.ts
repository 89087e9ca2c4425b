/**
 * Where spend is heading: the average daily rate of a recent window, carried forward.
 *
 * Rules:
 * - The rate is the window's mean: costPerDayNanos = spentNanos / (windowMs / 1 day). It is a
 *   straight-line extrapolation, not a forecast: no seasonality, no trend. Days without spend inside
 *   the window count (they lower the rate); choosing the window is the caller's job.
 * - A horizon of `days` projects the spend of the NEXT `days` days: round(costPerDayNanos · days). It
 *   does not add what was already spent.
 * - Budget thresholds are percentages of the budget amount, evaluated against what was spent in the
 *   budget's current period. Each is `reached` (spent ≥ target), `never` (not reached and the rate is
 *   0), `not-this-period` (the rate reaches it only at or after the period resets) or `projected`.
 *   `days` is fractional; `at` is epoch ms rounded to the millisecond. Thresholds are listed in
 *   ascending percentage order, whatever order they were given in.
 * - A window that is not a positive duration is a BAD_ARGUMENT.
 */
import { badArgument } from '../core/errors.js';

export const MS_PER_DAY = 86_400_000;

export interface ProjectionInput {
  /** Spend inside the window, nano-USD. */
  spentNanos: number;
  windowMs: number;
  horizons: readonly { label: string; ms: number }[];
  budget?: {
    amountNanos: number;
    /** Spent in the budget's current period. */
    spentNanos: number;
    /** Epoch ms when the period resets; undefined = never resets (period 'all' or rolling). */
    periodEndsAt?: number;
    /** E.g. [75, 90, 100]. */
    thresholdsPct: readonly number[];
  };
  /** Epoch ms. */
  now: number;
}

export interface HorizonProjection {
  label: string;
  days: number;
  /** Expected spend over the next `days`, nano-USD. */
  projectedNanos: number;
}

export type ThresholdProjection = { pct: number; state: 'reached' } | { pct: number; state: 'never' } | { pct: number; state: 'projected' | 'not-this-period'; days: number; at: number };

export interface BudgetProjection {
  amountNanos: number;
  spentNanos: number;
  periodEndsAt: number | undefined;
  thresholds: ThresholdProjection[];
}

export interface Projection {
  windowDays: number;
  /** Nano-USD per day; fractional (it is a rate, not an amount). */
  costPerDayNanos: number;
  horizons: HorizonProjection[];
  /** Undefined when no budget was given. */
  budget: BudgetProjection | undefined;
}

export function projection(input: ProjectionInput): Projection {
  if (!(input.windowMs > 0)) throw badArgument(`the projection window must be a positive duration, got ${input.windowMs} ms`);
  const windowDays = input.windowMs / MS_PER_DAY;
  const costPerDayNanos = (input.spentNanos * MS_PER_DAY) / input.windowMs;
  const horizons = input.horizons.map(({ label, ms }) => {
    const days = ms / MS_PER_DAY;
    return { label, days, projectedNanos: Math.round(costPerDayNanos * days) };
  });
  return { windowDays, costPerDayNanos, horizons, budget: input.budget && budgetProjection(input.budget, costPerDayNanos, input.now) };
}

function budgetProjection(budget: NonNullable<ProjectionInput['budget']>, costPerDayNanos: number, now: number): BudgetProjection {
  const { amountNanos, spentNanos, periodEndsAt } = budget;
  const thresholds = [...budget.thresholdsPct]
    .sort((a, b) => a - b)
    .map((pct): ThresholdProjection => {
      // Multiply before dividing: a whole-percent target of a whole-nano amount stays exact.
      const targetNanos = (amountNanos * pct) / 100;
      if (spentNanos >= targetNanos) return { pct, state: 'reached' };
      if (!(costPerDayNanos > 0)) return { pct, state: 'never' };
      const days = (targetNanos - spentNanos) / costPerDayNanos;
      const at = Math.round(now + days * MS_PER_DAY);
      const state = periodEndsAt !== undefined && at >= periodEndsAt ? 'not-this-period' : 'projected';
      return { pct, state, days, at };
    });
  return { amountNanos, spentNanos, periodEndsAt, thresholds };
}
