import type { Budget, Spend } from '../ledger/ledger.js';
import { levelOf, RECOMMENDED_ACTION, severity, type Level, type Thresholds } from './ladder.js';
import type { PeriodWindow } from './period.js';

export interface BudgetStatus {
  budget: Budget;
  window: PeriodWindow;
  spentNanos: number;
  remainingNanos: number;
  /** Percent of the budget spent. */
  utilizationPct: number;
  level: Level;
  /** The threshold (percent) the level starts at; undefined for OK. */
  threshold: number | undefined;
  recommendedAction: string;
  sessionCount: number;
}

/** Where a budget stands given what was spent in its period. */
export function evaluate(budget: Budget, window: PeriodWindow, spend: Spend, thresholds: Thresholds): BudgetStatus {
  const utilizationPct = budget.amountNanos > 0 ? (spend.costNanos / budget.amountNanos) * 100 : spend.costNanos > 0 ? Number.POSITIVE_INFINITY : 0;
  const { level, threshold } = levelOf(utilizationPct, thresholds);
  return {
    budget,
    window,
    spentNanos: spend.costNanos,
    remainingNanos: budget.amountNanos - spend.costNanos,
    utilizationPct,
    level,
    threshold,
    recommendedAction: RECOMMENDED_ACTION[level],
    sessionCount: spend.sessions,
  };
}

/** The most severe of several statuses (the highest utilization among equals). */
export function mostSevere(statuses: readonly BudgetStatus[]): BudgetStatus | undefined {
  let worst: BudgetStatus | undefined;
  for (const s of statuses) {
    if (worst === undefined || severity(s.level) > severity(worst.level) || (s.level === worst.level && s.utilizationPct > worst.utilizationPct)) worst = s;
  }
  return worst;
}
