import { EXIT, type ExitCode } from '../../core/errors.js';
import { sessionCsv } from '../../sinks/csv/usage-csv.js';
import { styleFor } from '../../sinks/table/style.js';
import { sessionTable } from '../../sinks/table/usage-table.js';
import { chosenFormat } from '../../reports/format.js';
import { parseReportFlags, type ReportFlags } from '../../reports/report-flags.js';
import { asksForOneSession, readSessions, SESSION_REPORT } from '../../reports/session.js';
import { noteUsageRead } from '../../reports/usage-notes.js';
import { terminalWidth, type Io } from '../io.js';
import { printAnswer } from '../print-answer.js';
import { reportContextOf } from '../report-context.js';
import { syncAndReport, withWorkspace } from '../workspace.js';
import type { Runnable } from './command.js';
import { runSessionDetail } from './session-detail.js';

export const sessionCommand: Runnable = {
  name: 'session',
  summary: 'usage and cost per agent session',
  configure: (command) => SESSION_REPORT.configure(command),
  async run(io: Io, _args, rawFlags): Promise<ExitCode> {
    if (asksForOneSession(rawFlags)) return runSessionDetail(io, rawFlags);
    const flags = rawFlags as unknown as ReportFlags;
    const format = chosenFormat(rawFlags);
    return withWorkspace(
      flags,
      io,
      (loaded) => parseReportFlags(flags, loaded.config, 'session', io.env, io.now()),
      async (ws, range) => {
        const exit = flags.sync ? (await syncAndReport(ws, flags.verbose === true)).exit : EXIT.ok;
        const ctx = reportContextOf(ws);
        if (format === 'json') return printAnswer(io, SESSION_REPORT, ctx, rawFlags, [], exit);
        const read = await readSessions(ctx, rawFlags);
        const { report } = read;
        if (format === 'csv') {
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
        await noteUsageRead(ctx, read);
        return exit;
      },
    );
  },
};
