import { Option, type Command } from 'commander';
import { periodReport, type PeriodKind, type PeriodReport } from '../analytics/period-report.js';
import type { PlanValue } from '../analytics/plan-value.js';
import { readPlanValues } from '../analytics/read-plan-values.js';
import { EXIT } from '../core/errors.js';
import { periodJson } from '../sinks/json/period-json.js';
import { planJson } from '../sinks/json/plan-json.js';
import { matchProjects } from './match-projects.js';
import { reportOptions } from './options.js';
import { parseReportFlags, type ReportFlags, type ReportRange } from './report-flags.js';
import { lastPeriodsStart } from './report-range.js';
import type { JsonReport, ReportContext } from './report.js';
import { noteUsageRead } from './usage-notes.js';

/** The flags of `daily`, `weekly` (with `--start-of-week`) and `monthly`. */
export function periodOptions(command: Command, kind: PeriodKind): void {
  reportOptions(command, ['table', 'json', 'csv'])
    .option('-i, --instances', 'one row per project within each period')
    .addOption(new Option('--by <what>', 'one row per user within each period (who recorded the usage)').choices(['user']));
  if (kind === 'week') command.option('-w, --start-of-week <day>', 'first day of the week (default: config "startOfWeek", else monday)');
}

/** What a period report read: its range, the projects `--project` matched, the periods and the plans. */
export interface PeriodRead {
  range: ReportRange;
  projects: string[] | undefined;
  report: PeriodReport;
  plans: PlanValue[];
}

/** Reads usage by period for the flags of command `name` (the ledger's day sums brought up to date first). */
export async function readPeriods(ctx: ReportContext, name: string, kind: PeriodKind, rawFlags: Record<string, unknown>): Promise<PeriodRead> {
  const flags = rawFlags as unknown as ReportFlags;
  const range = parseReportFlags(flags, ctx.loaded.config, name, ctx.env, ctx.now());
  await ctx.prepareDays(range.clock);
  // Only --last needs today's date (and so the zone's offsets).
  const sinceDay = range.last === undefined ? range.sinceDay : Math.max(range.sinceDay ?? -Infinity, lastPeriodsStart(kind, range.clock.localDay(ctx.now()), range.last, range.startOfWeek));
  const projects = range.projectNames === undefined ? undefined : matchProjects(range.projectNames, await ctx.ledger.projects());
  const rows = await ctx.ledger.days(
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
    kind,
    startOfWeek: range.startOfWeek,
    sinceDay,
    untilDay: range.untilDay,
    byProject: flags.instances === true,
    byUser: rawFlags.by === 'user',
    order: flags.order,
  });
  const plans = await readPlanValues(ctx.ledger, range.namespace, ctx.loaded.config.plans, range.clock, ctx.now());
  return { range, projects, report, plans };
}

/** `daily`/`weekly`/`monthly --json` (ccusage's keys), with the subscription plans' value when any are configured. */
export function periodDocument(kind: PeriodKind, read: PeriodRead, instances: boolean): unknown {
  const json = periodJson(kind, read.report, instances) as Record<string, unknown>;
  return read.plans.length === 0 ? json : { ...json, plans: read.plans.map(planJson) };
}

function periodJsonReport(name: string, kind: PeriodKind): JsonReport {
  return {
    name,
    configure: (command) => periodOptions(command, kind),
    async answer(ctx, flags) {
      const read = await readPeriods(ctx, name, kind, flags);
      const document = periodDocument(kind, read, flags.instances === true);
      await noteUsageRead(ctx, read);
      return { document, exit: EXIT.ok };
    },
  };
}

export const DAILY_REPORT = periodJsonReport('daily', 'day');
export const WEEKLY_REPORT = periodJsonReport('weekly', 'week');
export const MONTHLY_REPORT = periodJsonReport('monthly', 'month');
