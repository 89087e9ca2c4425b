import type { PlanProvider } from '../pricing/plan-catalog.js';

/** A flat subscription from the config: what it costs a month and the day of the month it renews. */
export interface Plan {
  provider: PlanProvider;
  /** The plan's name, or `$N/month` for a plan given only by price. */
  name: string;
  monthlyNanos: number;
  /** Day of the month (1-28) a plan month starts. */
  startDay: number;
}

/** Usage costed at API prices; `provider` absent counts for no plan. */
export interface CostRow {
  provider?: string;
  costNanos: number;
}

/** A plan month: local days since 1970-01-01, `endDay` excluded. */
export interface PlanMonth {
  firstDay: number;
  endDay: number;
}

/** What a plan's usage would have cost at API prices in one plan month, and how many times the plan's price that is. */
export interface PlanValue {
  plan: Plan;
  month: PlanMonth;
  apiEquivalentNanos: number;
  /** API-equivalent cost over the plan's monthly price. */
  multiple: number;
}

const DAY_MS = 86_400_000;

/** The plan month holding local day `today`: from the last `startDay` on or before it to the same day a month later. */
export function planMonth(startDay: number, today: number): PlanMonth {
  const date = new Date(today * DAY_MS);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() - (date.getUTCDate() >= startDay ? 0 : 1);
  return { firstDay: Date.UTC(year, month, startDay) / DAY_MS, endDay: Date.UTC(year, month + 1, startDay) / DAY_MS };
}

/** The value of `plan` over `month`, from usage rows of that month (rows of other providers are left out). */
export function planValue(plan: Plan, month: PlanMonth, rows: readonly CostRow[]): PlanValue {
  let apiEquivalentNanos = 0;
  for (const row of rows) if (row.provider === plan.provider) apiEquivalentNanos += row.costNanos;
  return { plan, month, apiEquivalentNanos, multiple: plan.monthlyNanos === 0 ? 0 : apiEquivalentNanos / plan.monthlyNanos };
}
