import { EXIT, type ExitCode } from '../../core/errors.js';
import type { PeriodKind } from '../../analytics/period-report.js';
import { periodCsv } from '../../sinks/csv/usage-csv.js';
import { styleFor } from '../../sinks/table/style.js';
import { periodTable } from '../../sinks/table/usage-table.js';
import { planNoteLines } from '../../sinks/text/plan-value-text.js';
import { chosenFormat } from '../../reports/format.js';
import { DAILY_REPORT, MONTHLY_REPORT, readPeriods, WEEKLY_REPORT } from '../../reports/period.js';
import { noteUsageRead } from '../../reports/usage-notes.js';
import { parseReportFlags, type ReportFlags } from '../../reports/report-flags.js';
import type { JsonReport } from '../../reports/report.js';
import { terminalWidth, type Io } from '../io.js';
import { printAnswer } from '../print-answer.js';
import { reportContextOf } from '../report-context.js';
import { syncAndReport, withWorkspace } from '../workspace.js';
import type { Runnable } from './command.js';

interface PeriodCommand {
  report: JsonReport;
  kind: PeriodKind;
  title: string;
  summary: string;
  isDefault?: boolean;
}

const PERIODS: readonly PeriodCommand[] = [
  { report: DAILY_REPORT, kind: 'day', title: 'Date', summary: 'usage and cost per day (the default command)', isDefault: true },
  { report: WEEKLY_REPORT, kind: 'week', title: 'Week', summary: 'usage and cost per week (--start-of-week)' },
  { report: MONTHLY_REPORT, kind: 'month', title: 'Month', summary: 'usage and cost per month' },
];

function periodCommand(spec: PeriodCommand): Runnable {
  const name = spec.report.name;
  return {
    name,
    summary: spec.summary,
    ...(spec.isDefault === true ? { isDefault: true } : {}),
    configure: (command) => spec.report.configure(command),
    async run(io: Io, _args, rawFlags): Promise<ExitCode> {
      const flags = rawFlags as unknown as ReportFlags;
      const format = chosenFormat(rawFlags);
      return withWorkspace(
        flags,
        io,
        (loaded) => parseReportFlags(flags, loaded.config, name, io.env, io.now()),
        async (ws) => {
          const exit = flags.sync ? (await syncAndReport(ws, flags.verbose === true)).exit : EXIT.ok;
          const ctx = reportContextOf(ws);
          if (format === 'json') return printAnswer(io, spec.report, ctx, rawFlags, [], exit);
          const read = await readPeriods(ctx, name, spec.kind, rawFlags);
          const { range, report, plans } = read;
          if (format === 'csv') {
            io.stdout.write(periodCsv(report, { kind: spec.kind, breakdown: flags.breakdown === true, byProject: flags.instances === true, byUser: rawFlags.by === 'user' }));
          } else if (report.rows.length === 0) {
            io.stdout.write(`No usage found${range.sinceDay !== undefined || range.untilDay !== undefined || range.last !== undefined ? ' in this period' : ''}.\n`);
          } else {
            const style = styleFor(io.stdout, io.env);
            const heading = `Token usage and cost by ${spec.kind} (${range.clock.timeZone}${spec.kind === 'week' ? `, weeks start ${range.startOfWeek}` : ''})`;
            io.stdout.write(`${style.bold(heading)}\n`);
            io.stdout.write(`${periodTable(spec.title, report, { width: terminalWidth(io), style, breakdown: flags.breakdown === true })}\n`);
          }
          if (format === 'table') for (const line of planNoteLines(plans)) io.stdout.write(`${line}\n`);
          await noteUsageRead(ctx, read);
          return exit;
        },
      );
    },
  };
}

export const PERIOD_COMMANDS: readonly Runnable[] = PERIODS.map(periodCommand);
