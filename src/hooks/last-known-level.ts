import type { GuardOptions } from '../budgets/guard.js';
import { LEVELS, type Level } from '../budgets/ladder.js';
import { parsePeriod, periodWindow } from '../budgets/period.js';
import { formatUsd } from '../core/money.js';
import type { LedgerReader, RecordedCrossing } from '../ledger/ledger.js';
import { budgetApplies, type GuardSubject } from './guard-scope.js';

/** A recorded level's rank on the ladder (levels are stored as text; an unknown one ranks lowest). */
const rank = (level: string): number => LEVELS.indexOf(level as Level);

/** The level from which a budget counts as near its hard stop: its last step before HARD_STOP. */
const NEAR = rank('CRITICAL');

/**
 * For a guard that cannot read the spend: the budgets speaking about this event whose highest level
 * recorded in their current period is CRITICAL or HARD_STOP. Their spend was at or near the limit when
 * last seen, so letting work through would likely spend past it. Highest level first.
 */
export async function nearLimitWhenLastSeen(ledger: Pick<LedgerReader, 'budgets' | 'crossings'>, namespace: string, subject: GuardSubject, options: GuardOptions): Promise<RecordedCrossing[]> {
  const now = options.now();
  const budgets = (await ledger.budgets(namespace)).filter((budget) => budgetApplies(budget, subject));
  if (budgets.length === 0) return [];
  const crossings = await ledger.crossings(namespace, 0);
  const near: RecordedCrossing[] = [];
  for (const budget of budgets) {
    const key = periodWindow(parsePeriod(budget.period), now, options.clock, options.startOfWeek).key;
    let highest: RecordedCrossing | undefined;
    for (const c of crossings) {
      if (c.budgetId !== budget.id || c.periodKey !== key || rank(c.level) < NEAR) continue;
      if (highest === undefined || rank(c.level) > rank(highest.level)) highest = c;
    }
    if (highest !== undefined) near.push(highest);
  }
  return near.sort((a, b) => rank(b.level) - rank(a.level));
}

/** What the guard says when it blocks on the last levels seen. */
export function nearLimitReason(near: readonly RecordedCrossing[], cause: string): string {
  const lines = [`tokenledger: blocked, the budgets cannot be checked (${cause}) and ${near.length === 1 ? 'a budget was' : `${near.length} budgets were`} at or near the limit when last seen:`];
  for (const c of near) {
    lines.push(`- ${c.budget.scope} ${c.budget.period} (namespace ${c.budget.namespace}): ${c.level} at ${formatUsd(c.spentNanos)} of ${formatUsd(c.budget.amountNanos)}, period ${c.periodKey}`);
  }
  lines.push('To go on, fix what keeps the ledger from being read, or raise or remove the budget.');
  return `${lines.join('\n')}\n`;
}
