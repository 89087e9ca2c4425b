import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../core/zone-clock.js';
import type { DayRow, UsageTotals } from '../ledger/ledger.js';
import { periodReport, type PeriodOptions } from './period-report.js';
import { addTotals, emptyTotals } from './totals.js';

const DAY_MS = 86_400_000;
const dayOf = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

const BERLIN = new ZoneClock('Europe/Berlin');
const NEW_YORK = new ZoneClock('America/New_York');

/** A local-day row as `LedgerReader.days` returns it; `date` is the local calendar date. */
function row(date: string, fields: Partial<Omit<DayRow, 'day'>> = {}): DayRow {
  return {
    day: dayOf(date),
    agent: 'claude-code',
    project: '/home/dev/app',
    model: 'claude-sonnet-4-5',
    inputTokens: 10,
    outputTokens: 20,
    reasoningTokens: 0,
    cacheWrite5mTokens: 30,
    cacheWrite1hTokens: 40,
    cacheReadTokens: 50,
    costNanos: 1_000,
    events: 1,
    unpricedEvents: 0,
    ...fields,
  };
}

/** The row of an event at a UTC instant, on the local day `clock` gives it (as the ledger sums it). */
function rowAt(iso: string, clock: ZoneClock, fields: Partial<Omit<DayRow, 'day'>> = {}): DayRow {
  return { ...row('1970-01-01', fields), day: clock.localDay(Date.parse(iso)) };
}

function options(overrides: Partial<PeriodOptions> = {}): PeriodOptions {
  return { kind: 'day', startOfWeek: 'monday', byProject: false, order: 'asc', ...overrides };
}

function sum(items: readonly UsageTotals[]): UsageTotals {
  const total = emptyTotals();
  for (const item of items) addTotals(total, item);
  return total;
}

describe('periodReport: local days', () => {
  it('counts an event at 23:30 UTC on the next day in Europe/Berlin and the same day in America/New_York', () => {
    const at = '2025-06-10T23:30:00Z';
    expect(periodReport([rowAt(at, BERLIN)], options()).rows.map((r) => r.period)).toEqual(['2025-06-11']);
    expect(periodReport([rowAt(at, NEW_YORK)], options()).rows.map((r) => r.period)).toEqual(['2025-06-10']);
  });

  it('sums the rows of one local day', () => {
    const rows = [rowAt('2025-06-10T22:15:00Z', BERLIN, { costNanos: 1 }), rowAt('2025-06-11T21:45:00Z', BERLIN, { costNanos: 2 }), rowAt('2025-06-11T22:00:00Z', BERLIN, { costNanos: 4 })];
    const report = periodReport(rows, options());
    expect(report.rows.map((r) => [r.period, r.totals.costNanos, r.totals.events])).toEqual([
      ['2025-06-11', 3, 2],
      ['2025-06-12', 4, 1],
    ]);
  });

  it('formats days before 1970', () => {
    expect(periodReport([row('1969-12-31')], options()).rows.map((r) => r.period)).toEqual(['1969-12-31']);
  });
});

describe('periodReport: weeks and months', () => {
  // 2025-06-08 is a Sunday, 2025-06-09 a Monday.
  const rows = [row('2025-06-08', { costNanos: 1 }), row('2025-06-09', { costNanos: 2 }), row('2025-06-14', { costNanos: 4 })];

  it('starts weeks on Monday', () => {
    const report = periodReport(rows, options({ kind: 'week', startOfWeek: 'monday' }));
    expect(report.rows.map((r) => [r.period, r.totals.costNanos])).toEqual([
      ['2025-06-02', 1],
      ['2025-06-09', 6],
    ]);
  });

  it('starts weeks on Sunday', () => {
    const report = periodReport(rows, options({ kind: 'week', startOfWeek: 'sunday' }));
    expect(report.rows.map((r) => [r.period, r.totals.costNanos])).toEqual([['2025-06-08', 7]]);
  });

  it('starts weeks on any other day', () => {
    const report = periodReport(rows, options({ kind: 'week', startOfWeek: 'saturday' }));
    expect(report.rows.map((r) => [r.period, r.totals.costNanos])).toEqual([
      ['2025-06-07', 3],
      ['2025-06-14', 4],
    ]);
  });

  it('groups months, keyed YYYY-MM', () => {
    const monthRows = [
      rowAt('2025-05-31T21:45:00Z', BERLIN, { costNanos: 1 }), // 23:45 in Berlin: May
      rowAt('2025-05-31T22:00:00Z', BERLIN, { costNanos: 2 }), // 00:00 in Berlin: June
      row('2025-06-30', { costNanos: 4 }),
      row('2025-07-01', { costNanos: 8 }),
      row('2026-07-01', { costNanos: 16 }),
    ];
    const report = periodReport(monthRows, options({ kind: 'month' }));
    expect(report.rows.map((r) => [r.period, r.totals.costNanos])).toEqual([
      ['2025-05', 1],
      ['2025-06', 6],
      ['2025-07', 8],
      ['2026-07', 16],
    ]);
  });
});

describe('periodReport: projects, order and range', () => {
  const rows = [
    row('2025-06-10', { project: '/work/zeta', costNanos: 1 }),
    row('2025-06-10', { project: '/work/alpha', costNanos: 2 }),
    row('2025-06-10', { project: '/work/alpha', costNanos: 4, model: 'other' }),
    row('2025-06-11', { project: '/work/zeta', costNanos: 8 }),
    row('2025-06-12', { project: '/work/alpha', costNanos: 16 }),
    row('2025-06-13', { project: '/work/alpha', costNanos: 32 }),
  ];

  it('has no project on rows unless grouped by project', () => {
    const report = periodReport(rows, options());
    expect(report.rows).toHaveLength(4);
    expect(report.rows.every((r) => r.project === undefined)).toBe(true);
  });

  it('gives one row per period and project, projects by name within a period', () => {
    const report = periodReport(rows, options({ byProject: true }));
    expect(report.rows.map((r) => [r.period, r.project, r.totals.costNanos])).toEqual([
      ['2025-06-10', '/work/alpha', 6],
      ['2025-06-10', '/work/zeta', 1],
      ['2025-06-11', '/work/zeta', 8],
      ['2025-06-12', '/work/alpha', 16],
      ['2025-06-13', '/work/alpha', 32],
    ]);
  });

  it('groups weeks by project too', () => {
    const report = periodReport(rows, options({ kind: 'week', byProject: true }));
    expect(report.rows.map((r) => [r.period, r.project, r.totals.costNanos])).toEqual([
      ['2025-06-09', '/work/alpha', 54],
      ['2025-06-09', '/work/zeta', 9],
    ]);
  });

  it('sorts periods ascending or descending', () => {
    expect(periodReport(rows, options({ order: 'asc' })).rows.map((r) => r.period)).toEqual(['2025-06-10', '2025-06-11', '2025-06-12', '2025-06-13']);
    expect(periodReport(rows, options({ order: 'desc' })).rows.map((r) => r.period)).toEqual(['2025-06-13', '2025-06-12', '2025-06-11', '2025-06-10']);
    const grouped = periodReport(rows, options({ order: 'desc', byProject: true }));
    expect(grouped.rows.map((r) => [r.period, r.project])).toEqual([
      ['2025-06-13', '/work/alpha'],
      ['2025-06-12', '/work/alpha'],
      ['2025-06-11', '/work/zeta'],
      ['2025-06-10', '/work/alpha'],
      ['2025-06-10', '/work/zeta'],
    ]);
  });

  it('sorts the same whatever order the rows come in', () => {
    const shuffled = [rows[4], rows[0], rows[5], rows[3], rows[1], rows[2]] as DayRow[];
    expect(periodReport(shuffled, options({ byProject: true }))).toEqual(periodReport(rows, options({ byProject: true })));
  });

  it('keeps sinceDay and untilDay inclusive, and totals only what it kept', () => {
    const report = periodReport(rows, options({ sinceDay: dayOf('2025-06-11'), untilDay: dayOf('2025-06-12') }));
    expect(report.rows.map((r) => r.period)).toEqual(['2025-06-11', '2025-06-12']);
    expect(report.totals.costNanos).toBe(24);
    expect(periodReport(rows, options({ sinceDay: dayOf('2025-06-13') })).rows.map((r) => r.period)).toEqual(['2025-06-13']);
    expect(periodReport(rows, options({ untilDay: dayOf('2025-06-10') })).rows.map((r) => r.period)).toEqual(['2025-06-10']);
    expect(periodReport(rows, options({ sinceDay: -Infinity })).rows).toHaveLength(4);
  });

  it('counts only the days in range in a week or month cut by the range', () => {
    const report = periodReport(rows, options({ kind: 'week', sinceDay: dayOf('2025-06-12') }));
    expect(report.rows.map((r) => [r.period, r.totals.costNanos])).toEqual([['2025-06-09', 48]]);
  });

  it('is empty for no rows', () => {
    expect(periodReport([], options())).toEqual({ rows: [], totals: emptyTotals(), unpricedModels: [] });
    const outside = periodReport(rows, options({ untilDay: dayOf('2025-06-01') }));
    expect(outside).toEqual({ rows: [], totals: emptyTotals(), unpricedModels: [] });
  });
});

describe('periodReport: models, agents and totals', () => {
  const rows = [
    row('2025-06-10', { model: 'cheap', costNanos: 5, events: 1 }),
    row('2025-06-10', { model: 'dear', costNanos: 900, events: 1 }),
    row('2025-06-10', { model: 'busy', costNanos: 5, events: 7 }),
    row('2025-06-10', { model: 'mystery', costNanos: 0, events: 2, unpricedEvents: 2, agent: 'codex-cli' }),
    row('2025-06-10', { model: 'dear', costNanos: 100, events: 1, agent: 'codex-cli', project: '/other' }),
    row('2025-06-11', { model: 'another-unpriced', costNanos: 0, unpricedEvents: 1, agent: 'gemini-cli' }),
  ];

  it('lists models by cost, then requests, then name, and agents the same way', () => {
    const report = periodReport(rows, options());
    expect(report.rows[0]?.models.map((m) => [m.name, m.totals.costNanos])).toEqual([
      ['dear', 1000],
      ['busy', 5],
      ['cheap', 5],
      ['mystery', 0],
    ]);
    expect(report.rows[0]?.agents.map((a) => [a.name, a.totals.costNanos])).toEqual([
      ['claude-code', 910],
      ['codex-cli', 100],
    ]);
  });

  it('lists the models that had no price, sorted, within the range only', () => {
    expect(periodReport(rows, options()).unpricedModels).toEqual(['another-unpriced', 'mystery']);
    expect(periodReport(rows, options({ untilDay: dayOf('2025-06-10') })).unpricedModels).toEqual(['mystery']);
  });

  it('has totals equal to the sum of its rows, and rows equal to the sum of their models and agents', () => {
    for (const kind of ['day', 'week', 'month'] as const) {
      for (const byProject of [false, true]) {
        const report = periodReport(rows, options({ kind, byProject }));
        expect(report.totals).toEqual(sum(report.rows.map((r) => r.totals)));
        expect(report.totals).toEqual(sum(rows));
        for (const r of report.rows) {
          expect(r.totals).toEqual(sum(r.models.map((m) => m.totals)));
          expect(r.totals).toEqual(sum(r.agents.map((a) => a.totals)));
        }
      }
    }
  });

  it('keeps every token field apart', () => {
    const report = periodReport([row('2025-06-10', { inputTokens: 1, outputTokens: 2, reasoningTokens: 3, cacheWrite5mTokens: 4, cacheWrite1hTokens: 5, cacheReadTokens: 6 })], options());
    expect(report.rows[0]?.totals).toEqual({
      inputTokens: 1,
      outputTokens: 2,
      reasoningTokens: 3,
      cacheWrite5mTokens: 4,
      cacheWrite1hTokens: 5,
      cacheReadTokens: 6,
      costNanos: 1_000,
      events: 1,
      unpricedEvents: 0,
    });
  });
});
