import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/core/package-root.js';
import type { StoredEvent } from '../src/ledger/ledger.js';
import { otlpJson } from '../src/sinks/otel/otlp-json.js';
import { postOtlp } from '../src/sinks/otel/otlp-post.js';
import { otlpProtobuf } from '../src/sinks/otel/otlp-protobuf.js';
import { UsageAccumulator, type UsageMetrics } from '../src/sinks/otel/usage-points.js';
import { startScriptedReceiver } from '../src/testing/scripted-otlp-receiver.js';
import { sdkExport } from '../src/testing/sdk-usage-export.js';
import type { BenchContext, BenchPart, BenchTable } from './context.js';
import { median } from './measure.js';

const SIZES = [10_000, 100_000];
const RUNS = 5;
const MODELS = ['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5', 'gpt-5-codex', 'gpt-5', 'gemini-2.5-pro'];
const AGENTS = ['claude-code', 'codex-cli', 'gemini-cli', 'gateway'];

/**
 * OTLP export, hand-written encoder against the OpenTelemetry SDK (MeterProvider + the official
 * OTLP/HTTP exporters): time to build and send one request of 10,000 and 100,000 events to a local
 * receiver (median of 5), the bytes it sent, and the cold start of a bundle that only imports each.
 */
export const benchOtlpExport: BenchPart = {
  name: 'otlp-export',
  corpus: false,
  async run(ctx: BenchContext): Promise<BenchTable> {
    const rows: string[][] = [];
    const capture = await startScriptedReceiver();
    try {
      for (const size of SIZES) {
        const events = syntheticEvents(size);
        for (const protocol of ['http/protobuf', 'http/json'] as const) {
          const hand = await timed(async () => {
            await handExport(events, `${capture.url}/v1/metrics`, protocol);
            return lastBytes(capture);
          });
          const sdk = await timed(async () => {
            await sdkExport(events, { url: `${capture.url}/v1/metrics`, protocol });
            return lastBytes(capture);
          });
          rows.push([`${size.toLocaleString('en')} events, ${protocol}`, `${hand.ms.toFixed(1)} ms, ${hand.bytes} B${hand.points}`, `${sdk.ms.toFixed(1)} ms, ${sdk.bytes} B${sdk.points}`]);
          ctx.log(`otlp: ${rows.at(-1)?.join(' | ')}`);
        }
      }
    } finally {
      await capture.close();
    }
    const cold = await coldStarts(join(ctx.work, 'otlp-export'));
    rows.push(['cold start: node running a bundle that imports it (median of 10)', `${cold.hand.ms.toFixed(0)} ms (${kb(cold.hand.bytes)})`, `${cold.sdk.ms.toFixed(0)} ms (${kb(cold.sdk.bytes)})`]);
    rows.push(['cold start: empty bundle, for reference', `${cold.empty.ms.toFixed(0)} ms`, '']);
    return { columns: ['OTLP export', 'hand-written (src/sinks/otel)', 'OpenTelemetry SDK 2.12 + OTLP exporters 0.223'], rows };
  },
};

/** What `OtlpUsageExport` does for one request, without the ledger: sum, encode, post. */
async function handExport(events: readonly StoredEvent[], url: string, protocol: 'http/protobuf' | 'http/json'): Promise<void> {
  const acc = new UsageAccumulator(new Set());
  for (const e of events) acc.add(e);
  const m: UsageMetrics = { resource: [['service.name', 'tokenledger']], scopeVersion: '0', temporality: 'delta', startTimeMs: 0, timeMs: Date.now(), ...acc.points() };
  const body = protocol === 'http/json' ? new TextEncoder().encode(otlpJson(m)) : otlpProtobuf(m);
  const result = await postOtlp(new URL(url), body, protocol === 'http/json' ? 'application/json' : 'application/x-protobuf', { headers: {}, timeoutMs: 10_000, retries: 0 });
  if (!result.ok) throw new Error(`hand-written export failed: ${result.error}`);
}

async function timed(run: () => Promise<number>): Promise<{ ms: number; bytes: number; points: string }> {
  await run(); // warm-up: the JIT, and the first connection
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    bytes = await run();
    times.push(performance.now() - started);
  }
  return { ms: median(times), bytes, points: '' };
}

function lastBytes(capture: { requests: { body: Uint8Array }[] }): number {
  return capture.requests.at(-1)?.body.length ?? 0;
}

function syntheticEvents(count: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (let i = 0; i < count; i++) {
    const model = MODELS[i % MODELS.length] as string;
    const agent = AGENTS[(i >> 3) % AGENTS.length] as string;
    const input = 50 + ((i * 7919) % 20_000);
    events.push({
      agent,
      provider: model.startsWith('gpt') ? 'openai' : model.startsWith('gemini') ? 'google' : 'anthropic',
      model,
      sessionId: `s-${i % 400}`,
      project: `/p/${i % 20}`,
      occurredAt: 1_760_000_000_000 + i * 1000,
      dedupKey: `k-${i}`,
      namespace: 'cost-tracking',
      inputTokens: input,
      outputTokens: 10 + ((i * 104_729) % 4000),
      reasoningTokens: i % 3 === 0 ? 100 : 0,
      cacheReadTokens: (i * 31) % 100_000,
      cacheWrite5mTokens: i % 5 === 0 ? 2000 : 0,
      cacheWrite1hTokens: i % 11 === 0 ? 3000 : 0,
      costNanos: 1_000_000 + ((i * 65_537) % 90_000_000),
      unpriced: false,
      recordedBy: { user: 'dev', machine: 'm1' },
      priceVersion: 'bench',
    });
  }
  return events;
}

/** As build.mjs bundles the CLI: bundled CommonJS dependencies still call require(). */
const BANNER = "--banner:js=import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB bundled`;

/** Bundles an entry that only imports each variant (as the CLI's bundle would) and times `node` running it. */
async function coldStarts(dir: string): Promise<Record<'hand' | 'sdk' | 'empty', { ms: number; bytes: number }>> {
  mkdirSync(dir, { recursive: true });
  const src = join(packageRoot(), 'src');
  const entries = {
    hand: `import { otlpProtobuf } from '${src}/sinks/otel/otlp-protobuf.ts'; import { otlpJson } from '${src}/sinks/otel/otlp-json.ts'; import { postOtlp } from '${src}/sinks/otel/otlp-post.ts'; globalThis.keep = [otlpProtobuf, otlpJson, postOtlp];`,
    sdk: `import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'; import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http'; import { resourceFromAttributes } from '@opentelemetry/resources'; globalThis.keep = [MeterProvider, PeriodicExportingMetricReader, OTLPMetricExporter, resourceFromAttributes];`,
    empty: 'globalThis.keep = [];',
  };
  const out = {} as Record<'hand' | 'sdk' | 'empty', { ms: number; bytes: number }>;
  for (const [name, code] of Object.entries(entries) as ['hand' | 'sdk' | 'empty', string][]) {
    const entry = join(dir, `${name}-entry.ts`);
    const bundle = join(dir, `${name}.mjs`);
    writeFileSync(entry, code);
    // The esbuild executable, not its API: the bench itself runs bundled, where the API cannot find its binary.
    const built = spawnSync(
      join(packageRoot(), 'node_modules', '.bin', 'esbuild'),
      [entry, `--outfile=${bundle}`, '--bundle', '--platform=node', '--format=esm', '--target=node20', '--log-level=error', BANNER],
      {
        stdio: 'inherit',
        env: { ...process.env, NODE_PATH: join(packageRoot(), 'node_modules') },
      },
    );
    if (built.status !== 0) throw new Error(`cannot bundle the ${name} entry`);
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      const run = spawnSync(process.execPath, [bundle], { stdio: 'ignore' });
      if (run.status !== 0) throw new Error(`${name} bundle failed to start`);
      times.push(performance.now() - started);
    }
    out[name] = { ms: median(times), bytes: statSync(bundle).size };
  }
  return out;
}
