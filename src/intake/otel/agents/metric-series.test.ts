import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageEvent } from '../../../core/usage-event.js';
import { FixtureLedger, fixture } from '../../../testing/fixture-ledger.js';
import { metricPointsOf } from '../../../testing/otlp-json.js';
import { recordOtel } from '../../../testing/otel-usage.js';
import type { OtelAgent, RecordOutcome } from '../otel-agent.js';
import type { OtlpMetricPoint } from '../otlp-record.js';
import { codexCliOtel } from './codex-cli.js';
import { agentOfPoint } from './index.js';
import { tokenledgerOtel } from './tokenledger.js';

const CLAUDE = fixture(import.meta.url, 'claude-code-metrics.json');
const GEMINI = fixture(import.meta.url, 'gemini-cli-metrics.json');
const MINUTE_NS = 60_000_000_000n;

/** What the intake makes of `points`: each point's outcome when not read, then one outcome per window, in order. */
function windows(points: readonly OtlpMetricPoint[]): { skipped: RecordOutcome[]; events: RecordOutcome[] } {
  const skipped: RecordOutcome[] = [];
  const grouped = new Map<string, { agent: OtelAgent; points: OtlpMetricPoint[] }>();
  for (const p of points) {
    const agent = agentOfPoint(p);
    const series = agent?.seriesOf?.(p) ?? { kind: 'rejected' as const, reason: 'no agent' };
    if (agent === undefined || series.kind !== 'series') skipped.push(series.kind === 'series' ? { kind: 'ignored' } : series);
    else {
      const key = `${agent.agent} ${series.series}`;
      const held = grouped.get(key);
      if (held === undefined) grouped.set(key, { agent, points: [p] });
      else held.points.push(p);
    }
  }
  return { skipped, events: [...grouped.values()].map((w) => w.agent.fromSeries?.(w.points) ?? { kind: 'ignored' }) };
}
const eventOf = (outcome: RecordOutcome | undefined): UsageEvent => {
  if (outcome?.kind !== 'usage') throw new Error(`not usage: ${JSON.stringify(outcome)}`);
  return outcome.event;
};
/** The one event of `points` (they must make one window). */
const oneEvent = (points: readonly OtlpMetricPoint[]): UsageEvent => {
  const { events } = windows(points);
  expect(events).toHaveLength(1);
  return eventOf(events[0]);
};
/** The Claude Code fixture's points (4 token types, the cost, a session count), each changed by `change`. */
const claude = (change: (p: OtlpMetricPoint) => void = () => {}): OtlpMetricPoint[] => {
  const points = metricPointsOf(CLAUDE);
  for (const p of points) change(p);
  return points;
};
const cumulative = (p: OtlpMetricPoint) => (p.metric = { ...p.metric, temporality: 'cumulative' });

describe('token and cost metrics as usage, one event per window (metrics ingestion)', () => {
  it('reads a Claude Code window: token.usage by type and cost.usage become one event with the reported cost', () => {
    const { skipped, events } = windows(claude());
    expect(skipped).toEqual([{ kind: 'ignored' }]); // claude_code.session.count
    expect(events).toHaveLength(1);
    const event = eventOf(events[0]);
    expect(event).toMatchObject({
      agent: 'claude-code',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5-20250929',
      sessionId: 'sess-1',
      occurredAt: Date.parse('2025-10-01T10:01:00.000Z'),
      inputTokens: 3,
      outputTokens: 159,
      cacheReadTokens: 20_000,
      cacheWrite5mTokens: 1000,
      reasoningTokens: 0,
      reportedCostNanos: 12_144_000,
      recordedBy: { user: 'dev@example.com', machine: 'otlp' },
    });
    // Delta (Claude Code's default): keyed by the series without its type, its start and its time.
    const point = claude()[0] as OtlpMetricPoint;
    expect(event.dedupKey).toMatch(new RegExp(`^otel-metric:[0-9a-f]{32}:${point.startTimeUnixNano}:${point.timeUnixNano}$`));
    // Redelivered, or its points in another order: the same event.
    expect(eventOf(windows(claude().reverse()).events[0])).toEqual(event);
  });

  it('keeps the windows of two models, and two collections, apart', () => {
    const other = claude((p) => {
      if (p.attributes.model !== undefined) p.attributes.model = 'claude-opus-4-1';
    });
    const later = claude((p) => {
      p.startTimeUnixNano = p.timeUnixNano;
      p.timeUnixNano += MINUTE_NS;
    });
    const events = windows([...claude(), ...other, ...later]).events.map(eventOf);
    expect(events.map((e) => [e.model, e.inputTokens, e.reportedCostNanos])).toEqual([
      ['claude-sonnet-4-5-20250929', 3, 12_144_000],
      ['claude-opus-4-1', 3, 12_144_000],
      ['claude-sonnet-4-5-20250929', 3, 12_144_000],
    ]);
    expect(new Set(events.map((e) => e.dedupKey)).size).toBe(3);
  });

  it('reads a Gemini CLI cumulative window as its api_response event: cached input out of input, tool as input, thoughts as output and reasoning', () => {
    const points = metricPointsOf(GEMINI);
    const thought = points.find((p) => p.attributes.type === 'thought') as OtlpMetricPoint;
    thought.value = 300;
    const { skipped, events } = windows(points);
    expect(skipped).toEqual([{ kind: 'ignored' }]); // gemini_cli.api.request.count
    const event = eventOf(events[0]);
    // input 12,000 of which 8,000 cached, tool 12, output 90 + thought 300.
    expect(event).toMatchObject({ agent: 'gemini-cli', provider: 'google', model: 'gemini-2.5-pro', inputTokens: 4012, cacheReadTokens: 8000, outputTokens: 390, reasoningTokens: 300 });
    expect(event.reportedCostNanos).toBeUndefined();
    const point = points[0] as OtlpMetricPoint;
    expect(event.dedupKey).toMatch(new RegExp(`^otel-metric:[0-9a-f]{32}:${point.startTimeUnixNano}$`));
  });

  it('rejects a point, or a window, it cannot read, naming why', () => {
    const reason = (change: (p: OtlpMetricPoint) => void): string => {
      const { skipped, events } = windows(claude(change).slice(0, 5));
      const outcome = [...skipped, ...events].find((o) => o.kind !== 'ignored');
      return outcome?.kind === 'rejected' ? outcome.reason : `not rejected: ${outcome?.kind}`;
    };
    const input = (change: (p: OtlpMetricPoint) => void) => (p: OtlpMetricPoint) => (p.attributes.type === 'input' ? change(p) : undefined);
    expect(reason(input((p) => (p.value = -3)))).toBe('claude_code.token.usage: the value must be a whole number of tokens from 0 to 10^9 (got -3)');
    expect(reason(input((p) => (p.value = 2.5)))).toContain('must be a whole number');
    expect(reason(input((p) => (p.metric = { ...p.metric, kind: 'gauge' })))).toBe('claude_code.token.usage: must be a monotonic sum (a counter)');
    expect(reason(input((p) => (p.metric = { ...p.metric, temporality: 'unspecified' })))).toContain('has no aggregation temporality');
    expect(reason((p) => delete p.attributes.model)).toBe('claude_code.token.usage: model is missing');
    expect(reason(input((p) => delete p.attributes.type))).toBe('claude_code.token.usage: the type attribute is missing');
    expect(reason((p) => (p.timeUnixNano = 0n))).toBe('claude_code.token.usage: the point has no time (time_unix_nano)');
    expect(reason((p) => (p.metric.name === 'claude_code.cost.usage' ? (p.value = -0.5) : undefined))).toBe('claude_code.cost.usage: the value must be an amount of US dollars from 0 (got -0.5)');
  });

  it('reads tokenledger export windows back under the agent, the ledger provider id and the user they name, with reasoning and cost', () => {
    const base = claude()[0] as OtlpMetricPoint;
    const attributes = { 'gen_ai.provider.name': 'gcp.gemini', 'gen_ai.request.model': 'gemini-2.5-pro', 'tokenledger.agent': 'gemini-cli', 'user.name': 'ana' };
    const tokens = (type: string, value: number): OtlpMetricPoint => ({
      ...base,
      metric: { name: 'tokenledger.usage.tokens', unit: '{token}', kind: 'sum', temporality: 'delta', monotonic: true },
      attributes: { ...attributes, 'tokenledger.token.type': type },
      value,
    });
    const cost: OtlpMetricPoint = {
      ...base,
      metric: { name: 'tokenledger.usage.cost', unit: 'USD', kind: 'sum', temporality: 'delta', monotonic: true },
      attributes: { ...attributes },
      value: 1_250_000_123 / 1e9,
    };
    const requests: OtlpMetricPoint = { ...cost, metric: { ...cost.metric, name: 'tokenledger.usage.requests' }, value: 2 };
    const points = [tokens('input', 100), tokens('output', 200), tokens('reasoning', 50), tokens('cache_read', 4000), tokens('cache_write_1h', 7), cost, requests];
    expect(points.every((p) => agentOfPoint(p) === tokenledgerOtel)).toBe(true);
    expect(oneEvent(points)).toMatchObject({
      agent: 'gemini-cli',
      provider: 'google',
      model: 'gemini-2.5-pro',
      inputTokens: 100,
      outputTokens: 200,
      reasoningTokens: 50,
      cacheReadTokens: 4000,
      cacheWrite1hTokens: 7,
      reportedCostNanos: 1_250_000_123,
      sessionId: 'otel-metrics',
      recordedBy: { user: 'ana', machine: 'otlp' },
    });
    const rejected = (change: (p: OtlpMetricPoint) => void) =>
      windows(
        points.map((p) => {
          const copy = { ...p, attributes: { ...p.attributes } };
          change(copy);
          return copy;
        }),
      ).events[0];
    expect(rejected((p) => (p.attributes['tokenledger.agent'] = 'claude code\u001b[2J'))).toEqual({
      kind: 'rejected',
      reason: 'tokenledger.usage.tokens: tokenledger.agent must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    });
    expect(rejected((p) => delete p.attributes['tokenledger.agent'])).toEqual({ kind: 'rejected', reason: 'tokenledger.usage.tokens: tokenledger.agent is missing' });
    expect(rejected((p) => (p.attributes['tokenledger.token.type'] === 'reasoning' ? (p.value = 201) : undefined))).toEqual({
      kind: 'rejected',
      reason: 'tokenledger.usage.tokens: reasoning (201) must not exceed output (200): output includes reasoning',
    });
    // A cost alone bills no tokens: nothing to record.
    expect(windows([cost]).events).toEqual([{ kind: 'ignored' }]);
  });

  it('leaves Codex metrics unread: Codex exports no token counters', () => {
    expect(codexCliOtel.ownsPoint).toBeUndefined();
  });

  describe('in a ledger', () => {
    let ledger: FixtureLedger;
    beforeEach(() => {
      ledger = new FixtureLedger();
    });
    afterEach(() => ledger.remove());
    /** The stored events as the ledger's contract gives them (with the cost their exporter reported). */
    const stored = () => ledger.read(async (handle) => (await handle.changes(0, 100)).events);

    /** The Claude Code window as a cumulative series `minutes` after its start, its counts times `scale`. */
    const at = (minutes: bigint, scale: number, startShift = 0n): UsageEvent =>
      oneEvent(
        claude((p) => {
          cumulative(p);
          p.startTimeUnixNano += startShift;
          p.timeUnixNano = p.startTimeUnixNano + minutes * MINUTE_NS;
          p.value *= scale;
        }).slice(0, 5),
      );

    it('keeps the latest totals of a cumulative series in place (tokens and cost), whatever order its windows arrive in', async () => {
      await recordOtel(ledger, [at(1n, 1)]);
      await recordOtel(ledger, [at(2n, 3)]);
      await recordOtel(ledger, [at(1n, 1)]); // the first window again: a redelivery
      await recordOtel(ledger, [at(2n, 3)]);
      const events = await stored();
      expect(events.map((e) => [e.inputTokens, e.outputTokens, e.cacheReadTokens, e.cacheWrite5mTokens, e.reportedCostNanos, e.occurredAt])).toEqual([
        [9, 477, 60_000, 3000, 36_432_000, Date.parse('2025-10-01T10:02:00.000Z')],
      ]);
      await ledger.assertSumsExact();
    });

    it('keeps one key while a type first sent later starts its series later (as the OpenTelemetry SDK starts each attribute set)', async () => {
      const first = oneEvent(
        claude((p) => {
          cumulative(p);
          p.timeUnixNano = p.startTimeUnixNano + MINUTE_NS;
          if (p.attributes.type === 'cacheCreation') p.value = 0; // not recorded yet
          if (p.metric.name === 'claude_code.cost.usage') p.startTimeUnixNano += 1_000_000n; // a millisecond later
        }).slice(0, 5),
      );
      const later = oneEvent(
        claude((p) => {
          cumulative(p);
          p.timeUnixNano = p.startTimeUnixNano + 2n * MINUTE_NS;
          if (p.attributes.type === 'cacheCreation') p.startTimeUnixNano += MINUTE_NS + 30_000_000_000n; // first recorded in the second minute
          p.value *= 2;
        }).slice(0, 5),
      );
      expect(later.dedupKey).toBe(first.dedupKey);
      expect([first.cacheWrite5mTokens, later.cacheWrite5mTokens]).toEqual([0, 2000]);
      await recordOtel(ledger, [first]);
      await recordOtel(ledger, [later]);
      expect((await stored()).map((e) => [e.inputTokens, e.cacheWrite5mTokens, e.reportedCostNanos])).toEqual([[6, 2000, 24_288_000]]);
    });

    it('starts a new event when the series restarts (a new start time)', async () => {
      const first = at(1n, 1);
      const restarted = at(1n, 2, 5n * MINUTE_NS);
      expect(restarted.dedupKey).not.toBe(first.dedupKey);
      await recordOtel(ledger, [first, restarted]);
      expect((await ledger.events()).map((e) => e.inputTokens).sort()).toEqual([3, 6]);
    });

    it('counts every delta window once, however often it is delivered', async () => {
      const events = windows(claude()).events.map(eventOf);
      await recordOtel(ledger, events);
      await recordOtel(ledger, events);
      expect((await stored()).map((e) => [e.inputTokens + e.outputTokens + e.cacheReadTokens + e.cacheWrite5mTokens, e.reportedCostNanos])).toEqual([[3 + 159 + 20_000 + 1000, 12_144_000]]);
      // A later delta window of the same series is another event.
      const later = windows(
        claude((p) => {
          p.startTimeUnixNano = p.timeUnixNano;
          p.timeUnixNano += MINUTE_NS;
        }),
      ).events.map(eventOf);
      await recordOtel(ledger, later);
      expect(await ledger.events()).toHaveLength(2);
    });
  });
});
