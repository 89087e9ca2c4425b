import { nanosToUsd } from '../../core/money.js';
import type { BudgetStatus } from '../../budgets/evaluate.js';

/** A budget's status under the keys `budget check` promises. */
export function budgetStatusJson(s: BudgetStatus): Record<string, unknown> {
  return {
    period: s.budget.period,
    scope: s.budget.scope,
    budget_usd: nanosToUsd(s.budget.amountNanos),
    spent_usd: nanosToUsd(s.spentNanos),
    remaining_usd: nanosToUsd(s.remainingNanos),
    utilization_pct: Number.isFinite(s.utilizationPct) ? round(s.utilizationPct, 2) : null,
    level: s.level,
    threshold: s.threshold ?? null,
    recommended_action: s.recommendedAction,
    sessionCount: s.sessionCount,
    namespace: s.budget.namespace,
    periodKey: s.window.key,
    since: s.window.since === undefined ? null : new Date(s.window.since).toISOString(),
    until: s.window.until === undefined ? null : new Date(s.window.until).toISOString(),
    setAt: new Date(s.budget.setAt).toISOString(),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
