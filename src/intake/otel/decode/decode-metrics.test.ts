import { ValueType } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpCapture, startOtlpCapture } from '../../../testing/otlp-capture.js';
import { exportMetrics } from '../../../testing/otlp-exporters.js';
import type { AnyValue, Attributes, OtlpMetricPoint } from '../otlp-record.js';
import { decodeMetrics } from './index.js';

function attrs(values: Record<string, AnyValue>): Attributes {
  return Object.assign(Object.create(null) as Attributes, values);
}

const RESOURCE = { 'service.name': 'claude-code', 'user.email': 'dev@example.com' };
const SCOPE = { name: 'com.anthropic.claude_code', version: '2.0.14' };
const temporalities = ['delta', 'cumulative'] as const;
const formats = ['json', 'protobuf'] as const;

/** The points without their times (each export has its own clock), in a stable order. */
function timeless(points: OtlpMetricPoint[]): unknown[] {
  return points
    .map((p) => ({ ...p, startTimeUnixNano: 0n, timeUnixNano: 0n }))
    .sort((a, b) => JSON.stringify(a, (_, v) => (typeof v === 'bigint' ? 0 : v)).localeCompare(JSON.stringify(b, (_, v) => (typeof v === 'bigint' ? 0 : v))));
}

describe('decodeMetrics reads what the official metric exporters send', () => {
  let capture: OtlpCapture;
  const decoded = new Map<string, OtlpMetricPoint[]>();

  beforeAll(async () => {
    capture = await startOtlpCapture();
    for (const temporality of temporalities) {
      for (const format of formats) {
        const before = capture.requests.length;
        await exportMetrics({ url: `${capture.url}/v1/metrics`, format, resource: RESOURCE, scope: SCOPE, temporality, exponential: ['claude_code.latency'] }, (meter) => {
          const tokens = meter.createCounter('claude_code.token.usage', { unit: 'tokens', valueType: ValueType.INT });
          tokens.add(100, { type: 'input', model: 'claude-sonnet-4-5' });
          tokens.add(50, { type: 'output', model: 'claude-sonnet-4-5' });
          tokens.add(20, { type: 'input', model: 'claude-sonnet-4-5' });
          meter.createCounter('claude_code.cost.usage', { unit: 'USD' }).add(0.25, { model: 'claude-sonnet-4-5' });
          const active = meter.createUpDownCounter('claude_code.sessions.active', { valueType: ValueType.INT });
          active.add(3);
          active.add(-1);
          meter.createGauge('claude_code.queue.depth').record(7.5, { queue: 'main' });
          const duration = meter.createHistogram('claude_code.duration', { unit: 'ms' });
          duration.record(10);
          duration.record(30);
          const latency = meter.createHistogram('claude_code.latency', { unit: 's' });
          latency.record(1.5);
          latency.record(2.5);
        });
        // The first request holds the points (a delta reader's export at shutdown has none left).
        const request = capture.requests[before]!;
        expect(request.path).toBe('/v1/metrics');
        decoded.set(`${temporality} ${format}`, decodeMetrics(request.body, format).points);
      }
    }
  });
  afterAll(() => capture.close());

  for (const temporality of temporalities) {
    for (const format of formats) {
      it(`${format}, ${temporality}: every kind, exactly`, () => {
        const points = decoded.get(`${temporality} ${format}`)!;
        const named = (name: string) => points.filter((p) => p.metric.name === name);
        const other = temporality === 'delta' ? 'delta' : 'cumulative';
        for (const point of points) {
          expect(point.resource).toStrictEqual(attrs(RESOURCE));
          expect(point.resource).toBe(points[0]!.resource);
          expect(point.scope).toStrictEqual(SCOPE);
          expect(point.timeUnixNano).toBeGreaterThan(1_700_000_000_000_000_000n);
          expect(point.startTimeUnixNano).toBeGreaterThan(1_700_000_000_000_000_000n);
          expect(point.startTimeUnixNano).toBeLessThanOrEqual(point.timeUnixNano);
          expect(Object.getPrototypeOf(point.attributes)).toBeNull();
        }
        const tokens = named('claude_code.token.usage');
        expect(tokens.map((p) => [p.attributes.type, p.value])).toStrictEqual([
          ['input', 120],
          ['output', 50],
        ]);
        expect(tokens[0]!.metric).toStrictEqual({ name: 'claude_code.token.usage', unit: 'tokens', kind: 'sum', temporality: other, monotonic: true });
        expect(tokens[1]!.metric).toBe(tokens[0]!.metric);
        expect(tokens[0]!.attributes).toStrictEqual(attrs({ type: 'input', model: 'claude-sonnet-4-5' }));
        expect('count' in tokens[0]!).toBe(false);

        const [cost] = named('claude_code.cost.usage');
        expect(cost!.value).toBe(0.25);
        expect(cost!.metric).toStrictEqual({ name: 'claude_code.cost.usage', unit: 'USD', kind: 'sum', temporality: other, monotonic: true });

        const [active] = named('claude_code.sessions.active');
        expect(active!.value).toBe(2);
        // The SDK keeps up-down counters cumulative under a delta preference.
        expect(active!.metric).toStrictEqual({ name: 'claude_code.sessions.active', unit: '', kind: 'sum', temporality: 'cumulative', monotonic: false });

        const [depth] = named('claude_code.queue.depth');
        expect(depth!.value).toBe(7.5);
        expect(depth!.attributes).toStrictEqual(attrs({ queue: 'main' }));
        expect(depth!.metric).toStrictEqual({ name: 'claude_code.queue.depth', unit: '', kind: 'gauge', temporality: 'unspecified', monotonic: false });

        const [duration] = named('claude_code.duration');
        expect([duration!.value, duration!.count]).toStrictEqual([40, 2]);
        expect(duration!.metric).toStrictEqual({ name: 'claude_code.duration', unit: 'ms', kind: 'histogram', temporality: other, monotonic: false });

        const [latency] = named('claude_code.latency');
        expect([latency!.value, latency!.count]).toStrictEqual([4, 2]);
        expect(latency!.metric).toStrictEqual({ name: 'claude_code.latency', unit: 's', kind: 'exponential-histogram', temporality: other, monotonic: false });
        expect(points).toHaveLength(7);
      });
    }
    it(`${temporality}: JSON and protobuf decode to the same points`, () => {
      expect(timeless(decoded.get(`${temporality} json`)!)).toStrictEqual(timeless(decoded.get(`${temporality} protobuf`)!));
    });
  }
});
