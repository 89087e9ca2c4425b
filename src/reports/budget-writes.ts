import { badArgument } from '../core/errors.js';
import { nanosToUsd } from '../core/money.js';
import { parseScope } from '../budgets/scope.js';
import type { Budget } from '../ledger/ledger.js';
import { budgetSelection } from './budget-selection.js';
import { noteUnmatchedFilters } from './filter-notes.js';
import { matchProjects } from './match-projects.js';
import type { ReportContext } from './report.js';

/**
 * A budget to set or remove, as the CLI's arguments and flags (and the API's body) give it: the
 * amount in US dollars as text (`50`, `12.5`, `$50`), `--period` (default month) and `--scope`
 * (default global), in a namespace already resolved.
 */
export interface BudgetWriteRequest {
  namespace: string;
  usd?: string;
  period?: string;
  scope?: string;
}

/** The budget a request names, validated and normalised: its key, and its amount when set. */
export interface BudgetTarget {
  namespace: string;
  scope: string;
  period: string;
}

/** Validates a request's period and scope (nothing is read): bad input fails before the ledger is opened. */
export function budgetTarget(request: BudgetWriteRequest): BudgetTarget {
  const selection = budgetSelection(request);
  return { namespace: request.namespace, scope: selection.scope ?? 'global', period: selection.period ?? 'month' };
}

/** `50`, `12.5` or `$50` as integer nano-USD; at most nine decimals. */
export function budgetAmountNanos(usd: string | undefined): number {
  const text = (usd ?? '').replace(/^\$/, '');
  if (!/^\d+(\.\d{1,9})?$/.test(text)) throw badArgument(`budget set expects an amount in US dollars such as 50 or 12.5, got "${usd ?? ''}"`);
  return Math.round(Number(text) * 1e9);
}

/**
 * Sets (or replaces) the budget of a namespace, period and scope, at `ctx.now()`; returns it as
 * stored. It is set all the same when its scope names a project or agent without usage (the usage
 * may come later), but a typo should not pass unseen: that is noted.
 */
export async function setBudget(ctx: Pick<ReportContext, 'ledger' | 'now' | 'note'>, request: BudgetWriteRequest): Promise<Budget> {
  const amountNanos = budgetAmountNanos(request.usd);
  const target = budgetTarget(request);
  const budget = await ctx.ledger.setBudget({ ...target, amountNanos, setAt: ctx.now() });
  const scope = parseScope(budget.scope);
  const projectNames = scope.kind === 'project' ? [scope.value] : undefined;
  await noteUnmatchedFilters(ctx, {
    namespace: budget.namespace,
    agents: scope.kind === 'agent' ? [scope.value] : undefined,
    projectNames,
    matchedProjects: projectNames === undefined ? undefined : matchProjects(projectNames, await ctx.ledger.projects()),
  });
  return budget;
}

/** Removes the budget of a namespace, period and scope; `removed` is false when there was none. */
export async function removeBudget(ctx: Pick<ReportContext, 'ledger'>, request: BudgetWriteRequest): Promise<BudgetTarget & { removed: boolean }> {
  const target = budgetTarget(request);
  return { ...target, removed: await ctx.ledger.removeBudget(target.namespace, target.scope, target.period) };
}

/** What `budget set --json` prints of the budget set. */
export function budgetSetJson(budget: Budget): Record<string, unknown> {
  return { namespace: budget.namespace, scope: budget.scope, period: budget.period, budget_usd: nanosToUsd(budget.amountNanos), setAt: new Date(budget.setAt).toISOString() };
}
