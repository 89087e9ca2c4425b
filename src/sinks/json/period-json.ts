import type { PeriodKind, PeriodReport } from '../../analytics/period-report.js';
import { agentBreakdowns, modelBreakdowns, totalsJson, usageFields } from './usage-json.js';

/** ccusage's keys: `daily[].date`, `weekly[].week`, `monthly[].month`. */
const SHAPE: Record<PeriodKind, { list: string; key: string }> = {
  day: { list: 'daily', key: 'date' },
  week: { list: 'weekly', key: 'week' },
  month: { list: 'monthly', key: 'month' },
};

/** `{daily: [...], totals}`; grouped by project it is `{projects: {path: [...]}, totals}`. */
export function periodJson(kind: PeriodKind, report: PeriodReport, byProject: boolean): unknown {
  const shape = SHAPE[kind];
  const rowJson = (row: PeriodReport['rows'][number]): Record<string, unknown> => ({
    [shape.key]: row.period,
    ...usageFields(row.totals, 'totalCost'),
    modelsUsed: row.models.map((m) => m.name),
    modelBreakdowns: modelBreakdowns(row.models),
    agents: agentBreakdowns(row.agents),
    ...(row.project === undefined ? {} : { project: row.project }),
    ...(row.user === undefined ? {} : { user: row.user }),
  });
  const totals = totalsJson(report.totals, report.unpricedModels);
  if (!byProject) return { [shape.list]: report.rows.map(rowJson), totals };
  const projects: Record<string, unknown[]> = {};
  for (const row of report.rows) (projects[row.project ?? ''] ??= []).push(rowJson(row));
  return { projects, totals };
}
