import { spawnSync } from 'node:child_process';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { ParsedFamily } from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import type { ExportDocument, ExportSession } from '../../analytics/export-document.js';
import { formatValue, labelledSessions, prometheusText } from './prometheus-text.js';

function session(sessionId: string, agent: string, totalUsd: number, messageCount: number): ExportSession {
  return {
    sessionId,
    agent,
    cwd: '/home/dev/project',
    startedAt: '2025-06-10T08:00:00.000Z',
    endedAt: '2025-06-10T09:00:00.000Z',
    messageCount,
    byModel: {},
    byTier: {},
    total_cost_usd: totalUsd,
    capturedAt: '2025-06-10T10:00:00.000Z',
  };
}

function document(fields: Partial<ExportDocument>): ExportDocument {
  return { exportedAt: '2025-06-10T10:00:00.000Z', namespace: 'default', sessions: [], budget: null, totalUsd: 0, byTier: {}, byTierTokens: {}, byUser: {}, ...fields };
}

const DOC = document({
  totalUsd: 12.5000002,
  // Out of order on purpose: the file lists tiers by name.
  byTier: { sonnet: 2.5, opus: 10.0000002 },
  sessions: [session('9f1c2d3e-aaaa-4bbb-8ccc-000000000001', 'claude-code', 10.0000002, 42), session('rollout-2025-06-10', 'codex-cli', 2.5, 7)],
  byTierTokens: {
    sonnet: { input: 1_000, output: 2_000, cache_write: 0, cache_read: 50_000 },
    opus: { input: 10, output: 20_000, cache_write: 3_000, cache_read: 1_234_567 },
  },
  budget: { period: 'month', scope: 'namespace', budget_usd: 100, spent_usd: 12.5000002, utilization: 0.125000002, level: 'ok', setAt: '2025-06-01T00:00:00.000Z' },
});

const EXPECTED = `# HELP cost_tracker_total_usd Total cost in US dollars of the exported namespace.
# TYPE cost_tracker_total_usd gauge
cost_tracker_total_usd 12.5000002
# HELP cost_tracker_tier_total_usd Cost in US dollars by model tier.
# TYPE cost_tracker_tier_total_usd gauge
cost_tracker_tier_total_usd{tier="opus"} 10.0000002
cost_tracker_tier_total_usd{tier="sonnet"} 2.5
# HELP cost_tracker_session_total_usd Cost in US dollars of each exported session (the most recent ones).
# TYPE cost_tracker_session_total_usd gauge
cost_tracker_session_total_usd{session="9f1c2d3e-aaaa-4bbb-8ccc-000000000001"} 10.0000002
cost_tracker_session_total_usd{session="rollout-2025-06-10"} 2.5
# HELP cost_tracker_session_messages Messages in each exported session.
# TYPE cost_tracker_session_messages gauge
cost_tracker_session_messages{session="9f1c2d3e-aaaa-4bbb-8ccc-000000000001"} 42
cost_tracker_session_messages{session="rollout-2025-06-10"} 7
# HELP cost_tracker_tokens_total Tokens by model tier and class (input, output, cache_write, cache_read).
# TYPE cost_tracker_tokens_total counter
cost_tracker_tokens_total{tier="opus",type="input"} 10
cost_tracker_tokens_total{tier="opus",type="output"} 20000
cost_tracker_tokens_total{tier="opus",type="cache_write"} 3000
cost_tracker_tokens_total{tier="opus",type="cache_read"} 1234567
cost_tracker_tokens_total{tier="sonnet",type="input"} 1000
cost_tracker_tokens_total{tier="sonnet",type="output"} 2000
cost_tracker_tokens_total{tier="sonnet",type="cache_write"} 0
cost_tracker_tokens_total{tier="sonnet",type="cache_read"} 50000
# HELP cost_tracker_budget_usd The budget in US dollars.
# TYPE cost_tracker_budget_usd gauge
cost_tracker_budget_usd 100
# HELP cost_tracker_budget_utilization Share of the budget spent, as a fraction (1 is the whole budget).
# TYPE cost_tracker_budget_utilization gauge
cost_tracker_budget_utilization 0.125000002
`;

/** Parsed back by an independent parser, as `{family: [[labels, value]]}`. */
function readBack(text: string): Map<string, Array<[Record<string, string>, number]>> {
  const families: ParsedFamily[] = parsePrometheusTextFormat(text);
  const byName = new Map<string, Array<[Record<string, string>, number]>>();
  for (const family of families) {
    expect(byName.has(family.name), `${family.name} appears once`).toBe(false);
    expect(family.type).toBe(family.name === 'cost_tracker_tokens_total' ? 'COUNTER' : 'GAUGE');
    expect(family.help).not.toBe('');
    for (const sample of family.metrics) expect(sample.timestamp_ms).toBeUndefined();
    byName.set(
      family.name,
      family.metrics.map((m) => [m.labels ?? {}, sampleValue(m.value)]),
    );
  }
  return byName;
}

/** Go's ParseFloat, as far as our output goes: JS's `Number` does not read `+Inf`. */
function sampleValue(text: string): number {
  const special: Record<string, number> = { '+Inf': Infinity, '-Inf': -Infinity, NaN: Number.NaN };
  return special[text] ?? Number(text);
}

describe('prometheusText', () => {
  it('renders the whole document, families in order, tiers by name', () => {
    expect(prometheusText(DOC)).toBe(EXPECTED);
  });

  it('reads back through a Prometheus parser to the same values and labels', () => {
    const parsed = readBack(prometheusText(DOC));
    expect([...parsed.keys()]).toEqual([
      'cost_tracker_total_usd',
      'cost_tracker_tier_total_usd',
      'cost_tracker_session_total_usd',
      'cost_tracker_session_messages',
      'cost_tracker_tokens_total',
      'cost_tracker_budget_usd',
      'cost_tracker_budget_utilization',
    ]);
    expect(parsed.get('cost_tracker_total_usd')).toEqual([[{}, DOC.totalUsd]]);
    expect(parsed.get('cost_tracker_tier_total_usd')).toEqual([
      [{ tier: 'opus' }, DOC.byTier.opus],
      [{ tier: 'sonnet' }, DOC.byTier.sonnet],
    ]);
    expect(parsed.get('cost_tracker_session_total_usd')).toEqual(DOC.sessions.map((s) => [{ session: s.sessionId }, s.total_cost_usd]));
    expect(parsed.get('cost_tracker_session_messages')).toEqual(DOC.sessions.map((s) => [{ session: s.sessionId }, s.messageCount]));
    const tokens = parsed.get('cost_tracker_tokens_total') ?? [];
    expect(tokens).toHaveLength(8);
    for (const [labels, value] of tokens) {
      const tier = DOC.byTierTokens[labels.tier ?? ''];
      expect(value).toBe(tier?.[labels.type as keyof typeof tier]);
    }
    expect(parsed.get('cost_tracker_budget_usd')).toEqual([[{}, 100]]);
    expect(parsed.get('cost_tracker_budget_utilization')).toEqual([[{}, 0.125000002]]);
  });

  it('escapes backslash, double quote and newline in label values', () => {
    const nasty = ['say "hi"', 'C:\\Users\\dev', 'two\nlines', '\\n is not a newline', 'tab\there'];
    const doc = document({
      sessions: nasty.map((id, i) => session(id, 'claude-code', i, i)),
      byTier: { 'tier "x"\\y\nz': 1 },
    });
    const text = prometheusText(doc);
    expect(text).toContain('cost_tracker_session_total_usd{session="say \\"hi\\""} 0\n');
    expect(text).toContain('cost_tracker_session_total_usd{session="C:\\\\Users\\\\dev"} 1\n');
    expect(text).toContain('cost_tracker_session_total_usd{session="two\\nlines"} 2\n');
    expect(text).toContain('cost_tracker_session_total_usd{session="\\\\n is not a newline"} 3\n');
    expect(text).toContain('cost_tracker_tier_total_usd{tier="tier \\"x\\"\\\\y\\nz"} 1\n');
    // Every line is a comment or one whole sample: no raw newline leaked out of a value.
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{.*\})? \S+)$/);

    const parsed = readBack(text);
    expect(parsed.get('cost_tracker_session_total_usd')?.map(([labels]) => labels.session)).toEqual(nasty);
    expect(parsed.get('cost_tracker_tier_total_usd')).toEqual([[{ tier: 'tier "x"\\y\nz' }, 1]]);
  });

  it('keeps ids that share a prefix as distinct series', () => {
    const doc = document({ sessions: [session('9f1c2d3e-0001', 'claude-code', 1, 1), session('9f1c2d3e-0002', 'claude-code', 2, 2)] });
    const series = readBack(prometheusText(doc)).get('cost_tracker_session_total_usd');
    expect(series).toEqual([
      [{ session: '9f1c2d3e-0001' }, 1],
      [{ session: '9f1c2d3e-0002' }, 2],
    ]);
  });

  it('names a session by agent when two agents share its id, and numbers exact repeats', () => {
    const sessions = [session('abc', 'claude-code', 1, 1), session('abc', 'codex-cli', 2, 2), session('abc', 'codex-cli', 3, 3), session('other', 'gemini-cli', 4, 4)];
    expect(labelledSessions(sessions).map((s) => s.label)).toEqual(['claude-code/abc', 'codex-cli/abc', 'codex-cli/abc#2', 'other']);
    const series = readBack(prometheusText(document({ sessions }))).get('cost_tracker_session_messages');
    expect(series?.map(([labels]) => labels.session)).toEqual(['claude-code/abc', 'codex-cli/abc', 'codex-cli/abc#2', 'other']);
  });

  it('never hands out a label that an id already holds', () => {
    const sessions = [session('a/x', 'b', 1, 1), session('x', 'a', 2, 2), session('x', 'a', 3, 3)];
    const labels = labelledSessions(sessions).map((s) => s.label);
    expect(labels).toEqual(['a/x', 'a/x#2', 'a/x#3']);
  });

  it('declares the token family a counter, as its _total name says, and every other family a gauge', () => {
    const types = prometheusText(DOC)
      .split('\n')
      .filter((line) => line.startsWith('# TYPE '));
    expect(types).toEqual([
      '# TYPE cost_tracker_total_usd gauge',
      '# TYPE cost_tracker_tier_total_usd gauge',
      '# TYPE cost_tracker_session_total_usd gauge',
      '# TYPE cost_tracker_session_messages gauge',
      '# TYPE cost_tracker_tokens_total counter',
      '# TYPE cost_tracker_budget_usd gauge',
      '# TYPE cost_tracker_budget_utilization gauge',
    ]);
  });

  // promtool ships with Prometheus (Debian: the prometheus package); without it there is nothing to run.
  const promtool = spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!promtool)(`passes promtool check metrics${promtool ? '' : ' (skipped: promtool is not installed)'}`, () => {
    const result = spawnSync('promtool', ['check', 'metrics'], { input: prometheusText(DOC), encoding: 'utf8' });
    expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
  });

  it('writes a valid file with only the total for an empty document', () => {
    const text = prometheusText(document({}));
    expect(text).toBe('# HELP cost_tracker_total_usd Total cost in US dollars of the exported namespace.\n# TYPE cost_tracker_total_usd gauge\ncost_tracker_total_usd 0\n');
    expect([...readBack(text)]).toEqual([['cost_tracker_total_usd', [[{}, 0]]]]);
  });

  it('spells the special numbers as the format does, and plain numbers so they round-trip', () => {
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('+Inf');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(-0)).toBe('0');
    for (const value of [0, 1, 0.1 + 0.2, 1234567.891, 1e-7, 123456789012, 0.000001]) expect(Number(formatValue(value))).toBe(value);
    // An empty budget is infinitely used; the parser must still read the file.
    const doc = document({ budget: { period: 'day', scope: 'namespace', budget_usd: 0, spent_usd: 1, utilization: Infinity, level: 'exceeded', setAt: '2025-06-01T00:00:00.000Z' } });
    expect(readBack(prometheusText(doc)).get('cost_tracker_budget_utilization')).toEqual([[{}, Infinity]]);
  });
});
