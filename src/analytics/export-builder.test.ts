import { describe, expect, it } from 'vitest';
import { sessionKey, type SessionInfo, type UsageRow } from '../ledger/ledger.js';
import { buildExport, type ExportInput } from './export-builder.js';
import type { ExportDocument } from './export-document.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const at = (day: number, hour: number, minute = 0): number => Date.UTC(2025, 9, day, hour, minute);

function row(fields: Partial<UsageRow> & { costNanos: number; events: number }): UsageRow {
  return { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, unpricedEvents: 0, ...fields };
}

function infos(...list: SessionInfo[]): Map<string, SessionInfo> {
  return new Map(list.map((s) => [sessionKey(s.agent, s.sessionId), s]));
}

const A = { agent: 'claude-code', sessionId: 'abcdef12-aaaa' };
const B = { agent: 'claude-code', sessionId: 'abcdef12-bbbb' };
const CODEX = { agent: 'codex-cli', sessionId: 'rollout-1' };
const GEMINI = { agent: 'gemini-cli', sessionId: 'g-1' };

/** Usage by session, project and model, as the ledger sums it. */
const SESSION_ROWS: UsageRow[] = [
  row({
    ...A,
    project: '/home/dev/app',
    model: 'claude-sonnet-4-5',
    events: 2,
    inputTokens: 100,
    outputTokens: 200,
    cacheWrite5mTokens: 1000,
    cacheWrite1hTokens: 500,
    cacheReadTokens: 4000,
    costNanos: 1_250_000_123,
  }),
  // The same model in another project: one byModel entry, and /home/dev/app stays the cwd (it cost more).
  row({ ...A, project: '/home/dev/api', model: 'claude-sonnet-4-5', events: 1, inputTokens: 1, outputTokens: 2, costNanos: 1 }),
  row({ ...A, project: '/home/dev/app', model: 'claude-opus-4-1', events: 1, inputTokens: 10, outputTokens: 20, costNanos: 3_000_000_000 }),
  row({ ...B, project: '/home/dev/api', model: 'claude-sonnet-4-5', events: 3, inputTokens: 300, outputTokens: 600, cacheReadTokens: 9000, costNanos: 2_000_000_000 }),
  // More requests but less cost: the cwd is the project that cost most.
  row({ ...B, project: '/home/dev/app', model: 'claude-haiku-4-5', events: 4, inputTokens: 40, outputTokens: 80, cacheReadTokens: 100, costNanos: 500_000_000 }),
  // Codex did not log a folder: the project is '' and the cwd null.
  row({ ...CODEX, project: '', model: 'gpt-5-codex', events: 5, inputTokens: 1000, outputTokens: 2000, cacheReadTokens: 3000, costNanos: 700_000_007 }),
  row({ ...GEMINI, project: '/home/dev/site', model: 'gemini-2.5-pro', events: 1, inputTokens: 50, outputTokens: 60, costNanos: 10 }),
];

/** The same usage by model (worked by hand from the rows above). */
const MODEL_ROWS: UsageRow[] = [
  row({ model: 'claude-sonnet-4-5', events: 6, inputTokens: 401, outputTokens: 802, cacheWrite5mTokens: 1000, cacheWrite1hTokens: 500, cacheReadTokens: 13000, costNanos: 3_250_000_124 }),
  row({ model: 'claude-opus-4-1', events: 1, inputTokens: 10, outputTokens: 20, costNanos: 3_000_000_000 }),
  row({ model: 'claude-haiku-4-5', events: 4, inputTokens: 40, outputTokens: 80, cacheReadTokens: 100, costNanos: 500_000_000 }),
  row({ model: 'gpt-5-codex', events: 5, inputTokens: 1000, outputTokens: 2000, cacheReadTokens: 3000, costNanos: 700_000_007 }),
  row({ model: 'gemini-2.5-pro', events: 1, inputTokens: 50, outputTokens: 60, costNanos: 10 }),
];

const SESSIONS = infos(
  { ...A, firstActivity: at(10, 9), lastActivity: at(10, 11) },
  { ...CODEX, firstActivity: at(9, 10), lastActivity: at(9, 11) },
  { ...B, firstActivity: at(10, 8), lastActivity: at(10, 11, 30) },
  { ...GEMINI, firstActivity: at(1, 10), lastActivity: at(1, 10) },
);

const INPUT: ExportInput = {
  sessionRows: SESSION_ROWS,
  sessions: SESSIONS,
  modelRows: MODEL_ROWS,
  userRows: [row({ user: 'bob@lab', events: 6, costNanos: 700_000_017 }), row({ user: 'ada@lab', events: 11, costNanos: 6_750_000_124 })],
  budget: { period: 'month', scope: 'global', amountNanos: 10_000_000_000, spentNanos: 7_450_000_141, level: 'WARNING', setAt: at(1, 0) },
  now: NOW,
  namespace: 'cost-tracking',
  maxSessions: 3,
};

const CAPTURED = '2025-10-10T12:00:00.000Z';

const EXPECTED: ExportDocument = {
  exportedAt: CAPTURED,
  namespace: 'cost-tracking',
  sessions: [
    {
      ...B,
      cwd: '/home/dev/api',
      startedAt: '2025-10-10T08:00:00.000Z',
      endedAt: '2025-10-10T11:30:00.000Z',
      messageCount: 7,
      byModel: {
        'claude-haiku-4-5': { tier: 'haiku', cost_usd: 0.5, messages: 4, input_tokens: 40, output_tokens: 80, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 },
        'claude-sonnet-4-5': { tier: 'sonnet', cost_usd: 2, messages: 3, input_tokens: 300, output_tokens: 600, cache_creation_input_tokens: 0, cache_read_input_tokens: 9000 },
      },
      byTier: { haiku: 0.5, sonnet: 2 },
      total_cost_usd: 2.5,
      capturedAt: CAPTURED,
    },
    {
      ...A,
      cwd: '/home/dev/app',
      startedAt: '2025-10-10T09:00:00.000Z',
      endedAt: '2025-10-10T11:00:00.000Z',
      messageCount: 4,
      byModel: {
        'claude-opus-4-1': { tier: 'opus', cost_usd: 3, messages: 1, input_tokens: 10, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        // 1,250,000,123 + 1 nanos; cache writes of both lifetimes: 1000 + 500.
        'claude-sonnet-4-5': { tier: 'sonnet', cost_usd: 1.250000124, messages: 3, input_tokens: 101, output_tokens: 202, cache_creation_input_tokens: 1500, cache_read_input_tokens: 4000 },
      },
      byTier: { opus: 3, sonnet: 1.250000124 },
      total_cost_usd: 4.250000124,
      capturedAt: CAPTURED,
    },
    {
      ...CODEX,
      cwd: null,
      startedAt: '2025-10-09T10:00:00.000Z',
      endedAt: '2025-10-09T11:00:00.000Z',
      messageCount: 5,
      byModel: { 'gpt-5-codex': { tier: 'gpt-5', cost_usd: 0.700000007, messages: 5, input_tokens: 1000, output_tokens: 2000, cache_creation_input_tokens: 0, cache_read_input_tokens: 3000 } },
      byTier: { 'gpt-5': 0.700000007 },
      total_cost_usd: 0.700000007,
      capturedAt: CAPTURED,
    },
  ],
  budget: { period: 'month', scope: 'global', budget_usd: 10, spent_usd: 7.450000141, utilization: 0.7450000141, level: 'WARNING', setAt: '2025-10-01T00:00:00.000Z' },
  // Every session, the Gemini one beyond --max-sessions included: 3,250,000,124 + 3e9 + 5e8 + 700,000,007 + 10 nanos.
  totalUsd: 7.450000141,
  byTier: { gemini: 0.00000001, 'gpt-5': 0.700000007, haiku: 0.5, opus: 3, sonnet: 3.250000124 },
  byTierTokens: {
    gemini: { input: 50, output: 60, cache_write: 0, cache_read: 0 },
    'gpt-5': { input: 1000, output: 2000, cache_write: 0, cache_read: 3000 },
    haiku: { input: 40, output: 80, cache_write: 0, cache_read: 100 },
    opus: { input: 10, output: 20, cache_write: 0, cache_read: 0 },
    sonnet: { input: 401, output: 802, cache_write: 1500, cache_read: 13000 },
  },
  byUser: { 'ada@lab': 6.750000124, 'bob@lab': 0.700000017 },
};

describe('buildExport', () => {
  it('lists the most recent sessions and totals the whole namespace (worked by hand)', () => {
    const doc = buildExport(INPUT);
    expect(doc).toEqual(EXPECTED);
    // Keys in code-point order, so the JSON is the same on every machine.
    expect(Object.keys(doc.byTier)).toEqual(['gemini', 'gpt-5', 'haiku', 'opus', 'sonnet']);
    expect(Object.keys(doc.sessions[0]?.byModel ?? {})).toEqual(['claude-haiku-4-5', 'claude-sonnet-4-5']);
  });

  it('bounds the sessions by maxSessions, most recent first, and leaves the totals alone', () => {
    const one = buildExport({ ...INPUT, maxSessions: 1 });
    expect(one.sessions.map((s) => s.sessionId)).toEqual(['abcdef12-bbbb']);
    expect([one.totalUsd, one.byTier, one.byTierTokens]).toEqual([EXPECTED.totalUsd, EXPECTED.byTier, EXPECTED.byTierTokens]);
    expect(buildExport({ ...INPUT, maxSessions: 50 }).sessions.map((s) => s.sessionId)).toEqual(['abcdef12-bbbb', 'abcdef12-aaaa', 'rollout-1', 'g-1']);
  });

  it('breaks ties in last activity by the later start, then agent and id', () => {
    const same = { firstActivity: at(10, 9), lastActivity: at(10, 10) };
    const sessions = infos(
      { agent: 'codex-cli', sessionId: 'x', ...same },
      { agent: 'claude-code', sessionId: 'y', ...same },
      { agent: 'claude-code', sessionId: 'x', ...same },
      { agent: 'gemini-cli', sessionId: 'late', firstActivity: at(10, 9, 30), lastActivity: at(10, 10) },
    );
    const doc = buildExport({ ...INPUT, sessions, sessionRows: [], maxSessions: 10 });
    expect(doc.sessions.map((s) => `${s.agent}/${s.sessionId}`)).toEqual(['gemini-cli/late', 'claude-code/x', 'claude-code/y', 'codex-cli/x']);
    // A session the rows know nothing of has no usage rather than a made-up one.
    expect(doc.sessions[0]).toEqual(expect.objectContaining({ cwd: null, messageCount: 0, byModel: {}, byTier: {}, total_cost_usd: 0 }));
  });

  it('exports an empty namespace without a budget as zeros and empty lists', () => {
    expect(buildExport({ sessionRows: [], sessions: new Map(), modelRows: [], budget: undefined, now: NOW, namespace: 'ci', maxSessions: 50 })).toEqual({
      exportedAt: CAPTURED,
      namespace: 'ci',
      sessions: [],
      budget: null,
      totalUsd: 0,
      byTier: {},
      byTierTokens: {},
      byUser: {},
    });
  });

  it('gives utilization as a fraction, unbounded for spend against a $0 budget', () => {
    const budget = (amountNanos: number, spentNanos: number) =>
      buildExport({ ...INPUT, budget: { ...(INPUT.budget as NonNullable<ExportInput['budget']>), amountNanos, spentNanos } }).budget?.utilization;
    expect(budget(20_000_000_000, 30_000_000_000)).toBe(1.5);
    expect(budget(0, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(budget(0, 0)).toBe(0);
  });

  it('keeps a model named __proto__ as a key', () => {
    const doc = buildExport({ ...INPUT, sessionRows: [row({ ...A, project: '/p', model: '__proto__', events: 1, costNanos: 5 })], maxSessions: 2 });
    const a = doc.sessions.find((s) => s.sessionId === A.sessionId);
    expect(Object.keys(a?.byModel ?? {})).toEqual(['__proto__']);
    expect(JSON.parse(JSON.stringify(a?.byModel))).toEqual(
      JSON.parse('{"__proto__":{"tier":"unknown","cost_usd":5e-9,"messages":1,"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}'),
    );
  });
});
