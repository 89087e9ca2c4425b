import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { startOtlpCapture, type OtlpCapture } from '../../testing/otlp-capture.js';
import { runCliOn } from '../../testing/run-cli.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const at = (hour: number): number => Date.UTC(2025, 9, 10, hour);

let ledger: FixtureLedger;
let capture: OtlpCapture | undefined;
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

describe('export --otlp', () => {
  it('sends the namespace once as OTLP/JSON', async () => {
    capture = await startOtlpCapture();
    const run = await cli(['--otlp', capture.url, '--otlp-protocol', 'http/json']);
    expect(run.stderr).toContain('otlp: sent 2 requests');
    expect(run.code).toBe(0);
    expect(capture.requests).toHaveLength(1);
    const body = JSON.parse(new TextDecoder().decode(capture.requests[0]?.body));
    expect(capture.requests[0]?.path).toBe('/v1/metrics');
    console.log(JSON.stringify(body, null, 1).slice(0, 3000));
    const again = await cli(['--otlp', capture.url, '--otlp-protocol', 'http/json']);
    expect(again.stderr).toContain('nothing new');
    expect(capture.requests).toHaveLength(1);
  });
});
