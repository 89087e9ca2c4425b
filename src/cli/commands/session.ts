import { EXIT, type ExitCode } from '../../core/errors.js';
import { sessionReport } from '../../analytics/session-report.js';
import { sessionJson } from '../../sinks/json/session-json.js';
import { styleFor } from '../../sinks/table/style.js';
import { sessionTable } from '../../sinks/table/usage-table.js';
import { terminalWidth, type Io } from '../io.js';
import { matchProjects, parseReportFlags, reportOptions, type ReportFlags } from '../options.js';
import { syncAndReport, warnAboutPrices, withWorkspace } from '../workspace.js';
import type { Runnable } from './command.js';
import { usageFilter } from './report-range.js';

export const sessionCommand: Runnable = {
  name: 'session',
  summary: 'usage and cost per agent session',
  configure(command) {
    reportOptions(command);
  },
  async run(io: Io, _args, rawFlags): Promise<ExitCode> {
    const flags = rawFlags as unknown as ReportFlags;
    return withWorkspace(flags, io, (loaded) => parseReportFlags(flags, loaded.config, 'session', io.env), async (ws, range) => {
      const exit = flags.sync ? (await syncAndReport(ws, flags.verbose === true)).exit : EXIT.ok;
      const projects = range.projectNames === undefined ? undefined : matchProjects(range.projectNames, await ws.ledger.projects());
      const filter = usageFilter(range.namespace, range.clock, range.sinceDay, range.untilDay, range.agents, projects);
      const report = sessionReport(await ws.ledger.sessionUsage(filter), await ws.ledger.sessions(filter), {
        order: flags.order,
        ...(range.last === undefined ? {} : { last: range.last }),
      });
      if (flags.json === true) {
        io.stdout.write(`${JSON.stringify(sessionJson(report), null, 2)}\n`);
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
        io.stdout.write(
          `${sessionTable(report, { width: terminalWidth(io), style, breakdown: flags.breakdown === true, formatTime: (ms) => time.format(ms).replace(',', '') })}\n`,
        );
      }
      await warnAboutPrices(ws, report.unpricedModels);
      return exit;
    });
  },
};
