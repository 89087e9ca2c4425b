import { Option } from 'commander';
import { EXIT, type ExitCode } from '../../core/errors.js';
import { periodReport, type PeriodKind } from '../../analytics/period-report.js';
import { periodCsv } from '../../sinks/csv/usage-csv.js';
import { periodJson } from '../../sinks/json/period-json.js';
import { styleFor } from '../../sinks/table/style.js';
import { periodTable } from '../../sinks/table/usage-table.js';
import { noteUnmatchedFilters } from '../../reports/filter-notes.js';
import { chosenFormat } from '../../reports/format.js';
import { terminalWidth, type Io } from '../io.js';
import { matchProjects } from '../../reports/match-projects.js';
import { parseReportFlags, type ReportFlags } from '../../reports/report-flags.js';
import { reportOptions } from '../../reports/options.js';
import { prepareDays, syncAndReport, withWorkspace } from '../workspace.js';
import type { Runnable } from './command.js';
import { lastPeriodsStart } from '../../reports/report-range.js';
import { readPlanValues } from '../../analytics/read-plan-values.js';
import { planJson } from '../../sinks/json/plan-json.js';
import { planNoteLines } from '../../sinks/text/plan-value-text.js';
import { warnAboutPrices } from '../../reports/price-notes.js';
import { reportContextOf } from '../report-context.js';

interface PeriodCommand {
  name: string;
  kind: PeriodKind;
  title: string;
  summary: string;
  isDefault?: boolean;
}

const PERIODS: readonly PeriodCommand[] = [
  { name: 'daily', kind: 'day', title: 'Date', summary: 'usage and cost per day (the default command)', isDefault: true },
  { name: 'weekly', kind: 'week', title: 'Week', summary: 'usage and cost per week (--start-of-week)' },
  { name: 'monthly', kind: 'month', title: 'Month', summary: 'usage and cost per month' },
];

function periodCommand(spec: PeriodCommand): Runnable {
  return {
    name: spec.name,
    summary: spec.summary,
    ...(spec.isDefault === true ? { isDefault: true } : {}),
    configure(command) {
      reportOptions(command, ['table', 'json', 'csv'])
        .option('-i, --instances', 'one row per project within each period')
        .addOption(new Option('--by <what>', 'one row per user within each period (who recorded the usage)').choices(['user']));
      if (spec.kind === 'week') command.option('-w, --start-of-week <day>', 'first day of the week (default: config "startOfWeek", else monday)');
    },
    async run(io: Io, _args, rawFlags): Promise<ExitCode> {
      const flags = rawFlags as unknown as ReportFlags;
      const byUser = rawFlags.by === 'user';
      const format = chosenFormat(rawFlags);
      return withWorkspace(
        flags,
        io,
        (loaded) => parseReportFlags(flags, loaded.config, spec.name, io.env, io.now()),
        async (ws, range) => {
          const exit = flags.sync ? (await syncAndReport(ws, flags.verbose === true)).exit : EXIT.ok;
          await prepareDays(ws, range.clock);
          // Only --last needs today's date (and so the zone's offsets).
          const sinceDay =
            range.last === undefined ? range.sinceDay : Math.max(range.sinceDay ?? -Infinity, lastPeriodsStart(spec.kind, range.clock.localDay(io.now()), range.last, range.startOfWeek));
          const projects = range.projectNames === undefined ? undefined : matchProjects(range.projectNames, await ws.ledger.projects());
          const rows = await ws.ledger.days(
            {
              namespace: range.namespace,
              ...(sinceDay === undefined ? {} : { sinceDay }),
              ...(range.untilDay === undefined ? {} : { untilDay: range.untilDay }),
              ...(range.agents === undefined ? {} : { agents: range.agents }),
              ...(projects === undefined ? {} : { projects }),
              ...range.who,
            },
            range.clock,
          );
          const report = periodReport(rows, {
            kind: spec.kind,
            startOfWeek: range.startOfWeek,
            sinceDay,
            untilDay: range.untilDay,
            byProject: flags.instances === true,
            byUser,
            order: flags.order,
          });
          const plans = await readPlanValues(ws.ledger, range.namespace, ws.loaded.config.plans, range.clock, io.now());
          if (format === 'json') {
            const json = periodJson(spec.kind, report, flags.instances === true) as Record<string, unknown>;
            io.stdout.write(`${JSON.stringify(plans.length === 0 ? json : { ...json, plans: plans.map(planJson) }, null, 2)}\n`);
          } else if (format === 'csv') {
            io.stdout.write(periodCsv(report, { kind: spec.kind, breakdown: flags.breakdown === true, byProject: flags.instances === true, byUser }));
          } else if (report.rows.length === 0) {
            io.stdout.write(`No usage found${range.sinceDay !== undefined || range.untilDay !== undefined || range.last !== undefined ? ' in this period' : ''}.\n`);
          } else {
            const style = styleFor(io.stdout, io.env);
            const heading = `Token usage and cost by ${spec.kind} (${range.clock.timeZone}${spec.kind === 'week' ? `, weeks start ${range.startOfWeek}` : ''})`;
            io.stdout.write(`${style.bold(heading)}\n`);
            io.stdout.write(`${periodTable(spec.title, report, { width: terminalWidth(io), style, breakdown: flags.breakdown === true })}\n`);
          }
          if (format === 'table') for (const line of planNoteLines(plans)) io.stdout.write(`${line}\n`);
          await warnAboutPrices(reportContextOf(ws), report.unpricedModels);
          await noteUnmatchedFilters(reportContextOf(ws), { namespace: range.namespace, agents: range.agents, projectNames: range.projectNames, matchedProjects: projects, ...range.who });
          return exit;
        },
      );
    },
  };
}

export const PERIOD_COMMANDS: readonly Runnable[] = PERIODS.map(periodCommand);
