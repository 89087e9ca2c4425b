import { EXIT, type ExitCode } from '../../core/errors.js';
import { sessionReport } from '../../analytics/session-report.js';
import { sessionCsv } from '../../sinks/csv/usage-csv.js';
import { sessionJson } from '../../sinks/json/session-json.js';
import { styleFor } from '../../sinks/table/style.js';
import { sessionTable } from '../../sinks/table/usage-table.js';
import { noteUnmatchedFilters } from '../../reports/filter-notes.js';
import { chosenFormat } from '../../reports/format.js';
import { terminalWidth, type Io } from '../io.js';
import { matchProjects } from '../../reports/match-projects.js';
import { parseReportFlags, type ReportFlags } from '../../reports/report-flags.js';
import { reportOptions } from '../../reports/options.js';
import { syncAndReport, withWorkspace } from '../workspace.js';
import type { Runnable } from './command.js';
import { usageFilter } from '../../reports/report-range.js';
import { runSessionDetail } from './session-detail.js';
import { warnAboutPrices } from '../../reports/price-notes.js';
import { reportContextOf } from '../report-context.js';

export const sessionCommand: Runnable = {
  name: 'session',
  summary: 'usage and cost per agent session',
  configure(command) {
    reportOptions(command, ['table', 'json', 'csv'])
      .option('--session-id <id>', 'one session in detail: its messages, costliest first (a unique prefix of the id will do)')
      .option('--latest', 'the most recently active session in detail')
      .option('--top <n>', 'with --session-id or --latest: how many messages to list', '20');
  },
  async run(io: Io, _args, rawFlags): Promise<ExitCode> {
    if (rawFlags.sessionId !== undefined || rawFlags.latest === true) return runSessionDetail(io, rawFlags);
    const flags = rawFlags as unknown as ReportFlags;
    const format = chosenFormat(rawFlags);
    return withWorkspace(
      flags,
      io,
      (loaded) => parseReportFlags(flags, loaded.config, 'session', io.env, io.now()),
      async (ws, range) => {
        const exit = flags.sync ? (await syncAndReport(ws, flags.verbose === true)).exit : EXIT.ok;
        const projects = range.projectNames === undefined ? undefined : matchProjects(range.projectNames, await ws.ledger.projects());
        const filter = usageFilter(range.namespace, range.clock, range.sinceDay, range.untilDay, range.agents, projects, range.who);
        const report = sessionReport(await ws.ledger.sessionUsage(filter), await ws.ledger.sessions(filter), {
          order: flags.order,
          ...(range.last === undefined ? {} : { last: range.last }),
        });
        if (format === 'json') {
          io.stdout.write(`${JSON.stringify(sessionJson(report), null, 2)}\n`);
        } else if (format === 'csv') {
          io.stdout.write(sessionCsv(report, { breakdown: flags.breakdown === true }));
        } else if (report.rows.length === 0) {
          io.stdout.write('No sessions found.\n');
        } else {
          const style = styleFor(io.stdout, io.env);
          const time = new Intl.DateTimeFormat('en-CA', {
            timeZone: range.clock.timeZone,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
          });
          io.stdout.write(`${style.bold(`Token usage and cost by session (${range.clock.timeZone})`)}\n`);
          io.stdout.write(`${sessionTable(report, { width: terminalWidth(io), style, breakdown: flags.breakdown === true, formatTime: (ms) => time.format(ms).replace(',', '') })}\n`);
        }
        await warnAboutPrices(reportContextOf(ws), report.unpricedModels);
        await noteUnmatchedFilters(reportContextOf(ws), { namespace: range.namespace, agents: range.agents, projectNames: range.projectNames, matchedProjects: projects, ...range.who });
        return exit;
      },
    );
  },
};
