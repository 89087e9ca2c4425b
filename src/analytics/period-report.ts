import { dayKey, monthKey, monthStart, weekStart, type Weekday } from '../core/calendar.js';
import type { DayRow, UsageTotals } from '../ledger/ledger.js';
import { Breakdown, emptyTotals, addTotals } from './totals.js';

export type PeriodKind = 'day' | 'week' | 'month';

export interface PeriodOptions {
  kind: PeriodKind;
  startOfWeek: Weekday;
  /** Inclusive local day numbers. */
  sinceDay?: number;
  untilDay?: number;
  /** One row per period and project instead of per period. */
  byProject: boolean;
  /** One row per period and user (who recorded the usage: `daily --by user`). */
  byUser?: boolean;
  order: 'asc' | 'desc';
}

export interface Part {
  name: string;
  totals: UsageTotals;
}

export interface PeriodRow {
  /** `YYYY-MM-DD` (day, and first day of a week) or `YYYY-MM`. */
  period: string;
  project: string | undefined;
  /** With `byUser`: who recorded the row's usage. */
  user?: string;
  totals: UsageTotals;
  models: Part[];
  agents: Part[];
}

export interface PeriodReport {
  rows: PeriodRow[];
  totals: UsageTotals;
  /** Models with usage but no price, counted at 0. */
  unpricedModels: string[];
}

interface Group {
  period: string;
  start: number;
  project: string | undefined;
  user: string | undefined;
  totals: UsageTotals;
  models: Breakdown;
  agents: Breakdown;
}

/** Sums local-day rows into days, weeks or months (optionally per project). */
export function periodReport(rows: readonly DayRow[], options: PeriodOptions): PeriodReport {
  const groups = new Map<string, Group>();
  const totals = emptyTotals();
  const unpriced = new Set<string>();
  for (const row of rows) {
    const day = row.day;
    if (options.sinceDay !== undefined && day < options.sinceDay) continue;
    if (options.untilDay !== undefined && day > options.untilDay) continue;
    const start = options.kind === 'day' ? day : options.kind === 'week' ? weekStart(day, options.startOfWeek) : monthStart(day);
    const project = options.byProject ? row.project : undefined;
    const user = options.byUser === true ? (row.user ?? '') : undefined;
    const key = `${start}\0${project ?? ''}\0${user ?? ''}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { period: options.kind === 'month' ? monthKey(start) : dayKey(start), start, project, user, totals: emptyTotals(), models: new Breakdown(), agents: new Breakdown() };
      groups.set(key, group);
    }
    addTotals(group.totals, row);
    group.models.add(row.model, row);
    group.agents.add(row.agent, row);
    addTotals(totals, row);
    if (row.unpricedEvents > 0) unpriced.add(row.model);
  }
  const direction = options.order === 'desc' ? -1 : 1;
  const sorted = [...groups.values()].sort((a, b) => direction * (a.start - b.start) || compare(a.project ?? '', b.project ?? '') || compare(a.user ?? '', b.user ?? ''));
  return {
    rows: sorted.map((g) => ({
      period: g.period,
      project: g.project,
      ...(g.user === undefined ? {} : { user: g.user }),
      totals: g.totals,
      models: g.models.parts(),
      agents: g.agents.parts(),
    })),
    totals,
    unpricedModels: [...unpriced].sort(),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
