import { sessionReport, type SessionReport } from '../analytics/session-report.js';
import { EXIT } from '../core/errors.js';
import { sessionJson } from '../sinks/json/session-json.js';
import { matchProjects } from './match-projects.js';
import { reportOptions } from './options.js';
import { noteUsageRead } from './usage-notes.js';
import { parseReportFlags, type ReportFlags, type ReportRange } from './report-flags.js';
import { usageFilter } from './report-range.js';
import type { JsonReport, ReportContext } from './report.js';
import { readSessionDetail, sessionDetailDocument } from './session-detail.js';

/** What the session list read: its range, the projects `--project` matched, the sessions. */
export interface SessionsRead {
  range: ReportRange;
  projects: string[] | undefined;
  report: SessionReport;
}

/** Whether the flags ask for one session in detail (`--session-id` or `--latest`) rather than the list. */
export function asksForOneSession(flags: Record<string, unknown>): boolean {
  return flags.sessionId !== undefined || flags.latest === true;
}

/** Reads usage by session for the flags of `session`. */
export async function readSessions(ctx: ReportContext, rawFlags: Record<string, unknown>): Promise<SessionsRead> {
  const flags = rawFlags as unknown as ReportFlags;
  const range = parseReportFlags(flags, ctx.loaded.config, 'session', ctx.env, ctx.now());
  const projects = range.projectNames === undefined ? undefined : matchProjects(range.projectNames, await ctx.ledger.projects());
  const filter = usageFilter(range.namespace, range.clock, range.sinceDay, range.untilDay, range.agents, projects, range.who);
  const report = sessionReport(await ctx.ledger.sessionUsage(filter), await ctx.ledger.sessions(filter), {
    order: flags.order,
    ...(range.last === undefined ? {} : { last: range.last }),
  });
  return { range, projects, report };
}

/** `session`: usage per session, or one session in detail with `--session-id ID` or `--latest`. */
export const SESSION_REPORT: JsonReport = {
  name: 'session',
  configure(command) {
    reportOptions(command, ['table', 'json', 'csv'])
      .option('--session-id <id>', 'one session in detail: its messages, costliest first (a unique prefix of the id will do)')
      .option('--latest', 'the most recently active session in detail')
      .option('--top <n>', 'with --session-id or --latest: how many messages to list', '20');
  },
  async answer(ctx, flags) {
    if (asksForOneSession(flags)) return { document: sessionDetailDocument(await readSessionDetail(ctx, flags)), exit: EXIT.ok };
    const read = await readSessions(ctx, flags);
    const document = sessionJson(read.report);
    await noteUsageRead(ctx, read);
    return { document, exit: EXIT.ok };
  },
};
