import { mostSevere, type BudgetStatus } from '../budgets/evaluate.js';
import { budgetStatuses } from '../budgets/statuses.js';
import { EXIT } from '../core/errors.js';
import { formatUsd } from '../core/money.js';
import { budgetStatusJson } from '../sinks/json/budget-json.js';
import { analysisContext } from './analysis-context.js';
import { analysisOptions } from './analysis-scope.js';
import { budgetSelection, type BudgetSelection } from './budget-selection.js';
import { checkReport, type Check } from './check.js';
import type { JsonReport } from './report.js';

export interface BudgetCheckResult {
  namespace: string;
  filtered: boolean;
  statuses: BudgetStatus[];
  worst: BudgetStatus | undefined;
}

export const noBudget = (r: BudgetCheckResult): string => `no budget is set in namespace ${r.namespace}${r.filtered ? ' for this period and scope' : ''}`;

const usedPct = (s: BudgetStatus): string => (Number.isFinite(s.utilizationPct) ? `${s.utilizationPct.toFixed(1)}%` : '∞');

/** The budget check: every budget's status (of a period and scope, when given); the most severe decides; exit 1 at HARD_STOP. */
export const budgetCheck: Check<BudgetSelection, BudgetCheckResult> = {
  name: 'budget',
  flags: (command) => command.option('--period <period>', 'only budgets of this period').option('--scope <scope>', 'only budgets of this scope'),
  options: (flags) => budgetSelection(flags),
  async compute(a, options) {
    const statuses = (await budgetStatuses(a.ctx.ledger, a.namespace, a.guard)).filter(
      (s) => (options.period === undefined || s.budget.period === options.period) && (options.scope === undefined || s.budget.scope === options.scope),
    );
    return { namespace: a.namespace, filtered: options.period !== undefined || options.scope !== undefined, statuses, worst: mostSevere(statuses) };
  },
  exit: (r) => (r.worst?.level === 'HARD_STOP' ? EXIT.alert : EXIT.ok),
  headline: (r) =>
    r.worst === undefined
      ? noBudget(r)
      : `${r.worst.level}: ${r.worst.budget.scope} ${r.worst.budget.period} at ${usedPct(r.worst)} (${formatUsd(r.worst.spentNanos)} of ${formatUsd(r.worst.budget.amountNanos)})`,
  json: (r) => (r.worst === undefined ? { namespace: r.namespace, level: 'OK', message: noBudget(r), budgets: [] } : { ...budgetStatusJson(r.worst), budgets: r.statuses.map(budgetStatusJson) }),
};

/** `budget check`: the most severe budget's status and every budget's; exit 1 at HARD_STOP. */
export const BUDGET_CHECK_REPORT = checkReport(budgetCheck, 'budget-check');

/** `budget list` (and `get`): every budget of the namespace (of a period and scope, when given) and where it stands. */
export const BUDGETS_REPORT: JsonReport = {
  name: 'budgets',
  configure(command) {
    budgetCheck.flags(analysisOptions(command));
  },
  async answer(ctx, flags) {
    const a = await analysisContext(ctx, flags, 'budget');
    const result = await budgetCheck.compute(a, budgetCheck.options(flags, a.now, a.clock));
    return { document: { budgets: result.statuses.map(budgetStatusJson) }, exit: EXIT.ok };
  },
};
