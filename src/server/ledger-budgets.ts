import { resolveNamespace } from '../app/namespace.js';
import { parsePeriod, periodText } from '../budgets/period.js';
import { parseScope, scopeText } from '../budgets/scope.js';
import { badArgument } from '../core/errors.js';
import { nanosToUsd } from '../core/money.js';
import type { Ledger } from '../ledger/ledger.js';
import { agentId } from '../sources/index.js';
import type { Env } from '../sources/shared/roots.js';
import type { BudgetTarget, BudgetWrites } from './budget-routes.js';

/**
 * Budget set and remove over a ledger, as `budget set --json` and `budget remove` do: the same
 * amount, period and scope rules, in the namespace `budget` works in.
 */
export function ledgerBudgets(ledger: Ledger, env: Env, configuredNamespace: string | undefined, now: () => number): BudgetWrites {
  const where = (t: BudgetTarget): { namespace: string; scope: string; period: string } => ({
    namespace: resolveNamespace(undefined, 'budget', env, configuredNamespace),
    scope: scopeText(parseScope(t.scope ?? 'global', agentId)),
    period: periodText(parsePeriod(t.period ?? 'month')),
  });
  return {
    async set(usd, t) {
      const text = usd.trim().replace(/^\$/, '');
      if (!/^\d+(\.\d{1,9})?$/.test(text)) throw badArgument(`budget set expects an amount in US dollars such as 50 or 12.5, got "${usd}"`);
      const { namespace, scope, period } = where(t);
      const budget = await ledger.setBudget({ namespace, scope, period, amountNanos: Math.round(Number(text) * 1e9), setAt: now() });
      return { namespace: budget.namespace, scope: budget.scope, period: budget.period, budget_usd: nanosToUsd(budget.amountNanos), setAt: new Date(budget.setAt).toISOString() };
    },
    async remove(t) {
      const { namespace, scope, period } = where(t);
      return { removed: await ledger.removeBudget(namespace, scope, period), namespace, scope, period };
    },
  };
}
