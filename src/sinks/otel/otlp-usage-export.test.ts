import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMetrics } from '../../intake/otel/decode/index.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { type ScriptedReceiver, startScriptedReceiver } from '../../testing/scripted-otlp-receiver.js';
import { otlpEndpoint, otlpMarkName } from './otlp-endpoint.js';
import { OtlpUsageExport, type OtlpTarget } from './otlp-usage-export.js';

const T0 = Date.UTC(2025, 9, 10, 9);

let fixture: FixtureLedger;
let ledger: Ledger;
let capture: ScriptedReceiver | undefined;
let now = T0 + 3_600_000;
beforeEach(async () => {
  fixture = new FixtureLedger();
  await fixture.record([
    { occurredAt: T0, dedupKey: 'r1', inputTokens: 100, outputTokens: 20, cacheReadTokens: 1000, costNanos: 1_000_000_001 },
    { occurredAt: T0 + 60_000, dedupKey: 'r2', inputTokens: 50, outputTokens: 10, costNanos: 2 },
    { occurredAt: T0, dedupKey: 'other', namespace: 'ci', inputTokens: 7, costNanos: 9 },
  ]);
  ledger = await openLedger({ engine: 'sqlite', path: fixture.dbPath });
});
afterEach(async () => {
  await ledger.close();
  await capture?.close();
  capture = undefined;
  fixture.remove();
});

function target(url: string, over: Partial<OtlpTarget> = {}): OtlpTarget {
  return { endpoint: otlpEndpoint(url), protocol: 'http/json', temporality: 'delta', attributes: [], headers: {}, gzip: false, timeoutMs: 5_000, retries: 2, ...over };
}

function exporter(t: OtlpTarget): OtlpUsageExport {
  return new OtlpUsageExport({ ledger, target: t, namespace: 'cost-tracking', version: '9.9.9', now: () => now, sleep: async () => undefined });
}

/** The points of one captured JSON request, as metric name -> [attributes, value] rows. */
function points(body: Uint8Array): { resource: Record<string, string>; metrics: Record<string, { temporality: number; rows: [Record<string, string>, unknown, string, string][] }> } {
  const doc = JSON.parse(new TextDecoder().decode(body));
  const rm = doc.resourceMetrics[0];
  const kv = (list: { key: string; value: { stringValue: string } }[]) => Object.fromEntries(list.map((a) => [a.key, a.value.stringValue]));
  const metrics: Record<string, { temporality: number; rows: [Record<string, string>, unknown, string, string][] }> = {};
  for (const m of rm.scopeMetrics[0].metrics) {
    const data = m.sum ?? m.histogram;
    metrics[m.name] = {
      temporality: data.aggregationTemporality,
      rows: data.dataPoints.map((p: Record<string, unknown>) => [kv(p.attributes as never), p.asInt ?? p.asDouble ?? p.count, p.startTimeUnixNano, p.timeUnixNano]),
    };
  }
  return { resource: kv(rm.resource.attributes), metrics };
}

const tokensByType = (p: ReturnType<typeof points>): Record<string, unknown> =>
  Object.fromEntries((p.metrics['tokenledger.usage.tokens']?.rows ?? []).map(([a, v]) => [a['tokenledger.token.type'], v]));

describe('OtlpUsageExport', () => {
  it('sends the namespace once, as delta points from the last delivery, and moves the mark only then', async () => {
    capture = await startScriptedReceiver();
    const t = target(capture.url, { headers: { authorization: 'Bearer tok' } });
    const first = await exporter(t).send();
    expect(first).toMatchObject({ events: 2, result: { ok: true, status: 200, attempts: 1 } });
    expect(capture.requests[0]?.headers.authorization).toBe('Bearer tok');
    expect(capture.requests[0]?.headers['content-type']).toBe('application/json');
    const p = points(capture.requests[0]?.body as Uint8Array);
    expect(p.resource).toEqual({ 'service.name': 'tokenledger', 'service.version': '9.9.9', 'tokenledger.namespace': 'cost-tracking' });
    expect(tokensByType(p)).toEqual({ input: '150', output: '30', cache_read: '1000' });
    expect(p.metrics['tokenledger.usage.cost']?.rows[0]?.[1]).toBe(1.000000003);
    expect(p.metrics['tokenledger.usage.requests']?.rows[0]?.[1]).toBe('2');
    expect(p.metrics['tokenledger.usage.tokens']?.temporality).toBe(1);
    // The first delta starts at the earliest event sent.
    expect(p.metrics['tokenledger.usage.requests']?.rows[0]?.slice(2)).toEqual([`${T0}000000`, `${now}000000`]);
    expect(await ledger.mark(otlpMarkName(t.endpoint.url, 'cost-tracking'))).toBeGreaterThan(0);

    // A later run (another process: a new exporter) sends only what came since, from the last delivery.
    const firstAt = now;
    now += 60_000;
    expect(await exporter(t).send()).toEqual({ events: 0, points: 0, bytes: 0 });
    await fixture.record([{ occurredAt: T0 + 120_000, dedupKey: 'r3', outputTokens: 5, costNanos: 3 }], 'later');
    await exporter(t).send();
    expect(capture.requests).toHaveLength(2);
    const q = points(capture.requests[1]?.body as Uint8Array);
    expect(tokensByType(q)).toEqual({ output: '5' });
    expect(q.metrics['tokenledger.usage.requests']?.rows[0]?.slice(2)).toEqual([`${firstAt}000000`, `${now}000000`]);
  });

  it('retries a 503 (after its Retry-After) and delivers', async () => {
    capture = await startScriptedReceiver((n) => (n === 1 ? { status: 503, headers: { 'retry-after': '0' } } : { status: 200 }));
    const report = await exporter(target(capture.url)).send();
    expect(report.result).toMatchObject({ ok: true, status: 200, attempts: 2 });
    expect(capture.requests).toHaveLength(2);
    expect(capture.requests[0]?.body).toEqual(capture.requests[1]?.body);
  });

  it('keeps the mark where it was when delivery fails, so the next send carries the same usage', async () => {
    let failing = true;
    capture = await startScriptedReceiver(() => (failing ? { status: 503, body: '{"message":"busy"}' } : { status: 200 }));
    const t = target(capture.url);
    const failed = await exporter(t).send();
    expect(failed.result).toMatchObject({ ok: false, status: 503, attempts: 3 });
    expect(failed.result?.error).toContain('busy');
    expect(await ledger.mark(otlpMarkName(t.endpoint.url, 'cost-tracking'))).toBe(0);
    failing = false;
    const again = await exporter(t).send();
    expect(again).toMatchObject({ events: 2, result: { ok: true } });
    expect(tokensByType(points(capture.requests.at(-1)?.body as Uint8Array))).toEqual({ input: '150', output: '30', cache_read: '1000' });
  });

  it('does not retry what can never pass (400)', async () => {
    capture = await startScriptedReceiver(() => ({ status: 400 }));
    const report = await exporter(target(capture.url)).send();
    expect(report.result).toMatchObject({ ok: false, status: 400, attempts: 1 });
  });

  it('sends only what grew when a request is replaced by a longer copy during one watch', async () => {
    capture = await startScriptedReceiver();
    const e = exporter(target(capture.url));
    await e.send();
    await fixture.record([{ occurredAt: T0 + 60_000, dedupKey: 'r2', inputTokens: 50, outputTokens: 400, costNanos: 10 }], 'longer');
    await e.send();
    const q = points(capture.requests[1]?.body as Uint8Array);
    expect(tokensByType(q)).toEqual({ output: '390' });
    expect(q.metrics['tokenledger.usage.requests']).toBeUndefined();
    expect(q.metrics['gen_ai.client.token.usage']).toBeUndefined();
  });

  it('sends totals since the first delivery with cumulative temporality', async () => {
    capture = await startScriptedReceiver();
    const e = exporter(target(capture.url, { temporality: 'cumulative' }));
    await e.send();
    now += 60_000;
    await fixture.record([{ occurredAt: T0 + 120_000, dedupKey: 'r3', inputTokens: 1, costNanos: 3 }], 'later');
    await e.send();
    now += 60_000;
    await e.send();
    expect(capture.requests).toHaveLength(3);
    const last = points(capture.requests[2]?.body as Uint8Array);
    expect(last.metrics['tokenledger.usage.tokens']?.temporality).toBe(2);
    expect(tokensByType(last)).toEqual({ input: '151', output: '30', cache_read: '1000' });
    expect(last.metrics['tokenledger.usage.requests']?.rows[0]?.slice(1, 3)).toEqual(['3', `${T0}000000`]);
    expect(last.metrics['gen_ai.client.token.usage']?.rows.map((r) => r[1])).toEqual(['3', '3']);
  });

  it('leaves out what occurred before --otlp-since, and gzips when asked', async () => {
    capture = await startScriptedReceiver();
    await exporter(target(capture.url, { sinceMs: T0 + 1, gzip: true })).send();
    expect(capture.requests[0]?.headers['content-encoding']).toBe('gzip');
    expect(tokensByType(points(capture.requests[0]?.body as Uint8Array))).toEqual({ input: '50', output: '10' });
  });

  it('carries the same points in protobuf as in JSON, as the receiver decodes them', async () => {
    capture = await startScriptedReceiver();
    await exporter(target(`${capture.url}/json`, { attributes: ['session', 'user'] })).send();
    await exporter(target(`${capture.url}/proto`, { protocol: 'http/protobuf', attributes: ['session', 'user'] })).send();
    expect(capture.requests.map((r) => [r.path, r.headers['content-type']])).toEqual([
      ['/json/v1/metrics', 'application/json'],
      ['/proto/v1/metrics', 'application/x-protobuf'],
    ]);
    const json = decodeMetrics(capture.requests[0]?.body as Uint8Array, 'json').points;
    const proto = decodeMetrics(capture.requests[1]?.body as Uint8Array, 'protobuf').points;
    expect(proto).toEqual(json);
    expect(json).toHaveLength(2 + 3 + 1 + 1);
    const histogram = json.filter((p) => p.metric.name === 'gen_ai.client.token.usage');
    expect(histogram.map((p) => [p.attributes['gen_ai.token.type'], p.count, p.value])).toEqual([
      ['input', 2, 1150],
      ['output', 2, 30],
    ]);
    expect(histogram[0]?.metric).toEqual({ name: 'gen_ai.client.token.usage', unit: '{token}', kind: 'histogram', temporality: 'delta', monotonic: false });
    const cost = json.find((p) => p.metric.name === 'tokenledger.usage.cost');
    expect(cost?.metric).toEqual({ name: 'tokenledger.usage.cost', unit: 'USD', kind: 'sum', temporality: 'delta', monotonic: true });
    expect(cost?.value).toBe(1.000000003);
    expect(cost?.attributes).toEqual({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'tokenledger.agent': 'claude-code',
      'session.id': 'session-1',
      'user.name': expect.any(String),
    });
    expect(cost?.resource).toEqual({ 'service.name': 'tokenledger', 'service.version': '9.9.9', 'tokenledger.namespace': 'cost-tracking' });
    expect(cost?.scope).toMatchObject({ name: 'tokenledger', version: '9.9.9' });
    expect(cost?.timeUnixNano).toBe(BigInt(now) * 1_000_000n);
  });
});
