import { monthStart, weekStart, type Weekday } from '../core/calendar.js';
import type { ZoneClock } from '../core/zone-clock.js';
import type { PeriodKind } from '../analytics/period-report.js';
import type { UsageFilter } from '../ledger/ledger.js';

/** First local day of the last `n` periods, the current one included. */
export function lastPeriodsStart(kind: PeriodKind, today: number, n: number, startOfWeek: Weekday): number {
  if (kind === 'day') return today - (n - 1);
  if (kind === 'week') return weekStart(today, startOfWeek) - 7 * (n - 1);
  let start = monthStart(today);
  for (let i = 1; i < n; i++) start = monthStart(start - 1);
  return start;
}

/** The ledger filter for an inclusive range of local days. */
export function usageFilter(
  namespace: string,
  clock: ZoneClock,
  sinceDay: number | undefined,
  untilDay: number | undefined,
  agents: string[] | undefined,
  projects: string[] | undefined,
  who: { users?: string[]; machines?: string[] } = {},
): UsageFilter {
  const filter: UsageFilter = { namespace, ...who };
  if (sinceDay !== undefined && Number.isFinite(sinceDay)) filter.since = clock.startOfLocalDay(sinceDay);
  if (untilDay !== undefined) filter.until = clock.startOfLocalDay(untilDay + 1);
  if (agents !== undefined) filter.agents = agents;
  if (projects !== undefined) filter.projects = projects;
  return filter;
}
