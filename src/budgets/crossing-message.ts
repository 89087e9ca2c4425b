import { formatUsd } from '../core/money.js';
import type { BudgetStatus } from './evaluate.js';
import { RECOMMENDED_ACTION, type Level } from './ladder.js';

/** One line telling the user a budget reached a level: what, how far, and what to do. */
export function crossingMessage(level: Level, s: BudgetStatus): string {
  const used = Number.isFinite(s.utilizationPct) ? `${s.utilizationPct.toFixed(1)}%` : 'over';
  return (
    `budget ${level}: ${s.budget.scope} ${s.budget.period} (namespace ${s.budget.namespace}) is at ${used}, ` +
    `${formatUsd(s.spentNanos)} of ${formatUsd(s.budget.amountNanos)}: ${RECOMMENDED_ACTION[level]}`
  );
}
