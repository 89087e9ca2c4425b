import { noteUnmatchedFilters } from './filter-notes.js';
import { warnAboutPrices } from './price-notes.js';
import type { ReportRange } from './report-flags.js';
import type { ReportContext } from './report.js';

/** The notes after a usage report (by period, by session): unpriced models, filters that matched nothing. */
export async function noteUsageRead(ctx: ReportContext, read: { range: ReportRange; projects: string[] | undefined; report: { unpricedModels: readonly string[] } }): Promise<void> {
  const { range } = read;
  await warnAboutPrices(ctx, read.report.unpricedModels);
  await noteUnmatchedFilters(ctx, { namespace: range.namespace, agents: range.agents, projectNames: range.projectNames, matchedProjects: read.projects, ...range.who });
}
