import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { startScriptedReceiver, type ScriptedReceiver } from '../../testing/scripted-otlp-receiver.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const at = (hour: number): number => Date.UTC(2025, 9, 10, hour);
const SECRET = 's3cret-token';

let ledger: FixtureLedger;
let capture: ScriptedReceiver | undefined;
beforeEach(async () => {
  ledger = new FixtureLedger();
  await ledger.record([
    { occurredAt: at(9), inputTokens: 100, outputTokens: 200, cacheReadTokens: 4000, cacheWrite5mTokens: 1000, costNanos: 1_250_000_123 },
    { occurredAt: at(10), model: 'claude-opus-4-1', inputTokens: 10, outputTokens: 20, reasoningTokens: 5, costNanos: 3_000_000_000 },
    { occurredAt: at(8), namespace: 'ci', inputTokens: 5, costNanos: 5_000_000_000 },
  ]);
});
afterEach(async () => {
  await capture?.close();
  capture = undefined;
  ledger.remove();
});

const cli = (args: string[], env: Record<string, string> = {}) => runCliOn(ledger, ['export', ...args, '--no-sync'], { env, now: NOW });
const metricNames = (body: Uint8Array | undefined): string[] => JSON.parse(new TextDecoder().decode(body)).resourceMetrics[0].scopeMetrics[0].metrics.map((m: { name: string }) => m.name);

describe('export --otlp', () => {
  it('sends the namespace once as OTLP/JSON, then nothing until more is recorded', async () => {
    capture = await startScriptedReceiver();
    const run = await cli(['--otlp', capture.url, '--otlp-protocol', 'http/json']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`otlp: sent 2 requests as 15 points`);
    expect(capture.requests).toHaveLength(1);
    expect(capture.requests[0]?.path).toBe('/v1/metrics');
    expect(metricNames(capture.requests[0]?.body)).toEqual(['gen_ai.client.token.usage', 'tokenledger.usage.tokens', 'tokenledger.usage.cost', 'tokenledger.usage.requests']);
    const again = await cli(['--otlp', capture.url, '--otlp-protocol', 'http/json']);
    expect(again.stderr).toContain('nothing new to send');
    expect(capture.requests).toHaveLength(1);
  });

  it('sends protobuf by default, with the headers of OTEL_EXPORTER_OTLP_HEADERS, and never prints a secret', async () => {
    capture = await startScriptedReceiver();
    const run = await cli(['--otlp', `${capture.url}/?key=${SECRET}`], { OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%20${SECRET}` });
    expect(run.code).toBe(0);
    expect(capture.requests[0]?.headers['content-type']).toBe('application/x-protobuf');
    expect(capture.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(capture.requests[0]?.path).toBe(`/v1/metrics?key=${SECRET}`);
    expect(run.stderr + run.stdout).not.toContain(SECRET);
  });

  it('exits 1 when delivery fails after its retries, saying why and without a secret; the next run sends it all again', async () => {
    let failing = true;
    capture = await startScriptedReceiver(() => (failing ? { status: 503, headers: { 'retry-after': '0' }, body: `{"message":"overloaded"}` } : { status: 200 }));
    const url = `${capture.url}/?key=${SECRET}`;
    const run = await cli(['--otlp', url, '--otlp-protocol', 'http/json', '--retries', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not delivered');
    expect(run.stderr).toContain('after 2 attempts: HTTP 503');
    expect(run.stderr).toContain('overloaded');
    expect(run.stderr).not.toContain(SECRET);
    expect(capture.requests).toHaveLength(2);
    failing = false;
    const next = await cli(['--otlp', url, '--otlp-protocol', 'http/json']);
    expect(next.code).toBe(0);
    expect(next.stderr).toContain('sent 2 requests');
  });

  it('exits 1 when nothing answers', async () => {
    capture = await startScriptedReceiver();
    const url = capture.url;
    await capture.close();
    capture = undefined;
    const run = await cli(['--otlp', url, '--retries', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not delivered');
  });

  it('exits 2 on a bad URL, protocol, temporality or attribute, before anything is read', async () => {
    for (const args of [
      ['--otlp', `ftp://${SECRET}.example.com`],
      ['--otlp', `not a url ${SECRET}`],
      ['--otlp', `https://user:${SECRET}@otlp.example.com`],
      ['--otlp', 'http://127.0.0.1:1', '--otlp-protocol', 'grpc'],
      ['--otlp', 'http://127.0.0.1:1', '--otlp-temporality', 'sometimes'],
      ['--otlp', 'http://127.0.0.1:1', '--otlp-attributes', 'session,email'],
      ['--otlp', 'http://127.0.0.1:1', '--otlp-since', 'yesterday'],
      ['--otlp-protocol', 'http/json'],
    ]) {
      const run = await cli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).not.toContain(SECRET);
    }
    const headers = await cli(['--otlp', 'http://127.0.0.1:1'], { OTEL_EXPORTER_OTLP_HEADERS: `Authorization ${SECRET}` });
    expect(headers.code).toBe(2);
    expect(headers.stderr).not.toContain(SECRET);
  });

  it('warns when headers would go in plain http to another machine', async () => {
    const run = await cli(['--otlp', 'http://192.0.2.1:4318', '--timeout', '0.2', '--retries', '0'], { OTEL_EXPORTER_OTLP_HEADERS: `Authorization=Bearer%20${SECRET}` });
    expect(run.stderr).toContain('plain http to another machine');
    expect(run.stderr).not.toContain(SECRET);
    expect(run.code).toBe(1);
  });

  it('documents the flags, the metric names and what the conventions lack in --help', async () => {
    const run = await runCliOn(ledger, ['export', '--help']);
    for (const text of [
      '--otlp <url>',
      '--otlp-protocol',
      'http/protobuf',
      '--otlp-temporality',
      '--otlp-attributes',
      '--otlp-since',
      'OTEL_EXPORTER_OTLP_HEADERS',
      'tokenledger.usage.tokens',
      'no cost attribute yet',
    ]) {
      expect(run.stdout).toContain(text);
    }
  });
});
