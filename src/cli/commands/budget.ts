import { resolveNamespace } from '../../app/namespace.js';
import type { BudgetStatus } from '../../budgets/evaluate.js';
import { EXIT, type ExitCode } from '../../core/errors.js';
import { formatUsd } from '../../core/money.js';
import { budgetCheck, BUDGET_CHECK_REPORT, BUDGETS_REPORT, noBudget, type BudgetCheckResult } from '../../reports/budgets.js';
import { budgetAmountNanos, budgetSetJson, budgetTarget, removeBudget, setBudget, type BudgetWriteRequest } from '../../reports/budget-writes.js';
import { ledgerOptions } from '../../reports/options.js';
import type { ReportColumn, ReportSection } from '../../sinks/text/text-report.js';
import { runAnalysis } from '../analysis.js';
import type { Io } from '../io.js';
import { requirePersistentLedger } from '../persistent-ledger.js';
import { reportContextOf } from '../report-context.js';
import { withWorkspace } from '../workspace.js';
import type { CommandSpec } from './command.js';

/** `for today`, `per week`, `for all time`, `per rolling 7d`. */
function periodPhrase(period: string): string {
  if (period === 'today') return 'for today';
  if (period === 'all') return 'for all time';
  if (period === 'week' || period === 'month') return `per ${period}`;
  return `per rolling ${period}`;
}

/** The budget `set` and `remove` act on, as flags and arguments give it (validated before the ledger is opened). */
function writeRequest(flags: Record<string, unknown>, io: Io, configured: string | undefined, usd?: string): BudgetWriteRequest {
  const request: BudgetWriteRequest = {
    namespace: resolveNamespace(flags.namespace as string | undefined, 'budget', io.env, configured),
    ...(usd === undefined ? {} : { usd }),
    ...(typeof flags.period === 'string' ? { period: flags.period } : {}),
    ...(typeof flags.scope === 'string' ? { scope: flags.scope } : {}),
  };
  budgetTarget(request);
  return request;
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
    budgetAmountNanos(args[0]);
    return withWorkspace(
      flags,
      io,
      (loaded) => writeRequest(flags, io, loaded.config.namespace, args[0] ?? ''),
      async (ws, request) => {
        const budget = await setBudget(reportContextOf(ws), request);
        if (flags.json === true) io.stdout.write(`${JSON.stringify(budgetSetJson(budget), null, 2)}\n`);
        else io.stdout.write(`Budget set: ${formatUsd(budget.amountNanos)} ${periodPhrase(budget.period)}, scope ${budget.scope} (namespace ${budget.namespace}).\n`);
        return EXIT.ok;
      },
    );
  },
};

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

function checkSections(r: BudgetCheckResult): ReportSection[] {
  if (r.worst === undefined) return [{ lines: [`${noBudget(r)[0]?.toUpperCase()}${noBudget(r).slice(1)}; set one with \`tokenledger budget set <usd> --period month\`.`] }];
  return [{ columns: BUDGET_COLUMNS, rows: budgetRows(r.statuses) }, { lines: [`${r.worst.level}: ${r.worst.recommendedAction}`] }];
}

/** `get`, `list` and `check` share this: which budgets, their status, and how to print them. */
function statusCommand(name: 'get' | 'list' | 'check', summary: string): CommandSpec {
  const report = name === 'check' ? BUDGET_CHECK_REPORT : BUDGETS_REPORT;
  return {
    name,
    summary,
    configure(command) {
      report.configure(command);
    },
    async run(io, _args, flags): Promise<ExitCode> {
      return runAnalysis(
        'budget',
        flags,
        io,
        (_loaded, clock) => budgetCheck.options(flags, io.now(), clock),
        async (a, options) => {
          const result = await budgetCheck.compute(a, options);
          if (name === 'check') {
            a.print(checkSections(result));
            return budgetCheck.exit(result);
          }
          a.print(result.worst === undefined ? checkSections(result) : [{ columns: BUDGET_COLUMNS, rows: budgetRows(result.statuses) }]);
          return EXIT.ok;
        },
        report,
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
      (loaded) => writeRequest(flags, io, loaded.config.namespace),
      async (ws, request) => {
        const removed = await removeBudget(reportContextOf(ws), request);
        io.stdout.write(
          removed.removed ? `Budget removed: ${periodPhrase(removed.period)}, scope ${removed.scope} (namespace ${removed.namespace}).\n` : `No such budget in namespace ${removed.namespace}.\n`,
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
