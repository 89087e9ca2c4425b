import { describe, expect, it } from 'vitest';
import type { PeriodReport } from '../../analytics/period-report.js';
import { periodReport } from '../../analytics/period-report.js';
import type { SessionReport } from '../../analytics/session-report.js';
import { emptyTotals } from '../../analytics/totals.js';
import type { DayRow, UsageTotals } from '../../ledger/ledger.js';
import { periodJson } from './period-json.js';
import { sessionJson } from './session-json.js';

/**
 * The JSON output is a contract: tools written for ccusage read these names. Every key set is written
 * out here, so renaming, adding or dropping a key fails a test and is a deliberate decision.
 */
const USAGE_KEYS = [
  'inputTokens',
  'outputTokens',
  'cacheCreationTokens',
  'cacheReadTokens',
  'totalTokens',
  // tokenledger's additions
  'cacheCreation5mTokens',
  'cacheCreation1hTokens',
  'reasoningTokens',
  'requests',
  'unpricedRequests',
];
const PERIOD_ROW_KEYS = (periodKey: string): string[] => [periodKey, ...USAGE_KEYS, 'totalCost', 'modelsUsed', 'modelBreakdowns', 'agents'];
const MODEL_BREAKDOWN_KEYS = ['modelName', ...USAGE_KEYS, 'cost', 'unpriced'];
const AGENT_BREAKDOWN_KEYS = ['agent', ...USAGE_KEYS, 'totalCost'];
const TOTALS_KEYS = [...USAGE_KEYS, 'totalCost', 'unpricedModels'];
const SESSION_ROW_KEYS = ['sessionId', 'projectPath', 'agent', 'firstActivity', 'lastActivity', ...USAGE_KEYS, 'totalCost', 'modelsUsed', 'modelBreakdowns'];

const keysOf = (value: unknown): string[] => Object.keys(value as object).sort();
const sorted = (keys: string[]): string[] => [...keys].sort();

function usage(fields: Partial<UsageTotals>): UsageTotals {
  return { ...emptyTotals(), ...fields };
}

const OPUS = usage({
  inputTokens: 100,
  outputTokens: 2_000,
  reasoningTokens: 500,
  cacheWrite5mTokens: 30_000,
  cacheWrite1hTokens: 4_000,
  cacheReadTokens: 500_000,
  costNanos: 1_234_567_890,
  events: 12,
});
const MYSTERY = usage({ inputTokens: 7, outputTokens: 3, events: 2, unpricedEvents: 2 });
const BOTH = usage({
  inputTokens: 107,
  outputTokens: 2_003,
  reasoningTokens: 500,
  cacheWrite5mTokens: 30_000,
  cacheWrite1hTokens: 4_000,
  cacheReadTokens: 500_000,
  costNanos: 1_234_567_890,
  events: 14,
  unpricedEvents: 2,
});

const REPORT: PeriodReport = {
  rows: [
    {
      period: '2025-06-10',
      project: undefined,
      totals: BOTH,
      models: [
        { name: 'claude-opus-4-1', totals: OPUS },
        { name: 'mystery-model', totals: MYSTERY },
      ],
      agents: [
        { name: 'claude-code', totals: OPUS },
        { name: 'codex-cli', totals: MYSTERY },
      ],
    },
  ],
  totals: BOTH,
  unpricedModels: ['mystery-model'],
};

/** Parsed as a consumer would see it. */
const asJson = (value: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

describe('period JSON', () => {
  it.each([
    ['day', 'daily', 'date'],
    ['week', 'weekly', 'week'],
    ['month', 'monthly', 'month'],
  ] as const)('%s reports are {%s: [{%s, ...}], totals}', (kind, list, key) => {
    const json = asJson(periodJson(kind, REPORT, false));
    expect(keysOf(json)).toEqual(sorted([list, 'totals']));
    const rows = json[list] as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[key]).toBe('2025-06-10');
  });

  it('has the ccusage token and cost fields, with totalTokens the sum of the four buckets', () => {
    const row = (asJson(periodJson('day', REPORT, false)).daily as Record<string, unknown>[])[0];
    expect(row).toMatchObject({
      date: '2025-06-10',
      inputTokens: 107,
      outputTokens: 2_003,
      cacheCreationTokens: 34_000,
      cacheReadTokens: 500_000,
      totalTokens: 107 + 2_003 + 34_000 + 500_000,
      totalCost: 1.23456789,
      modelsUsed: ['claude-opus-4-1', 'mystery-model'],
      cacheCreation5mTokens: 30_000,
      cacheCreation1hTokens: 4_000,
      reasoningTokens: 500,
      requests: 14,
      unpricedRequests: 2,
    });
  });

  it('breaks rows down by model (cost in USD) and by agent', () => {
    const row = (asJson(periodJson('day', REPORT, false)).daily as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(row.modelBreakdowns).toEqual([
      {
        modelName: 'claude-opus-4-1',
        inputTokens: 100,
        outputTokens: 2_000,
        cacheCreationTokens: 34_000,
        cacheReadTokens: 500_000,
        totalTokens: 536_100,
        cost: 1.23456789,
        cacheCreation5mTokens: 30_000,
        cacheCreation1hTokens: 4_000,
        reasoningTokens: 500,
        requests: 12,
        unpricedRequests: 0,
        unpriced: false,
      },
      {
        modelName: 'mystery-model',
        inputTokens: 7,
        outputTokens: 3,
        cacheCreationTokens: 0,
        cacheReadTokens: 0,
        totalTokens: 10,
        cost: 0,
        cacheCreation5mTokens: 0,
        cacheCreation1hTokens: 0,
        reasoningTokens: 0,
        requests: 2,
        unpricedRequests: 2,
        unpriced: true,
      },
    ]);
    expect((row.agents as Record<string, unknown>[]).map((a) => [a.agent, a.totalCost])).toEqual([
      ['claude-code', 1.23456789],
      ['codex-cli', 0],
    ]);
  });

  it('has totals with the same fields and the unpriced models', () => {
    expect(asJson(periodJson('month', REPORT, false)).totals).toEqual({
      inputTokens: 107,
      outputTokens: 2_003,
      cacheCreationTokens: 34_000,
      cacheReadTokens: 500_000,
      totalTokens: 536_110,
      totalCost: 1.23456789,
      cacheCreation5mTokens: 30_000,
      cacheCreation1hTokens: 4_000,
      reasoningTokens: 500,
      requests: 14,
      unpricedRequests: 2,
      unpricedModels: ['mystery-model'],
    });
  });

  it('turns nanos into dollars only at the edge', () => {
    const cheap: PeriodReport = { rows: [], totals: usage({ costNanos: 1 }), unpricedModels: [] };
    expect(asJson(periodJson('day', cheap, false)).totals).toMatchObject({ totalCost: 1e-9 });
    const big: PeriodReport = { rows: [], totals: usage({ costNanos: 12_345_678_901_234 }), unpricedModels: [] };
    expect(asJson(periodJson('day', big, false)).totals).toMatchObject({ totalCost: 12_345.678901234 });
  });

  it('is an empty list with zero totals for an empty report', () => {
    const empty: PeriodReport = { rows: [], totals: emptyTotals(), unpricedModels: [] };
    const json = asJson(periodJson('week', empty, false));
    expect(json.weekly).toEqual([]);
    expect(json.totals).toMatchObject({ totalTokens: 0, totalCost: 0, unpricedModels: [] });
  });
});

describe('period JSON grouped by project', () => {
  const day = (date: string, project: string, costNanos: number): DayRow => ({
    ...usage({ inputTokens: 1, costNanos, events: 1 }),
    day: Date.parse(`${date}T00:00:00Z`) / 86_400_000,
    agent: 'claude-code',
    project,
    model: 'claude-sonnet-4-5',
  });
  const rows = [day('2025-06-10', '/work/b', 1), day('2025-06-10', '/work/a', 2), day('2025-06-11', '/work/a', 4)];
  const report = periodReport(rows, { kind: 'day', startOfWeek: 'monday', byProject: true, order: 'asc' });

  it('is {projects: {path: [rows]}, totals}, each row naming its project', () => {
    const json = asJson(periodJson('day', report, true));
    expect(keysOf(json)).toEqual(['projects', 'totals']);
    const projects = json.projects as Record<string, Record<string, unknown>[]>;
    expect(Object.keys(projects).sort()).toEqual(['/work/a', '/work/b']);
    expect(projects['/work/a']?.map((r) => [r.date, r.project, r.totalCost])).toEqual([
      ['2025-06-10', '/work/a', 2e-9],
      ['2025-06-11', '/work/a', 4e-9],
    ]);
    expect(projects['/work/b']?.map((r) => [r.date, r.project])).toEqual([['2025-06-10', '/work/b']]);
    expect(json.totals).toMatchObject({ totalCost: 7e-9, inputTokens: 3, requests: 3 });
  });

  it('uses the period key of the report kind', () => {
    const weekly = periodReport(rows, { kind: 'week', startOfWeek: 'monday', byProject: true, order: 'asc' });
    const projects = asJson(periodJson('week', weekly, true)).projects as Record<string, Record<string, unknown>[]>;
    expect(projects['/work/a']?.map((r) => r.week)).toEqual(['2025-06-09']);
  });
});

const SESSIONS: SessionReport = {
  rows: [
    {
      agent: 'claude-code',
      sessionId: 'sess-1',
      project: '/home/dev/app',
      firstActivity: Date.parse('2025-06-10T09:00:00.250Z'),
      lastActivity: Date.parse('2025-06-10T11:30:00Z'),
      totals: BOTH,
      models: [
        { name: 'claude-opus-4-1', totals: OPUS },
        { name: 'mystery-model', totals: MYSTERY },
      ],
    },
  ],
  totals: BOTH,
  unpricedModels: ['mystery-model'],
};

describe('session JSON', () => {
  it('is {sessions: [...], totals} with ccusage names and ISO times', () => {
    const json = asJson(sessionJson(SESSIONS));
    expect(keysOf(json)).toEqual(['sessions', 'totals']);
    const session = (json.sessions as Record<string, unknown>[])[0];
    expect(session).toMatchObject({
      sessionId: 'sess-1',
      projectPath: '/home/dev/app',
      agent: 'claude-code',
      firstActivity: '2025-06-10T09:00:00.250Z',
      lastActivity: '2025-06-10T11:30:00.000Z',
      inputTokens: 107,
      outputTokens: 2_003,
      cacheCreationTokens: 34_000,
      cacheReadTokens: 500_000,
      totalTokens: 536_110,
      totalCost: 1.23456789,
      modelsUsed: ['claude-opus-4-1', 'mystery-model'],
    });
    expect(((session?.modelBreakdowns ?? []) as Record<string, unknown>[]).map((m) => [m.modelName, m.cost, m.unpriced])).toEqual([
      ['claude-opus-4-1', 1.23456789, false],
      ['mystery-model', 0, true],
    ]);
    expect(json.totals).toMatchObject({ totalCost: 1.23456789, unpricedModels: ['mystery-model'] });
  });
});

describe('JSON contract: the key set of every object', () => {
  it('period rows, model and agent breakdowns and totals, for every kind', () => {
    for (const [kind, list, key] of [
      ['day', 'daily', 'date'],
      ['week', 'weekly', 'week'],
      ['month', 'monthly', 'month'],
    ] as const) {
      const json = asJson(periodJson(kind, REPORT, false));
      for (const row of json[list] as Record<string, unknown>[]) {
        expect(keysOf(row), `${kind} row`).toEqual(sorted(PERIOD_ROW_KEYS(key)));
        for (const model of row.modelBreakdowns as unknown[]) expect(keysOf(model), `${kind} model`).toEqual(sorted(MODEL_BREAKDOWN_KEYS));
        for (const agent of row.agents as unknown[]) expect(keysOf(agent), `${kind} agent`).toEqual(sorted(AGENT_BREAKDOWN_KEYS));
      }
      expect(keysOf(json.totals), `${kind} totals`).toEqual(sorted(TOTALS_KEYS));
    }
  });

  it('grouped-by-project rows add only `project`', () => {
    const grouped: PeriodReport = { ...REPORT, rows: REPORT.rows.map((r) => ({ ...r, project: '/home/dev/app' })) };
    const json = asJson(periodJson('day', grouped, true));
    expect(keysOf(json)).toEqual(['projects', 'totals']);
    const rows = (json.projects as Record<string, Record<string, unknown>[]>)['/home/dev/app'] ?? [];
    expect(rows).toHaveLength(1);
    for (const row of rows) expect(keysOf(row)).toEqual(sorted([...PERIOD_ROW_KEYS('date'), 'project']));
    expect(keysOf(json.totals)).toEqual(sorted(TOTALS_KEYS));
  });

  it('session rows, their model breakdowns and totals', () => {
    const json = asJson(sessionJson(SESSIONS));
    for (const row of json.sessions as Record<string, unknown>[]) {
      expect(keysOf(row)).toEqual(sorted(SESSION_ROW_KEYS));
      for (const model of row.modelBreakdowns as unknown[]) expect(keysOf(model)).toEqual(sorted(MODEL_BREAKDOWN_KEYS));
    }
    expect(keysOf(json.totals)).toEqual(sorted(TOTALS_KEYS));
  });

  it('every number is finite and every token count an integer', () => {
    const check = (value: unknown, path: string): void => {
      if (typeof value === 'number') {
        expect(Number.isFinite(value), path).toBe(true);
        if (/Tokens$|requests$|Requests$/.test(path)) expect(Number.isInteger(value), path).toBe(true);
      } else if (Array.isArray(value)) for (const [i, v] of value.entries()) check(v, `${path}[${i}]`);
      else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) check(v, `${path}.${k}`);
    };
    check(asJson(periodJson('day', REPORT, false)), '$');
    check(asJson(sessionJson(SESSIONS)), '$');
  });
});
