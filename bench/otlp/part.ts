import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, BenchPart, BenchTable } from '../context.js';
import { type Bodies, claudeCodeBodies, FORMATS } from './bodies.js';
import { decodeSpeed } from './decode-speed.js';
import { ingestRate } from './ingest.js';
import { pairedLatencies, percentile } from './latency.js';
import { startBareServer } from './post.js';
import { startReceiver } from './receiver-process.js';

/** Longest each ingest measure sends for; it stops sooner when its bodies run out. */
const INGEST_MS = 5_000;
const DECODE_MS = 1_500;
/** Pre-encoded requests per format: of 512 records (the BatchLogRecordProcessor's default batch) and of 1. */
const BATCHES = 80;
const SINGLES = 3_000;
/** 1-record requests sent by several exporters at once (agents on many machines, each exporting small batches). */
const CONCURRENT_SINGLES = 4_000;
const CONCURRENT_EXPORTERS = 8;
const LATENCY_BATCHES = 40;
const LATENCY_SINGLES = 400;

const perSecond = (value: number): string => Math.round(value).toLocaleString('en');
const ms = (value: number): string => value.toFixed(2);

/**
 * `otlp`: the OTLP/HTTP receiver (`tokenledger otlp`, its own process, a SQLite ledger in a fresh
 * folder) fed Claude Code `api_request` records pre-encoded by the official exporters' serializers:
 * events ingested per second (JSON and protobuf, 512 records per request and 1), the latency one
 * export request adds over a bare `node:http` server answering `{}` (same client and bodies, in
 * turns), and decoding alone (records per second, in the bench's process).
 */
export const benchOtlp: BenchPart = {
  name: 'otlp',
  corpus: false,
  async run(ctx: BenchContext): Promise<BenchTable> {
    const dir = join(ctx.work, 'otlp');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const run = `bench-${Date.now()}`;
    ctx.log('otlp: encoding Claude Code api_request records with the exporters’ serializers');
    const batches = await claudeCodeBodies(BATCHES + LATENCY_BATCHES + 4, 512, `${run}-batch`);
    const singles = await claudeCodeBodies(SINGLES + LATENCY_SINGLES + CONCURRENT_SINGLES + 40, 1, `${run}-single`);
    const rows: string[][] = [];

    for (const format of FORMATS) {
      const speed = decodeSpeed(slice(batches, 0, BATCHES), format, DECODE_MS);
      ctx.log(`otlp: decoding ${format}: ${perSecond(speed.recordsPerSecond)} records/s`);
      rows.push([
        `decode only, ${format}, 512 records per request (in process)`,
        `${perSecond(speed.recordsPerSecond)} records/s (${speed.megabytesPerSecond.toFixed(0)} MB/s)`,
        speed.records.toLocaleString('en'),
      ]);
    }

    const receiver = await startReceiver(ctx.bin, join(dir, 'otlp.db'), ctx.env);
    const bare = await startBareServer();
    try {
      const url = `${receiver.url}/v1/logs`;
      // Warm-up: the first requests of each shape and encoding (connections, the ledger's first commits).
      for (const [i, format] of FORMATS.entries()) {
        await ingestRate(url, slice(batches, BATCHES + LATENCY_BATCHES + i * 2, 2)[format], 512, format, 1, INGEST_MS);
        await ingestRate(url, slice(singles, SINGLES + LATENCY_SINGLES + CONCURRENT_SINGLES + i * 20, 20)[format], 1, format, 1, INGEST_MS);
      }
      for (const [bodies, perRequest, count] of [
        [batches, 512, BATCHES],
        [singles, 1, SINGLES],
      ] as const) {
        for (const [i, format] of FORMATS.entries()) {
          // Each encoding sends its own half of the pre-encoded requests: every event is new to the ledger.
          const half = Math.floor(count / 2);
          const own = slice(bodies, i * half, half)[format];
          const rate = await ingestRate(url, own, perRequest, format, 1, INGEST_MS);
          ctx.log(`otlp: ingest ${format}, ${perRequest}/request: ${perSecond(rate.eventsPerSecond)} events/s`);
          rows.push([
            `events ingested, ${format}, ${perRequest === 1 ? '1 record' : `${perRequest} records`} per request, 1 exporter`,
            `${perSecond(rate.eventsPerSecond)} events/s (${perSecond(rate.requestsPerSecond)} requests/s)`,
            rate.events.toLocaleString('en'),
          ]);
        }
      }
      const concurrent = await ingestRate(url, slice(singles, SINGLES + LATENCY_SINGLES, CONCURRENT_SINGLES).protobuf, 1, 'protobuf', CONCURRENT_EXPORTERS, INGEST_MS);
      ctx.log(`otlp: ingest protobuf, 1/request, ${CONCURRENT_EXPORTERS} exporters: ${perSecond(concurrent.eventsPerSecond)} events/s`);
      rows.push([
        `events ingested, protobuf, 1 record per request, ${CONCURRENT_EXPORTERS} exporters at once`,
        `${perSecond(concurrent.eventsPerSecond)} events/s`,
        concurrent.events.toLocaleString('en'),
      ]);
      for (const [bodies, perRequest, from, count] of [
        [batches, 512, BATCHES, LATENCY_BATCHES],
        [singles, 1, SINGLES, LATENCY_SINGLES],
      ] as const) {
        for (const [i, format] of FORMATS.entries()) {
          const half = Math.floor(count / 2);
          const own = slice(bodies, from + i * half, half)[format];
          const times = await pairedLatencies(url, bare.url, own, format);
          const [r50, r99, b50, b99] = [percentile(times.receiver, 50), percentile(times.receiver, 99), percentile(times.bare, 50), percentile(times.bare, 99)];
          ctx.log(`otlp: latency ${format}, ${perRequest}/request: receiver p50 ${ms(r50)} p99 ${ms(r99)}, bare p50 ${ms(b50)} p99 ${ms(b99)} ms`);
          rows.push([
            `added latency per export request, ${format}, ${perRequest === 1 ? '1 record' : `${perRequest} records`} (p50 / p99)`,
            `+${ms(r50 - b50)} / +${ms(r99 - b99)} ms (receiver ${ms(r50)} / ${ms(r99)}, bare server ${ms(b50)} / ${ms(b99)})`,
            `${times.receiver.length} pairs`,
          ]);
        }
      }
    } finally {
      await bare.close();
      await receiver.stop();
    }
    const stopLine = receiver.stderr().trim().split('\n').at(-1) ?? '';
    ctx.log(`otlp: ${stopLine}`);
    return { columns: ['measure', 'figure', 'n'], rows };
  },
};

/** `count` requests of each encoding from `from` on. */
function slice(bodies: Bodies, from: number, count: number): Bodies {
  return { perRequest: bodies.perRequest, json: bodies.json.slice(from, from + count), protobuf: bodies.protobuf.slice(from, from + count) };
}
