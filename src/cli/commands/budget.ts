import { EXIT, badArgument, type ExitCode } from '../../core/errors.js';
import { formatUsd, nanosToUsd } from '../../core/money.js';
import { mostSevere, type BudgetStatus } from '../../budgets/evaluate.js';
import { parsePeriod, periodText } from '../../budgets/period.js';
import { parseScope, scopeText } from '../../budgets/scope.js';
import { budgetStatuses } from '../../budgets/statuses.js';
import { budgetStatusJson } from '../../sinks/json/budget-json.js';
import type { ReportColumn } from '../../sinks/text/text-report.js';
import { agentId } from '../../sources/index.js';
import type { LoadedConfig } from '../../config/load.js';
import { runAnalysis } from '../analysis.js';
import { analysisOptions } from '../../reports/analysis-scope.js';
import { report, type Check } from '../check.js';
import type { Io } from '../io.js';
import { resolveNamespace } from '../../app/namespace.js';
import { noteUnmatchedFilters } from '../../reports/filter-notes.js';
import { ledgerOptions } from '../../reports/options.js';
import { matchProjects } from '../../reports/match-projects.js';
import { requirePersistentLedger } from '../persistent-ledger.js';
import { withWorkspace } from '../workspace.js';
import type { CommandSpec } from './command.js';
import { reportContextOf } from '../report-context.js';

/** `for today`, `per week`, `for all time`, `per rolling 7d`. */
function periodPhrase(period: string): string {
  if (period === 'today') return 'for today';
  if (period === 'all') return 'for all time';
  if (period === 'week' || period === 'month') return `per ${period}`;
  return `per rolling ${period}`;
}

/** --period and --scope, normalised the way budgets are stored. */
function filters(flags: Record<string, unknown>): BudgetCheckOptions {
  return {
    ...(typeof flags.period === 'string' ? { period: periodText(parsePeriod(flags.period)) } : {}),
    ...(typeof flags.scope === 'string' ? { scope: scopeText(parseScope(flags.scope, agentId)) } : {}),
  };
}

/** The namespace, period and scope `set` and `remove` act on. */
function target(flags: Record<string, unknown>, io: Io, loaded: LoadedConfig): BudgetCheckOptions & { namespace: string } {
  return { namespace: resolveNamespace(flags.namespace as string | undefined, 'budget', io.env, loaded.config.namespace), ...filters(flags) };
}

const setCommand: CommandSpec = {
  name: 'set',
  summary: 'set the budget of a period and scope (USD)',
  configure(command) {
    ledgerOptions(command)
      .argument('<usd>', 'the budget in US dollars, e.g. 50 or 12.5')
      .option('--period <period>', 'today, week, month, all, or a rolling window such as 7d', 'month')
      .option('--scope <scope>', 'global, project:<name>, session:<id>, agent:<id>, user:<name> or key:<gateway key>', 'global')
      .option('-j, --json', 'print the budget as JSON');
  },
  async run(io, args, flags) {
    requirePersistentLedger(flags, io, 'budget set');
    const text = (args[0] ?? '').replace(/^\$/, '');
    if (!/^\d+(\.\d{1,9})?$/.test(text)) throw badArgument(`budget set expects an amount in US dollars such as 50 or 12.5, got "${args[0] ?? ''}"`);
    return withWorkspace(
      flags,
      io,
      (loaded) => target(flags, io, loaded),
      async (ws, sel) => {
        const budget = await ws.ledger.setBudget({
          namespace: sel.namespace,
          scope: sel.scope ?? 'global',
          period: sel.period ?? 'month',
          amountNanos: Math.round(Number(text) * 1e9),
          setAt: io.now(),
        });
        if (flags.json === true)
          io.stdout.write(
            `${JSON.stringify({ namespace: budget.namespace, scope: budget.scope, period: budget.period, budget_usd: nanosToUsd(budget.amountNanos), setAt: new Date(budget.setAt).toISOString() }, null, 2)}\n`,
          );
        else io.stdout.write(`Budget set: ${formatUsd(budget.amountNanos)} ${periodPhrase(budget.period)}, scope ${budget.scope} (namespace ${budget.namespace}).\n`);
        // Set all the same (the usage may come later), but a typo should not pass unseen.
        const scope = parseScope(budget.scope);
        const projectNames = scope.kind === 'project' ? [scope.value] : undefined;
        await noteUnmatchedFilters(reportContextOf(ws), {
          namespace: budget.namespace,
          agents: scope.kind === 'agent' ? [scope.value] : undefined,
          projectNames,
          matchedProjects: projectNames === undefined ? undefined : matchProjects(projectNames, await ws.ledger.projects()),
        });
        return EXIT.ok;
      },
    );
  },
};

export interface BudgetCheckOptions {
  period?: string;
  scope?: string;
}

export interface BudgetCheckResult {
  namespace: string;
  filtered: boolean;
  statuses: BudgetStatus[];
  worst: BudgetStatus | undefined;
}

const budgetRows = (list: readonly BudgetStatus[]): string[][] =>
  list.map((s) => [
    s.budget.scope,
    s.budget.period,
    formatUsd(s.budget.amountNanos),
    formatUsd(s.spentNanos),
    formatUsd(s.remainingNanos),
    Number.isFinite(s.utilizationPct) ? `${s.utilizationPct.toFixed(1)}%` : '∞',
    s.level,
    s.recommendedAction,
  ]);

const BUDGET_COLUMNS: ReportColumn[] = [
  { header: 'Scope' },
  { header: 'Period' },
  { header: 'Budget', align: 'right' },
  { header: 'Spent', align: 'right' },
  { header: 'Remaining', align: 'right' },
  { header: 'Used', align: 'right' },
  { header: 'Level' },
  { header: 'Recommended action', priority: 10, minWidth: 20 },
];

const noBudget = (r: BudgetCheckResult): string => `no budget is set in namespace ${r.namespace}${r.filtered ? ' for this period and scope' : ''}`;

/** The budget check: every budget's status; the most severe decides; exit 1 at HARD_STOP. */
export const budgetCheck: Check<BudgetCheckOptions, BudgetCheckResult> = {
  name: 'budget',
  async compute(a, options) {
    const statuses = (await budgetStatuses(a.ws.ledger, a.namespace, a.guard)).filter(
      (s) => (options.period === undefined || s.budget.period === options.period) && (options.scope === undefined || s.budget.scope === options.scope),
    );
    return { namespace: a.namespace, filtered: options.period !== undefined || options.scope !== undefined, statuses, worst: mostSevere(statuses) };
  },
  exit: (r) => (r.worst?.level === 'HARD_STOP' ? EXIT.alert : EXIT.ok),
  headline: (r) =>
    r.worst === undefined
      ? noBudget(r)
      : `${r.worst.level}: ${r.worst.budget.scope} ${r.worst.budget.period} at ${Number.isFinite(r.worst.utilizationPct) ? `${r.worst.utilizationPct.toFixed(1)}%` : '∞'} (${formatUsd(r.worst.spentNanos)} of ${formatUsd(r.worst.budget.amountNanos)})`,
  json: (r) => (r.worst === undefined ? { namespace: r.namespace, level: 'OK', message: noBudget(r), budgets: [] } : { ...budgetStatusJson(r.worst), budgets: r.statuses.map(budgetStatusJson) }),
  sections: (r) =>
    r.worst === undefined
      ? [{ lines: [`${noBudget(r)[0]?.toUpperCase()}${noBudget(r).slice(1)}; set one with \`tokenledger budget set <usd> --period month\`.`] }]
      : [{ columns: BUDGET_COLUMNS, rows: budgetRows(r.statuses) }, { lines: [`${r.worst.level}: ${r.worst.recommendedAction}`] }],
};

/** `get`, `list` and `check` share this: which budgets, their status, and how to print them. */
function statusCommand(name: 'get' | 'list' | 'check', summary: string): CommandSpec {
  return {
    name,
    summary,
    configure(command) {
      analysisOptions(command);
      if (name !== 'list') {
        command.option('--period <period>', 'only budgets of this period').option('--scope <scope>', 'only budgets of this scope');
      }
    },
    async run(io, _args, flags): Promise<ExitCode> {
      return runAnalysis(
        'budget',
        flags,
        io,
        () => filters(flags),
        async (a, options) => {
          const result = await budgetCheck.compute(a, options);
          if (name === 'check') return report(budgetCheck, a, result);
          if (a.format === 'json') a.json({ budgets: result.statuses.map(budgetStatusJson) });
          else if (result.worst === undefined) a.print(budgetCheck.sections(result, a));
          else a.print([{ columns: BUDGET_COLUMNS, rows: budgetRows(result.statuses) }]);
          return EXIT.ok;
        },
      );
    },
  };
}

const removeCommand: CommandSpec = {
  name: 'remove',
  summary: 'remove the budget of a period and scope',
  configure(command) {
    ledgerOptions(command).option('--period <period>', 'the budget’s period', 'month').option('--scope <scope>', 'the budget’s scope', 'global');
  },
  async run(io, _args, flags) {
    requirePersistentLedger(flags, io, 'budget remove');
    return withWorkspace(
      flags,
      io,
      (loaded) => target(flags, io, loaded),
      async (ws, sel) => {
        const removed = await ws.ledger.removeBudget(sel.namespace, sel.scope ?? 'global', sel.period ?? 'month');
        io.stdout.write(
          removed ? `Budget removed: ${periodPhrase(sel.period ?? 'month')}, scope ${sel.scope ?? 'global'} (namespace ${sel.namespace}).\n` : `No such budget in namespace ${sel.namespace}.\n`,
        );
        return EXIT.ok;
      },
    );
  },
};

export const budgetCommand: CommandSpec = {
  name: 'budget',
  summary: 'budgets that warn at 50/75/90% and stop at 100% (set, get, list, check, remove)',
  configure() {},
  subcommands: [
    setCommand,
    statusCommand('get', 'show budgets (of a period or scope) and where they stand'),
    statusCommand('list', 'list every budget of the namespace and where it stands'),
    statusCommand('check', 'check budgets: exit 1 when one is at HARD_STOP'),
    removeCommand,
  ],
};
