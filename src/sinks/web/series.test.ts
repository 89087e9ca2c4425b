import { describe, expect, it } from 'vitest';
import type { DailyDocument, DailyRow } from './documents.js';
import { calendarDays, spendByDay, spendByProject, stackSeries } from './series.js';

function row(date: string, models: Record<string, number>, extra: Partial<DailyRow> = {}): DailyRow {
  const totalCost = Object.values(models).reduce((a, b) => a + b, 0);
  return {
    date,
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    totalTokens: 0,
    totalCost,
    requests: 1,
    unpricedRequests: 0,
    modelsUsed: Object.keys(models),
    modelBreakdowns: Object.entries(models).map(([modelName, cost]) => ({ modelName, cost, totalTokens: 0, requests: 1, unpriced: false })),
    ...extra,
  };
}

const doc = (rows: DailyRow[]): DailyDocument => ({ daily: rows, totals: { ...row('x', {}), totalCost: 0 } });

describe('spend per day, shaped for a stacked chart', () => {
  it('fills the days without usage and ranks series by total', () => {
    const shaped = spendByDay(doc([row('2026-11-01', { a: 1, b: 4 }), row('2026-11-03', { a: 2 })]), 'model');
    expect(shaped.days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(shaped.series).toEqual([
      { label: 'b', usd: [4, 0, 0] },
      { label: 'a', usd: [1, 0, 2] },
    ]);
  });

  it('sums the series past the limit as other', () => {
    const shaped = spendByDay(doc([row('2026-11-01', { a: 4, b: 3, c: 2, d: 1 })]), 'model', 3);
    expect(shaped.series.map((s) => [s.label, s.usd[0]])).toEqual([
      ['a', 4],
      ['b', 3],
      ['other', 3],
    ]);
  });

  it('reads agents, users and projects', () => {
    const r = row('2026-11-01', { a: 5 }, { agents: [{ agent: 'codex-cli', totalCost: 5 }], user: 'ann@box' });
    expect(spendByDay(doc([r]), 'agent').series).toEqual([{ label: 'codex-cli', usd: [5] }]);
    expect(spendByDay(doc([r]), 'user').series).toEqual([{ label: 'ann@box', usd: [5] }]);
    const byProject = spendByProject({ projects: { '/p/one': [r], '/p/two': [row('2026-11-02', { a: 1 })] }, totals: doc([]).totals });
    expect(byProject.days).toEqual(['2026-11-01', '2026-11-02']);
    expect(byProject.series).toEqual([
      { label: '/p/one', usd: [5, 0] },
      { label: '/p/two', usd: [0, 1] },
    ]);
  });

  it('is empty without usage', () => {
    expect(spendByDay(doc([]), 'model')).toEqual({ days: [], series: [] });
  });

  it('stacks series bottom-up', () => {
    expect(
      stackSeries([
        { label: 'a', usd: [1, 2] },
        { label: 'b', usd: [3, 0] },
      ]),
    ).toEqual([
      [1, 2],
      [4, 2],
    ]);
  });

  it('counts calendar days across a month end', () => {
    expect(calendarDays('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});
