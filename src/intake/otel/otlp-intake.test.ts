import { describe, expect, it } from 'vitest';
import { PriceOverrides } from '../../pricing/overrides.js';
import { Pricer } from '../../pricing/pricer.js';
import { fixtureEachTest } from '../../testing/fixture-ledger.js';
import type { OtelAgent, RecordOutcome } from './otel-agent.js';
import { type OtlpIntake, takeLogs, takeMetrics } from './otlp-intake.js';
import type { Attributes, OtlpLogRecord, OtlpMetricPoint } from './otlp-record.js';

const current = fixtureEachTest();
const T0 = 1_765_000_000_000;

/**
 * An agent of the test's own (the registry's agents have their own tests): its scope names it,
 * `test.request` records are usage (rejected without a model), everything else of it is ignored;
 * its `test.tokens` metric points are usage too, one event per `seq` (a window), their values summed.
 */
const testAgent: OtelAgent = {
  agent: 'test-agent',
  label: 'Test agent',
  ownsRecord: (r) => r.scope.name === 'test-agent',
  fromRecord: (r) => usage(r.eventName, r.attributes),
  ownsPoint: (p) => p.scope.name === 'test-agent',
  seriesOf: (p) => (p.metric.name === 'test.tokens' ? { kind: 'series', series: String(p.attributes.seq) } : { kind: 'ignored' }),
  fromSeries: (points) => usage('test.request', { ...points[0]?.attributes, input: points.reduce((sum, p) => sum + p.value, 0) }),
};

function usage(name: string, a: Attributes): RecordOutcome {
  if (name !== 'test.request') return { kind: 'ignored' };
  if (typeof a.model !== 'string') return { kind: 'rejected', reason: 'no model' };
  const tokens = { inputTokens: Number(a.input), outputTokens: 10, reasoningTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 };
  return {
    kind: 'usage',
    event: { agent: 'test-agent', provider: 'anthropic', model: a.model, sessionId: 's1', project: '', occurredAt: T0 + Number(a.seq), dedupKey: `test:s1:${String(a.seq)}`, ...tokens },
  };
}

const record = (eventName: string, attributes: Attributes, scope = 'test-agent', service = 'test'): OtlpLogRecord => ({
  resource: { 'service.name': service },
  scope: { name: scope, version: '1' },
  timeUnixNano: BigInt(T0) * 1_000_000n,
  observedTimeUnixNano: 0n,
  eventName,
  severityText: '',
  body: null,
  attributes,
});

const point = (name: string, value: number, seq: number): OtlpMetricPoint => ({
  resource: { 'service.name': 'test' },
  scope: { name: 'test-agent', version: '1' },
  metric: { name, unit: '{token}', kind: 'sum', temporality: 'delta', monotonic: true },
  attributes: { model: 'claude-sonnet-4-5', seq },
  startTimeUnixNano: 0n,
  timeUnixNano: BigInt(T0) * 1_000_000n,
  value,
});

const intake = (metricsAgents: string[] = []): OtlpIntake => ({
  target: { ledger: current.ledger, pricer: new Pricer(new PriceOverrides({})), namespace: 'cost-tracking', checks: [] },
  agents: [testAgent],
  metricsAgents: new Set(metricsAgents),
});

describe('takeLogs', () => {
  it('records usage, ignores the agent’s other records, drops rejected ones with their reason and keeps unknown agents out', async () => {
    const records = [
      record('test.request', { model: 'claude-sonnet-4-5', input: 100, seq: 1 }),
      record('test.request', { model: 'claude-sonnet-4-5', input: 200, seq: 2 }),
      record('test.prompt', { seq: 3 }),
      record('test.request', { seq: 4, 'event.sequence': 4 }),
      record('other.request', {}, 'other-scope', 'foo'),
      record('other.request', {}, 'other-scope', 'foo'),
      record('x', {}, '', ''),
    ];
    const result = await takeLogs(intake(), { records });
    expect(result).toMatchObject({ usage: 2, inserted: 2, ignored: 1, rejected: 1, unknown: 3 });
    expect(result.partial).toEqual({
      rejected: 4,
      message: '1 record rejected (test-agent: no model); 3 records of an agent tokenledger does not read (service.name=foo: 2, no service.name: 1)',
    });
    expect(result.drops).toEqual([{ path: 'otlp:test-agent', line: 0, reason: 'record at 2025-12-06T05:46:40.000Z (event.sequence 4): no model' }]);
    const events = await current.fixture.events();
    expect(events.map((e) => [e.dedupKey, e.inputTokens])).toEqual([
      ['test:s1:1', 100],
      ['test:s1:2', 200],
    ]);
    expect((await current.ledger.drops(10)).map((d) => [d.path, d.reason])).toEqual([['otlp:test-agent', result.drops[0]?.reason]]);
  });

  it('changes nothing when the same request is taken twice', async () => {
    const records = [record('test.request', { model: 'claude-sonnet-4-5', input: 100, seq: 1 }), record('test.request', { seq: 2 })];
    await takeLogs(intake(), { records });
    const again = await takeLogs(intake(), { records });
    expect(again).toMatchObject({ usage: 1, inserted: 0, rejected: 1 });
    expect(await current.fixture.events()).toHaveLength(1);
    expect(await current.ledger.drops(10)).toHaveLength(1);
  });

  it('answers no partial success and commits nothing for a request of ignored records only', async () => {
    const result = await takeLogs(intake(), { records: [record('test.prompt', {})] });
    expect(result).toMatchObject({ usage: 0, ignored: 1, partial: undefined });
  });
});

describe('takeMetrics', () => {
  it('ignores an agent’s points unless its metrics are enabled', async () => {
    const points = [point('test.tokens', 300, 1), point('test.other', 1, 2)];
    expect(await takeMetrics(intake(), { points })).toMatchObject({ usage: 0, ignored: 2, unknown: 0, partial: undefined });
    expect(await current.fixture.events()).toHaveLength(0);
    expect(await takeMetrics(intake(['test-agent']), { points })).toMatchObject({ usage: 1, inserted: 1, ignored: 1 });
    expect((await current.fixture.events()).map((e) => e.inputTokens)).toEqual([300]);
  });

  it('ignores the points of an agent that reads no metrics (its resource or scope is its own), not counting them unknown', async () => {
    const recordsOnly: OtelAgent = { ...testAgent, agent: 'records-only', ownsRecord: (r) => r.resource['service.name'] === 'records-only' };
    delete recordsOnly.ownsPoint;
    delete recordsOnly.seriesOf;
    delete recordsOnly.fromSeries;
    const theirs = { ...point('x', 1, 1), scope: { name: 'else', version: '' }, resource: { 'service.name': 'records-only' } };
    const taken = await takeMetrics({ ...intake(['records-only']), agents: [testAgent, recordsOnly] }, { points: [theirs] });
    expect(taken).toMatchObject({ usage: 0, ignored: 1, unknown: 0, partial: undefined });
  });

  it('makes one event of the points its agent puts in one window, and one per window', async () => {
    const points = [point('test.tokens', 300, 1), point('test.tokens', 5, 2), point('test.tokens', 20, 1), point('test.other', 1, 1)];
    expect(await takeMetrics(intake(['test-agent']), { points })).toMatchObject({ usage: 2, inserted: 2, ignored: 1 });
    expect((await current.fixture.events()).map((e) => e.inputTokens).sort((a, b) => a - b)).toEqual([5, 320]);
  });

  it('counts every point of a rejected window in the reply, and records one drop for it', async () => {
    const modelless = (value: number): OtlpMetricPoint => ({ ...point('test.tokens', value, 7), attributes: { seq: 7 } });
    const taken = await takeMetrics(intake(['test-agent']), { points: [modelless(1), modelless(2)] });
    expect(taken).toMatchObject({ usage: 0, rejected: 1, partial: { rejected: 2, message: '2 data points rejected (test-agent: no model)' } });
    expect(taken.drops).toHaveLength(1);
  });

  it('counts points no agent claims in data points', async () => {
    const stray = { ...point('x', 1, 1), scope: { name: 'else', version: '' }, resource: { 'service.name': 'bar' } };
    expect((await takeMetrics(intake(), { points: [stray] })).partial).toEqual({ rejected: 1, message: '1 data point of an agent tokenledger does not read (service.name=bar)' });
  });
});
