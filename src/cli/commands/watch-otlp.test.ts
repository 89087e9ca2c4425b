import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../core/errors.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { type ScriptedReceiver, startScriptedReceiver } from '../../testing/scripted-otlp-receiver.js';
import type { Io } from '../io.js';
import { runWatch, type WatchTuning } from './watch.js';

let fx: FixtureLedger;
let capture: ScriptedReceiver;
beforeEach(async () => {
  fx = new FixtureLedger();
  capture = await startScriptedReceiver();
});
afterEach(async () => {
  await capture.close();
  fx.remove();
});

function startWatch(flags: Record<string, unknown>, tuning: WatchTuning = {}) {
  let stderr = '';
  const io: Io = {
    stdout: { write: () => true },
    stderr: { write: (t: string) => (stderr += t) },
    env: { ...fx.env, TOKENLEDGER_DB: fx.dbPath, XDG_CONFIG_HOME: join(fx.dir, 'config'), TZ: 'UTC' },
    now: () => Date.now(),
  };
  const controller = new AbortController();
  const done = runWatch(io, flags, controller.signal, { rescanMs: 3_600_000, ...tuning });
  // A watch refused at start rejects before `stop` is awaited.
  done.catch(() => undefined);
  return {
    stderr: () => stderr,
    stop: () => {
      controller.abort();
      return done;
    },
  };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const requestsSent = (body: Uint8Array | undefined): unknown => {
  const doc = JSON.parse(new TextDecoder().decode(body));
  const metric = doc.resourceMetrics[0].scopeMetrics[0].metrics.find((m: { name: string }) => m.name === 'tokenledger.usage.requests');
  return metric?.sum.dataPoints.map((p: { asInt: string }) => p.asInt);
};

describe('watch --otlp', () => {
  it('sends what was committed every interval, and what is left at stop', async () => {
    const w = startWatch({ otlp: capture.url, otlpProtocol: 'http/json', noSync: true }, { otlpEveryMs: 20 });
    await fx.record([{ occurredAt: Date.UTC(2025, 9, 10, 9), inputTokens: 10, costNanos: 1 }], 'first');
    await until(() => capture.requests.length >= 1);
    expect(requestsSent(capture.requests[0]?.body)).toEqual(['1']);
    expect(await w.stop()).toBe(EXIT.ok);
    expect(w.stderr()).toContain(`OTLP metrics of namespace cost-tracking to ${capture.url}/v1/metrics every 0.02 s`);
  });

  it('flushes at stop what the interval has not sent yet', async () => {
    const w = startWatch({ otlp: capture.url, otlpProtocol: 'http/json' });
    await until(() => w.stderr().includes('SIGINT or SIGTERM stops'));
    await fx.record(
      [
        { occurredAt: Date.UTC(2025, 9, 10, 9), inputTokens: 10, costNanos: 1 },
        { occurredAt: Date.UTC(2025, 9, 10, 10), inputTokens: 20, costNanos: 2 },
      ],
      'late',
    );
    expect(capture.requests).toHaveLength(0);
    expect(await w.stop()).toBe(EXIT.ok);
    expect(capture.requests).toHaveLength(1);
    expect(requestsSent(capture.requests[0]?.body)).toEqual(['2']);
  });

  it('refuses --otlp-interval without --otlp, and one out of range', async () => {
    for (const flags of [{ otlpInterval: '5' }, { otlp: capture.url, otlpInterval: '0' }]) {
      const w = startWatch(flags);
      await expect(w.stop()).rejects.toThrow(/--otlp-interval/);
    }
  });
});
