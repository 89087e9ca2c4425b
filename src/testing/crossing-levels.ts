import { LEVELS, type Level } from '../budgets/ladder.js';
import type { BudgetCrossing } from '../ledger/ledger.js';

/** Crossings ordered by the spend they were recorded at, then up the ladder: how tests compare them. */
export function bySpend<C extends BudgetCrossing>(crossings: readonly C[]): C[] {
  const rank = (c: BudgetCrossing) => LEVELS.indexOf(c.level as Level);
  return [...crossings].sort((a, b) => a.spentNanos - b.spentNanos || rank(a) - rank(b));
}

/** The levels of crossings, ordered as `bySpend`. */
export function levels(crossings: readonly BudgetCrossing[]): string[] {
  return bySpend(crossings).map((c) => c.level);
}
