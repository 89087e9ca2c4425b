import type { LedgerReader } from '../ledger/ledger.js';
import { evaluate, type BudgetStatus } from './evaluate.js';
import type { GuardOptions } from './guard.js';
import { parsePeriod, periodWindow } from './period.js';
import { parseScope } from './scope.js';

/** Where every budget of a namespace stands now. */
export async function budgetStatuses(ledger: Pick<LedgerReader, 'budgets' | 'spend'>, namespace: string, options: GuardOptions): Promise<BudgetStatus[]> {
  const now = options.now();
  const out: BudgetStatus[] = [];
  for (const budget of await ledger.budgets(namespace)) {
    const window = periodWindow(parsePeriod(budget.period), now, options.clock, options.startOfWeek);
    const spend = await ledger.spend({ namespace, scope: parseScope(budget.scope), ...window });
    out.push(evaluate(budget, window, spend, options.thresholds));
  }
  return out;
}
