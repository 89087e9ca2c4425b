import { parsePeriod, periodText } from '../budgets/period.js';
import { parseScope, scopeText } from '../budgets/scope.js';
import { agentId } from '../sources/index.js';

/** Which budgets: a period and a scope, each absent for any. */
export interface BudgetSelection {
  period?: string;
  scope?: string;
}

/** `--period` and `--scope` as given, normalised the way budgets are stored (`agent:claude` is `agent:claude-code`). */
export function budgetSelection(flags: { period?: unknown; scope?: unknown }): BudgetSelection {
  return {
    ...(typeof flags.period === 'string' ? { period: periodText(parsePeriod(flags.period)) } : {}),
    ...(typeof flags.scope === 'string' ? { scope: scopeText(parseScope(flags.scope, agentId)) } : {}),
  };
}
