import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTokens, type TokenCounts, type UsageEvent } from '../../core/usage-event.js';
import type { StoredEvent } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { recordOtel } from '../../testing/otel-usage.js';
import { fixtureEnv, runCliOn } from '../../testing/run-cli.js';
import { sdkExport } from '../../testing/sdk-usage-export.js';
import { otlpEndpoint } from '../../sinks/otel/otlp-endpoint.js';
import { OtlpUsageExport } from '../../sinks/otel/otlp-usage-export.js';
import type { Io } from '../io.js';
import { runOtlp } from './otlp.js';

/**
 * Issue 14's round trip: usage leaves one ledger as OTLP metrics and comes back into another
 * through `tokenledger otlp --metrics tokenledger`, with the same tokens by agent, provider, model
 * and bucket, and the cost the exporting ledger holds as the reported cost (exact nanos).
 */

let sender: FixtureLedger;
let receiver: FixtureLedger;
const NOW = Date.now();
const minutesAgo = (m: number): number => NOW - m * 60_000;

beforeEach(async () => {
  sender = new FixtureLedger();
  receiver = new FixtureLedger();
  await sender.record([
    { occurredAt: minutesAgo(50), dedupKey: 'a', inputTokens: 100, outputTokens: 200, cacheReadTokens: 4000, cacheWrite5mTokens: 1000, costNanos: 1_250_000_123 },
    { occurredAt: minutesAgo(40), dedupKey: 'b', model: 'claude-opus-4-1', inputTokens: 10, outputTokens: 20, cacheWrite1hTokens: 300, costNanos: 3_000_000_000 },
    { occurredAt: minutesAgo(30), dedupKey: 'c', agent: 'codex-cli', provider: 'openai', model: 'gpt-5-codex', inputTokens: 1000, outputTokens: 2000, cacheReadTokens: 3000, costNanos: 700_000_007 },
    { occurredAt: minutesAgo(20), dedupKey: 'd', inputTokens: 1, outputTokens: 2, costNanos: 5 },
    {
      occurredAt: minutesAgo(15),
      dedupKey: 'g',
      agent: 'gemini-cli',
      provider: 'google',
      model: 'gemini-2.5-pro',
      inputTokens: 500,
      outputTokens: 900,
      reasoningTokens: 600,
      cacheReadTokens: 2000,
      costNanos: 9_876_543,
    },
  ]);
});
afterEach(() => {
  sender.remove();
  receiver.remove();
});

type Totals = Record<string, Record<string, number>>;

/**
 * Tokens per agent, provider, model and bucket, and cost: what must come back equal. The cost is
 * the sender's own and the receiver's reported one (what the sender said it cost).
 */
function totals(events: readonly StoredEvent[], cost: 'cost' | 'reported'): Totals {
  const out: Totals = {};
  for (const e of events) {
    const row = (out[`${e.agent} ${e.provider} ${e.model}`] ??= { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, costNanos: 0 });
    row.input = (row.input ?? 0) + e.inputTokens;
    row.output = (row.output ?? 0) + e.outputTokens;
    row.reasoning = (row.reasoning ?? 0) + e.reasoningTokens;
    row.cacheRead = (row.cacheRead ?? 0) + e.cacheReadTokens;
    row.cacheWrite5m = (row.cacheWrite5m ?? 0) + e.cacheWrite5mTokens;
    row.cacheWrite1h = (row.cacheWrite1h ?? 0) + e.cacheWrite1hTokens;
    row.costNanos = (row.costNanos ?? 0) + (cost === 'cost' ? e.costNanos : (e.reportedCostNanos ?? 0));
  }
  return out;
}

/** What came back into the receiver equals what left the sender: tokens, and the sender's cost as reported. */
async function expectRoundTrip(): Promise<void> {
  expect(totals(await events(receiver), 'reported')).toEqual(totals(await events(sender), 'cost'));
}

async function events(fx: FixtureLedger): Promise<StoredEvent[]> {
  const ledger = await openLedger({ engine: 'sqlite', path: fx.dbPath });
  try {
    return (await ledger.changes(0, 10_000)).events;
  } finally {
    await ledger.close();
  }
}

/** Runs `tokenledger otlp --metrics tokenledger` on the receiver's ledger around `send`. */
async function throughReceiver(send: (url: string) => Promise<void>): Promise<string> {
  let stderr = '';
  const io: Io = { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, env: fixtureEnv(receiver), now: () => Date.now() };
  const controller = new AbortController();
  let listening: (url: string) => void = () => undefined;
  const started = new Promise<string>((resolve) => (listening = resolve));
  const done = runOtlp(io, { listen: '127.0.0.1:0', metrics: 'tokenledger' }, controller.signal, { started: (url) => listening(url) });
  done.catch(() => undefined);
  const url = await Promise.race([started, done.then(() => Promise.reject(new Error(`the receiver stopped: ${stderr}`)))]);
  try {
    await send(url);
  } finally {
    controller.abort();
    await done;
  }
  return stderr;
}

describe('export --otlp into tokenledger otlp --metrics tokenledger', () => {
  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    it(`round-trips tokens by agent, model and bucket (${protocol}, delta)`, async () => {
      const log = await throughReceiver(async (url) => {
        const run = await runCliOn(sender, ['export', '--otlp', url, '--otlp-protocol', protocol, '--no-sync'], { now: NOW });
        expect(run.code, run.stderr).toBe(0);
      });
      await expectRoundTrip();
      // Every point of the export is the receiver's to read or ignore (the GenAI histogram, the request
      // counter): none is reported back as an unknown agent's or rejected.
      expect(log).toContain(' 0 rejected, 0 of unknown agents;');
      // Google's Gemini API travels as the conventions' gcp.gemini and comes back as the ledger's google.
      expect((await events(receiver)).filter((e) => e.agent === 'gemini-cli').map((e) => e.provider)).toEqual(['google']);
    });
  }

  for (const temporality of ['delta', 'cumulative'] as const) {
    it(`round-trips what the official SDK exporter sends of the same usage (${temporality}: each series starts when first recorded)`, async () => {
      const sent = await events(sender);
      await throughReceiver((url) => sdkExport(sent, { url: `${url}/v1/metrics`, protocol: 'http/json', temporality }));
      await expectRoundTrip();
    });
  }

  it('counts a second export of new usage once more, and a repeated one not at all', async () => {
    await throughReceiver(async (url) => {
      await runCliOn(sender, ['export', '--otlp', url, '--no-sync'], { now: NOW });
      await sender.record([{ occurredAt: minutesAgo(5), dedupKey: 'e', inputTokens: 7, outputTokens: 3, costNanos: 1 }], 'later');
      await runCliOn(sender, ['export', '--otlp', url, '--no-sync'], { now: NOW + 60_000 });
      await runCliOn(sender, ['export', '--otlp', url, '--no-sync'], { now: NOW + 120_000 });
    });
    await expectRoundTrip();
  });

  it('round-trips cumulative totals sent again and again (as watch sends them), counting each request once', async () => {
    const ledger = await openLedger({ engine: 'sqlite', path: sender.dbPath });
    let now = NOW;
    try {
      await throughReceiver(async (url) => {
        const target = { endpoint: otlpEndpoint(url), protocol: 'http/protobuf' as const, temporality: 'cumulative' as const, attributes: [], headers: {}, gzip: false, timeoutMs: 5_000, retries: 0 };
        const watch = new OtlpUsageExport({ ledger, target, namespace: 'cost-tracking', version: '0.0.0', now: () => now });
        expect((await watch.send()).result?.ok).toBe(true);
        await sender.record([{ occurredAt: minutesAgo(5), dedupKey: 'e', model: 'claude-opus-4-1', inputTokens: 7, outputTokens: 3, costNanos: 1 }], 'later');
        now += 60_000;
        expect((await watch.send()).result?.ok).toBe(true);
        now += 60_000;
        expect((await watch.send()).result?.ok).toBe(true);
      });
    } finally {
      await ledger.close();
    }
    await expectRoundTrip();
  });

  it('prices what comes back as the sender priced it, with the same price data', async () => {
    const priced = new FixtureLedger();
    try {
      const usage = (i: number, agent: string, provider: string, model: string, tokens: Partial<TokenCounts>): UsageEvent => ({
        ...emptyTokens(),
        agent,
        provider,
        model,
        sessionId: `s${i}`,
        project: '',
        occurredAt: minutesAgo(30 - i),
        dedupKey: `priced:${i}`,
        ...tokens,
      });
      await recordOtel(priced, [
        usage(1, 'claude-code', 'anthropic', 'claude-sonnet-4-5', { inputTokens: 1200, outputTokens: 800, cacheReadTokens: 40_000, cacheWrite5mTokens: 3000 }),
        usage(2, 'claude-code', 'anthropic', 'claude-sonnet-4-5', { inputTokens: 10, outputTokens: 20, cacheWrite1hTokens: 500 }),
        usage(3, 'codex-cli', 'openai', 'gpt-5-codex', { inputTokens: 2000, outputTokens: 3000, reasoningTokens: 1000, cacheReadTokens: 6000 }),
        usage(4, 'gemini-cli', 'google', 'gemini-2.5-pro', { inputTokens: 700, outputTokens: 400, reasoningTokens: 300, cacheReadTokens: 1000 }),
      ]);
      const sent = await events(priced);
      expect(sent.every((e) => e.costNanos > 0 && !e.unpriced)).toBe(true);
      await throughReceiver(async (url) => {
        const run = await runCliOn(priced, ['export', '--otlp', url, '--no-sync'], { now: NOW });
        expect(run.code, run.stderr).toBe(0);
      });
      const back = await events(receiver);
      expect(totals(back, 'reported')).toEqual(totals(sent, 'cost'));
      expect(totals(back, 'cost')).toEqual(totals(sent, 'cost'));
    } finally {
      priced.remove();
    }
  });
});
