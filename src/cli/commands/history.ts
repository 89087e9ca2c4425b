import { Option } from 'commander';
import { machineOption, userOption } from '../../reports/options.js';
import { dayKey, monthKey, monthStart, parseWeekday, weekStart } from '../../core/calendar.js';
import { EXIT } from '../../core/errors.js';
import { formatUsd, nanosToUsd } from '../../core/money.js';
import { periodReport, type PeriodKind } from '../../analytics/period-report.js';
import { sparkline } from '../../sinks/table/sparkline.js';
import { runAnalysis } from '../analysis.js';
import { analysisOptions } from '../../reports/analysis-scope.js';
import { prepareDays } from '../workspace.js';
import { parseCount } from '../../app/numbers.js';
import type { Runnable } from './command.js';
import { lastPeriodsStart } from '../../reports/report-range.js';

const DEFAULT_LAST: Record<PeriodKind, number> = { day: 30, week: 12, month: 12 };
const BAR_WIDTH = 40;

/** Every period start from `first` to the one holding `today`, so idle periods show as empty. */
function periodStarts(kind: PeriodKind, first: number, today: number): number[] {
  const out: number[] = [];
  for (let start = first; start <= today; start = kind === 'day' ? start + 1 : kind === 'week' ? start + 7 : monthStart(start + 31)) out.push(start);
  return out;
}

export const historyCommand: Runnable = {
  name: 'history',
  summary: 'spend over time: a bar per day, week or month and a sparkline',
  configure(command) {
    analysisOptions(command)
      .addOption(userOption())
      .addOption(machineOption())
      .addOption(new Option('--period <period>', 'one bar per').choices(['day', 'week', 'month']).default('day'))
      .option('-l, --last <n>', 'how many periods, the current one included (default: 30 days, 12 weeks, 12 months)')
      .option('--start-of-week <day>', 'first day of a week (default: config "startOfWeek", else monday)');
  },
  async run(io, _args, flags) {
    const kind = ((flags.period as string | undefined) ?? 'day') as PeriodKind;
    return runAnalysis(
      'history',
      flags,
      io,
      (loaded) => {
        const startOfWeek = flags.startOfWeek === undefined ? (loaded.config.startOfWeek ?? 'monday') : parseWeekday(String(flags.startOfWeek));
        return { last: flags.last === undefined ? DEFAULT_LAST[kind] : parseCount(flags.last, '--last', 1, 10_000), startOfWeek };
      },
      async (a, { last, startOfWeek }) => {
        const today = a.clock.localDay(a.now);
        const first = lastPeriodsStart(kind, today, last, startOfWeek);
        await prepareDays(a.ws, a.clock);
        const rows = await a.ws.ledger.days({ namespace: a.namespace, sinceDay: first, untilDay: today, ...a.who }, a.clock);
        const report = periodReport(rows, { kind, startOfWeek, sinceDay: first, untilDay: today, byProject: false, order: 'asc' });
        const byPeriod = new Map(report.rows.map((r) => [r.period, r.totals]));
        const label = (start: number): string => (kind === 'month' ? monthKey(start) : dayKey(kind === 'week' ? weekStart(start, startOfWeek) : start));
        const points = periodStarts(kind, first, today).map((start) => {
          const totals = byPeriod.get(label(start));
          return { period: label(start), costNanos: totals?.costNanos ?? 0, requests: totals?.events ?? 0 };
        });
        const line = sparkline(points.map((p) => p.costNanos));
        if (a.format === 'json') {
          a.json({
            namespace: a.namespace,
            period: kind,
            timezone: a.clock.timeZone,
            points: points.map((p) => ({ [kind]: p.period, cost_usd: nanosToUsd(p.costNanos), requests: p.requests })),
            total_usd: nanosToUsd(report.totals.costNanos),
            sparkline: line,
          });
          return EXIT.ok;
        }
        const max = Math.max(0, ...points.map((p) => p.costNanos));
        const bar = (n: number): string => (max === 0 || n === 0 ? '' : '█'.repeat(Math.max(1, Math.round((n / max) * BAR_WIDTH))));
        a.print([
          {
            title: `Spend per ${kind}, last ${points.length} (${a.clock.timeZone})  ${line}`,
            columns: [
              { header: kind === 'day' ? 'Date' : kind === 'week' ? 'Week of' : 'Month' },
              { header: 'Requests', align: 'right' },
              { header: 'Cost', align: 'right' },
              { header: '', priority: 10 },
            ],
            rows: points.map((p) => [p.period, String(p.requests), formatUsd(p.costNanos), bar(p.costNanos)]),
            footer: [['Total', String(report.totals.events), formatUsd(report.totals.costNanos), '']],
          },
        ]);
        return EXIT.ok;
      },
    );
  },
};
