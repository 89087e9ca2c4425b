import { describe, expect, it } from 'vitest';
import { byModel, byProject, bySessionField } from './aggregate.js';
import type { DailyRow, SessionRow, UsageTotals } from './documents.js';

const totals: UsageTotals = { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: 0, totalCost: 0, requests: 0, unpricedRequests: 0 };

function day(date: string, cost: number, models: [string, number, boolean][] = []): DailyRow {
  return {
    ...totals,
    date,
    totalCost: cost,
    totalTokens: 10,
    requests: 2,
    modelsUsed: models.map((m) => m[0]),
    modelBreakdowns: models.map(([modelName, c, unpriced]) => ({ modelName, cost: c, totalTokens: 5, requests: 1, unpriced })),
  };
}

describe('spend per name', () => {
  it('sums models across days, marking the unpriced', () => {
    const doc = {
      daily: [
        day('2026-11-01', 3, [
          ['opus', 2, false],
          ['local', 0, true],
        ]),
        day('2026-11-02', 1, [['opus', 1, false]]),
      ],
      totals,
    };
    expect(byModel(doc)).toEqual([
      { name: 'opus', costUsd: 3, totalTokens: 10, requests: 2, count: 2, unpriced: false },
      { name: 'local', costUsd: 0, totalTokens: 5, requests: 1, count: 1, unpriced: true },
    ]);
  });

  it('sums projects over their days', () => {
    expect(byProject({ projects: { '/a': [day('2026-11-01', 1), day('2026-11-02', 2)], '/b': [day('2026-11-01', 5)] }, totals }).map((s) => [s.name, s.costUsd, s.count])).toEqual([
      ['/b', 5, 1],
      ['/a', 3, 2],
    ]);
  });

  it('sums sessions per user and per machine', () => {
    const session = (user: string, machine: string, cost: number): SessionRow => ({
      ...totals,
      sessionId: `${user}${cost}`,
      projectPath: '/p',
      agent: 'codex-cli',
      user,
      machine,
      firstActivity: '',
      lastActivity: '',
      modelsUsed: [],
      modelBreakdowns: [],
      totalCost: cost,
    });
    const sessions = [session('ann', 'm1', 1), session('bob', 'm1', 2), session('ann', 'm2', 4)];
    expect(bySessionField(sessions, 'user').map((s) => [s.name, s.costUsd, s.count])).toEqual([
      ['ann', 5, 2],
      ['bob', 2, 1],
    ]);
    expect(bySessionField(sessions, 'machine').map((s) => [s.name, s.costUsd])).toEqual([
      ['m2', 4],
      ['m1', 3],
    ]);
  });
});
