import type { DailyByProjectDocument, DailyDocument, DailyRow } from './documents.js';

/** What the overview's spend chart stacks by; each is one query of the daily report. */
export const CHART_DIMENSIONS = ['model', 'agent', 'user', 'project'] as const;
export type ChartDimension = (typeof CHART_DIMENSIONS)[number];

/** One line of the stack: a label and its dollars per day, aligned with `days`. */
export interface Series {
  label: string;
  usd: number[];
}

export interface StackedSpend {
  /** Every calendar day from the first to the last with usage, gaps included. */
  days: string[];
  /** Largest total first; past `maxSeries`, the rest are summed as `other`. */
  series: Series[];
}

/** The daily report's rows as cost per day and per model, agent or user. */
export function spendByDay(doc: DailyDocument, dimension: Exclude<ChartDimension, 'project'>, maxSeries = 8): StackedSpend {
  const cells: [string, string, number][] = [];
  for (const row of doc.daily) {
    if (dimension === 'model') for (const m of row.modelBreakdowns ?? []) cells.push([row.date, m.modelName, m.cost]);
    else if (dimension === 'agent') for (const a of row.agents ?? []) cells.push([row.date, a.agent, a.totalCost]);
    else cells.push([row.date, row.user ?? 'unknown', row.totalCost]);
  }
  return shape(cells, maxSeries);
}

/** The daily report by project (`instances`) as cost per day and project. */
export function spendByProject(doc: DailyByProjectDocument, maxSeries = 8): StackedSpend {
  const cells: [string, string, number][] = [];
  for (const [project, rows] of Object.entries(doc.projects ?? {})) for (const row of rows as DailyRow[]) cells.push([row.date, project, row.totalCost]);
  return shape(cells, maxSeries);
}

function shape(cells: readonly [string, string, number][], maxSeries: number): StackedSpend {
  if (cells.length === 0) return { days: [], series: [] };
  const dates = cells.map((c) => c[0]).sort();
  const days = calendarDays(dates[0]!, dates[dates.length - 1]!);
  const index = new Map(days.map((d, i) => [d, i]));
  const totals = new Map<string, number>();
  for (const [, label, usd] of cells) totals.set(label, (totals.get(label) ?? 0) + usd);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label]) => label);
  const kept = ranked.length > maxSeries ? ranked.slice(0, maxSeries - 1) : ranked;
  const rows = new Map<string, number[]>(kept.map((label) => [label, days.map(() => 0)]));
  const other = days.map(() => 0);
  for (const [date, label, usd] of cells) {
    const values = rows.get(label) ?? other;
    values[index.get(date)!]! += usd;
  }
  const series = kept.map((label) => ({ label, usd: rows.get(label)! }));
  if (ranked.length > kept.length) series.push({ label: 'other', usd: other });
  return { days, series };
}

/** Every `YYYY-MM-DD` from `first` to `last` inclusive (calendar arithmetic in UTC: days, not moments). */
export function calendarDays(first: string, last: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${last}T00:00:00Z`);
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= end && out.length < 3700; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Running sums bottom-up: `stacked[i][d]` is the top of series `i` on day `d`, as a stacked chart draws it. */
export function stackSeries(series: readonly Series[]): number[][] {
  const out: number[][] = [];
  let below: number[] | undefined;
  for (const s of series) {
    const top = s.usd.map((v, d) => v + (below?.[d] ?? 0));
    out.push(top);
    below = top;
  }
  return out;
}
