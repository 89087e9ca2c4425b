import type { Command } from 'commander';
import { badArgument, EXIT, type ExitCode } from '../../core/errors.js';
import { formatUsd } from '../../core/money.js';
import { evaluate, mostSevere, type BudgetStatus } from '../../budgets/evaluate.js';
import { parsePeriod, periodText, periodWindow } from '../../budgets/period.js';
import { parseScope, scopeText } from '../../budgets/scope.js';
import type { Budget } from '../../ledger/ledger.js';
import { budgetStatusJson } from '../../sinks/json/budget-json.js';
import { markdownTable } from '../../sinks/markdown/markdown-table.js';
import { styleFor } from '../../sinks/table/style.js';
import { renderTable, type Column } from '../../sinks/table/table.js';
import { findSource } from '../../sources/index.js';
import { chosenFormat, formatOptions, type Format } from '../format.js';
import { terminalWidth, type Io } from '../io.js';
import { resolveNamespace } from '../namespace.js';
import { ledgerOptions } from '../options.js';
import { guardOptions, syncAndReport, withWorkspace, type Workspace } from '../workspace.js';
import type { CommandSpec } from './command.js';

const agentId = (name: string): string => findSource(name).id;

/** `for today`, `per week`, `for all time`, `per rolling 7d`. */
function periodPhrase(period: string): string {
  if (period === 'today') return 'for today';
  if (period === 'all') return 'for all time';
  if (period === 'week' || period === 'month') return `per ${period}`;
  return `per rolling ${period}`;
}

interface Selection {
  namespace: string;
  period: string | undefined;
  scope: string | undefined;
}

/** Reads --namespace, --period and --scope, normalised the way budgets are stored. */
function selection(flags: Record<string, unknown>, io: Io, configured: string | undefined): Selection {
  return {
    namespace: resolveNamespace(flags.namespace as string | undefined, 'budget', io.env, configured),
    period: typeof flags.period === 'string' ? periodText(parsePeriod(flags.period)) : undefined,
    scope: typeof flags.scope === 'string' ? scopeText(parseScope(flags.scope, agentId)) : undefined,
  };
}

const common = (command: Command, sync: boolean): Command => {
  ledgerOptions(command);
  formatOptions(command);
  if (sync) command.option('--no-sync', 'use the ledger as it is, without reading new agent logs');
  return command;
};

async function statuses(ws: Workspace, budgets: readonly Budget[]): Promise<BudgetStatus[]> {
  const guard = guardOptions(ws);
  const now = ws.io.now();
  const out: BudgetStatus[] = [];
  for (const budget of budgets) {
    const window = periodWindow(parsePeriod(budget.period), now, guard.clock, guard.startOfWeek);
    const spend = await ws.ledger.spend({ namespace: budget.namespace, scope: parseScope(budget.scope), ...window });
    out.push(evaluate(budget, window, spend, guard.thresholds));
  }
  return out;
}

function render(io: Io, format: Format, list: readonly BudgetStatus[]): void {
  const headers = ['Scope', 'Period', 'Budget', 'Spent', 'Remaining', 'Used', 'Level', 'Recommended action'];
  const rows = list.map((s) => [
    s.budget.scope,
    s.budget.period,
    formatUsd(s.budget.amountNanos),
    formatUsd(s.spentNanos),
    formatUsd(s.remainingNanos),
    Number.isFinite(s.utilizationPct) ? `${s.utilizationPct.toFixed(1)}%` : '∞',
    s.level,
    s.recommendedAction,
  ]);
  if (format === 'markdown') {
    io.stdout.write(`${markdownTable(headers, rows, [false, false, true, true, true, true, false, false])}\n`);
    return;
  }
  const columns: Column[] = headers.map((header, i) => ({ header, align: i >= 2 && i <= 5 ? 'right' : 'left', priority: i === 7 ? 10 : 100 - i, ...(i === 7 ? { minWidth: 20 } : {}) }));
  io.stdout.write(`${renderTable(columns, rows.map((cells) => ({ cells })), terminalWidth(io), styleFor(io.stdout, io.env))}\n`);
}

const setCommand: CommandSpec = {
  name: 'set',
  summary: 'set the budget of a period and scope (USD)',
  configure(command) {
    ledgerOptions(command)
      .argument('<usd>', 'the budget in US dollars, e.g. 50 or 12.5')
      .option('-p, --period <period>', 'today, week, month, all, or a rolling window such as 7d', 'month')
      .option('-s, --scope <scope>', 'global, project:<name>, session:<id> or agent:<id>', 'global')
      .option('-j, --json', 'print the budget as JSON');
  },
  async run(io, args, flags) {
    const text = (args[0] ?? '').replace(/^\$/, '');
    if (!/^\d+(\.\d{1,9})?$/.test(text)) throw badArgument(`budget set expects an amount in US dollars such as 50 or 12.5, got "${args[0] ?? ''}"`);
    return withWorkspace(flags, io, (loaded) => selection(flags, io, loaded.config.namespace), async (ws, sel) => {
      const budget = await ws.ledger.setBudget({
        namespace: sel.namespace,
        scope: sel.scope ?? 'global',
        period: sel.period ?? 'month',
        amountNanos: Math.round(Number(text) * 1e9),
        setAt: io.now(),
      });
      if (flags.json === true) io.stdout.write(`${JSON.stringify({ namespace: budget.namespace, scope: budget.scope, period: budget.period, budget_usd: budget.amountNanos / 1e9, setAt: new Date(budget.setAt).toISOString() }, null, 2)}\n`);
      else io.stdout.write(`Budget set: ${formatUsd(budget.amountNanos)} ${periodPhrase(budget.period)}, scope ${budget.scope} (namespace ${budget.namespace}).\n`);
      return EXIT.ok;
    });
  },
};

/** `get`, `list` and `check` share this: which budgets, their status, and how to print them. */
function statusCommand(name: 'get' | 'list' | 'check', summary: string): CommandSpec {
  return {
    name,
    summary,
    configure(command) {
      common(command, true);
      if (name !== 'list') {
        command.option('-p, --period <period>', 'only budgets of this period').option('-s, --scope <scope>', 'only budgets of this scope');
      }
    },
    async run(io, _args, flags): Promise<ExitCode> {
      const format = chosenFormat(flags);
      return withWorkspace(flags, io, (loaded) => selection(flags, io, loaded.config.namespace), async (ws, sel) => {
        // Exit codes here are a contract (0 ok, 1 alert, 2 bad input): records a sync could not
        // read are reported on stderr only.
        if (flags.sync !== false) await syncAndReport(ws, flags.verbose === true);
        const budgets = (await ws.ledger.budgets(sel.namespace)).filter(
          (b) => (sel.period === undefined || b.period === sel.period) && (sel.scope === undefined || b.scope === sel.scope),
        );
        const list = await statuses(ws, budgets);
        const worst = mostSevere(list);
        if (worst === undefined) {
          const message = `no budget is set in namespace ${sel.namespace}${sel.period !== undefined || sel.scope !== undefined ? ' for this period and scope' : ''}`;
          if (format === 'json') io.stdout.write(`${JSON.stringify({ namespace: sel.namespace, level: 'OK', message, budgets: [] }, null, 2)}\n`);
          else io.stdout.write(`${message[0]?.toUpperCase()}${message.slice(1)}; set one with \`tokenledger budget set <usd> --period month\`.\n`);
          return EXIT.ok;
        }
        if (format === 'json') {
          const body = name === 'check' ? { ...budgetStatusJson(worst), budgets: list.map(budgetStatusJson) } : { budgets: list.map(budgetStatusJson) };
          io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
        } else {
          render(io, format, list);
          if (name === 'check') io.stdout.write(`${worst.level}: ${worst.recommendedAction}\n`);
        }
        return name === 'check' && worst.level === 'HARD_STOP' ? EXIT.alert : EXIT.ok;
      });
    },
  };
}

const removeCommand: CommandSpec = {
  name: 'remove',
  summary: 'remove the budget of a period and scope',
  configure(command) {
    ledgerOptions(command)
      .option('-p, --period <period>', 'the budget’s period', 'month')
      .option('-s, --scope <scope>', 'the budget’s scope', 'global');
  },
  async run(io, _args, flags) {
    return withWorkspace(flags, io, (loaded) => selection(flags, io, loaded.config.namespace), async (ws, sel) => {
      const removed = await ws.ledger.removeBudget(sel.namespace, sel.scope ?? 'global', sel.period ?? 'month');
      io.stdout.write(removed ? `Budget removed: ${periodPhrase(sel.period ?? 'month')}, scope ${sel.scope ?? 'global'} (namespace ${sel.namespace}).\n` : `No such budget in namespace ${sel.namespace}.\n`);
      return EXIT.ok;
    });
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
