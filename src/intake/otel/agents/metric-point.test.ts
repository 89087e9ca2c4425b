import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageEvent } from '../../../core/usage-event.js';
import { FixtureLedger, fixture } from '../../../testing/fixture-ledger.js';
import { metricPointsOf } from '../../../testing/otlp-json.js';
import { recordOtel } from '../../../testing/otel-usage.js';
import type { RecordOutcome } from '../otel-agent.js';
import type { OtlpMetricPoint } from '../otlp-record.js';
import { claudeCodeOtel } from './claude-code.js';
import { codexCliOtel } from './codex-cli.js';
import { geminiCliOtel } from './gemini-cli.js';
import { agentOfPoint } from './index.js';
import { tokenledgerOtel } from './tokenledger.js';

const CLAUDE = fixture(import.meta.url, 'claude-code-metrics.json');
const GEMINI = fixture(import.meta.url, 'gemini-cli-metrics.json');
const MINUTE_NS = 60_000_000_000n;

const outcomes = (text: string): RecordOutcome[] =>
  metricPointsOf(text).map((p) => {
    const agent = agentOfPoint(p);
    return agent?.fromPoint?.(p) ?? { kind: 'rejected', reason: 'no agent' };
  });
const usage = (list: readonly RecordOutcome[]): UsageEvent[] => list.flatMap((o) => (o.kind === 'usage' ? [o.event] : []));
const eventOf = (outcome: RecordOutcome | undefined): UsageEvent => {
  if (outcome?.kind !== 'usage') throw new Error(`not usage: ${JSON.stringify(outcome)}`);
  return outcome.event;
};
/** The Claude Code fixture's `input` point, changed by `change`. */
const inputPoint = (change: (p: OtlpMetricPoint) => void = () => {}): OtlpMetricPoint => {
  const point = metricPointsOf(CLAUDE)[0] as OtlpMetricPoint;
  change(point);
  return point;
};

describe('token metrics as usage (metrics ingestion)', () => {
  it('reads Claude Code token.usage points, one bucket each, and leaves cost and other metrics out', () => {
    const list = outcomes(CLAUDE);
    expect(list.map((o) => o.kind)).toEqual(['usage', 'usage', 'usage', 'usage', 'ignored', 'ignored']);
    const events = usage(list);
    expect(events.map((e) => [e.inputTokens, e.outputTokens, e.cacheReadTokens, e.cacheWrite5mTokens])).toEqual([
      [3, 0, 0, 0],
      [0, 159, 0, 0],
      [0, 0, 20_000, 0],
      [0, 0, 0, 1000],
    ]);
    expect(events[0]).toMatchObject({
      agent: 'claude-code',
      provider: 'anthropic',
      model: 'claude-sonnet-4-5-20250929',
      sessionId: 'sess-1',
      occurredAt: Date.parse('2025-10-01T10:01:00.000Z'),
      recordedBy: { user: 'dev@example.com', machine: 'otlp' },
    });
    // Delta (Claude Code's default): keyed by the series, its start and its time; each series its own key.
    const point = metricPointsOf(CLAUDE)[0] as OtlpMetricPoint;
    for (const e of events) expect(e.dedupKey).toMatch(new RegExp(`^otel-metric:[0-9a-f]{32}:${point.startTimeUnixNano}:${point.timeUnixNano}$`));
    expect(new Set(events.map((e) => e.dedupKey)).size).toBe(4);
    // Redelivered: the same keys.
    expect(usage(outcomes(CLAUDE)).map((e) => e.dedupKey)).toEqual(events.map((e) => e.dedupKey));
  });

  it('reads Gemini CLI cumulative points: a key per series and start, thoughts as output and reasoning, cache points left out', () => {
    const list = outcomes(GEMINI);
    // input, output, cache (left out), thought (0: nothing), tool; then a request counter.
    expect(list.map((o) => o.kind)).toEqual(['usage', 'usage', 'ignored', 'ignored', 'usage', 'ignored']);
    const [input, output, tool] = usage(list);
    expect([input?.inputTokens, output?.outputTokens, tool?.inputTokens]).toEqual([12_000, 90, 12]);
    const point = metricPointsOf(GEMINI)[0] as OtlpMetricPoint;
    expect(input?.dedupKey).toMatch(new RegExp(`^otel-metric:[0-9a-f]{32}:${point.startTimeUnixNano}$`));
    const thought = metricPointsOf(GEMINI)[3] as OtlpMetricPoint;
    thought.value = 300;
    expect(eventOf(geminiCliOtel.fromPoint?.(thought))).toMatchObject({ outputTokens: 300, reasoningTokens: 300, inputTokens: 0 });
  });

  it('rejects points it cannot read, naming why', () => {
    const reason = (change: (p: OtlpMetricPoint) => void): string => {
      const outcome = claudeCodeOtel.fromPoint?.(inputPoint(change));
      return outcome?.kind === 'rejected' ? outcome.reason : `not rejected: ${outcome?.kind}`;
    };
    expect(reason((p) => (p.value = -3))).toBe('claude_code.token.usage: the value must be a whole number of tokens from 0 to 10^9 (got -3)');
    expect(reason((p) => (p.value = 2.5))).toContain('must be a whole number');
    expect(reason((p) => (p.metric = { ...p.metric, kind: 'gauge' }))).toBe('claude_code.token.usage: must be a monotonic sum (a counter)');
    expect(reason((p) => (p.metric = { ...p.metric, temporality: 'unspecified' }))).toContain('has no aggregation temporality');
    expect(reason((p) => delete p.attributes.model)).toBe('claude_code.token.usage: model is missing');
    expect(reason((p) => delete p.attributes.type)).toBe('claude_code.token.usage: the type attribute is missing');
    expect(reason((p) => (p.timeUnixNano = 0n))).toBe('claude_code.token.usage: the point has no time (time_unix_nano)');
  });

  it('reads tokenledger export points back under the agent, provider and user they name', () => {
    const point = inputPoint((p) => {
      p.metric = { name: 'tokenledger.usage.tokens', unit: '{token}', kind: 'sum', temporality: 'delta', monotonic: true };
      p.attributes = {
        'tokenledger.token.type': 'cache_write_1h',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-opus-4-6',
        'tokenledger.agent': 'claude-code',
        'user.name': 'ana',
      };
      p.value = 2000;
    });
    expect(agentOfPoint(point)).toBe(tokenledgerOtel);
    expect(eventOf(tokenledgerOtel.fromPoint?.(point))).toMatchObject({
      agent: 'claude-code',
      provider: 'anthropic',
      model: 'claude-opus-4-6',
      cacheWrite1hTokens: 2000,
      sessionId: 'otel-metrics',
      recordedBy: { user: 'ana', machine: 'otlp' },
    });
    point.attributes['tokenledger.token.type'] = 'reasoning';
    expect(tokenledgerOtel.fromPoint?.(point)).toEqual({ kind: 'ignored' });
    point.attributes['tokenledger.token.type'] = 'input';
    delete point.attributes['tokenledger.agent'];
    expect(tokenledgerOtel.fromPoint?.(point)).toEqual({ kind: 'rejected', reason: 'tokenledger.usage.tokens: tokenledger.agent is missing' });
    point.metric = { ...point.metric, name: 'tokenledger.usage.cost' };
    expect(tokenledgerOtel.fromPoint?.(point)).toEqual({ kind: 'ignored' });
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

    it('keeps the latest total of a cumulative series in place, whatever order its points arrive in', async () => {
      const at = (minutes: bigint, value: number) =>
        eventOf(
          claudeCodeOtel.fromPoint?.(
            inputPoint((p) => {
              p.metric = { ...p.metric, temporality: 'cumulative' };
              p.timeUnixNano = p.startTimeUnixNano + minutes * MINUTE_NS;
              p.value = value;
            }),
          ),
        );
      await recordOtel(ledger, [at(1n, 3)]);
      await recordOtel(ledger, [at(2n, 10)]);
      await recordOtel(ledger, [at(1n, 3)]); // the first point again: a redelivery
      await recordOtel(ledger, [at(2n, 10)]);
      const events = await ledger.events();
      expect(events.map((e) => [e.inputTokens, e.occurredAt])).toEqual([[10, Date.parse('2025-10-01T10:02:00.000Z')]]);
      await ledger.assertSumsExact();
    });

    it('starts a new event when the series restarts (a new start time)', async () => {
      const cumulative = (p: OtlpMetricPoint) => (p.metric = { ...p.metric, temporality: 'cumulative' });
      const first = eventOf(claudeCodeOtel.fromPoint?.(inputPoint(cumulative)));
      const restarted = eventOf(
        claudeCodeOtel.fromPoint?.(
          inputPoint((p) => {
            cumulative(p);
            p.startTimeUnixNano += 5n * MINUTE_NS;
            p.timeUnixNano += 5n * MINUTE_NS;
            p.value = 2;
          }),
        ),
      );
      expect(restarted.dedupKey).not.toBe(first.dedupKey);
      await recordOtel(ledger, [first, restarted]);
      expect((await ledger.events()).map((e) => e.inputTokens).sort()).toEqual([2, 3]);
    });

    it('counts every delta point once, however often it is delivered', async () => {
      const events = usage(outcomes(CLAUDE));
      await recordOtel(ledger, events);
      await recordOtel(ledger, events);
      const stored = await ledger.events();
      expect(stored.reduce((sum, e) => sum + e.inputTokens + e.outputTokens + e.cacheReadTokens + e.cacheWrite5mTokens, 0)).toBe(3 + 159 + 20_000 + 1000);
      expect(stored).toHaveLength(4);
      // A later delta point of the same series is another event.
      const later = inputPoint((p) => {
        p.startTimeUnixNano = p.timeUnixNano;
        p.timeUnixNano += MINUTE_NS;
        p.value = 7;
      });
      await recordOtel(ledger, [eventOf(claudeCodeOtel.fromPoint?.(later))]);
      expect(await ledger.events()).toHaveLength(5);
    });
  });
});
