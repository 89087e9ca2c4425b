import type { BudgetStatus } from '../budgets/evaluate.js';
import type { GuardOptions } from '../budgets/guard.js';
import { budgetStatuses } from '../budgets/statuses.js';
import type { LedgerReader } from '../ledger/ledger.js';
import { budgetApplies, type GuardSubject } from './guard-scope.js';

/** The budgets speaking about this event that are at HARD_STOP, the most used first. */
export async function usedUpBudgets(ledger: Pick<LedgerReader, 'budgets' | 'spend'>, namespace: string, subject: GuardSubject, options: GuardOptions): Promise<BudgetStatus[]> {
  const inScope: Pick<LedgerReader, 'budgets' | 'spend'> = {
    budgets: async (ns) => (await ledger.budgets(ns)).filter((budget) => budgetApplies(budget, subject)),
    spend: (filter) => ledger.spend(filter),
  };
  const statuses = await budgetStatuses(inScope, namespace, options);
  return statuses.filter((s) => s.level === 'HARD_STOP').sort((a, b) => b.utilizationPct - a.utilizationPct);
}
