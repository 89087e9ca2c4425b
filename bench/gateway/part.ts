import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/package-root.js';
import type { BenchContext, BenchPart } from '../context.js';
import { admissionRows } from './admission-rows.js';
import { compareTargets, type Pooled } from './compare.js';
import type { FakeUpstream } from './fake-upstream.js';
import { LoadGenerator, type LoadShape, type Target } from './load.js';
import { memoryWithOpenStreams } from './open-streams.js';
import { KEY_NAMES, meteredRequests, type OurGateway, startOurGateway } from './ours.js';
import { installPortkey, PORTKEY_VERSION, startPortkey } from './portkey.js';
import { GATEWAY_COLUMNS, type GatewayRow, latencyRows, type Measured, throughputRows } from './rows.js';
import type { Service } from './service.js';
import { startUpstream, UPSTREAM_PLACES, type UpstreamPlace } from './upstream-host.js';

/**
 * The open-loop rate at 64 clients (requests per second in all): well under what the 2 cores
 * answer, so its latency is the gateway's own under concurrency; the closed-loop rows at 64
 * clients ("saturated") send as fast as answers come, and their latency is mostly queueing.
 */
const OFFERED_PER_SECOND = 1_000;
/** The load shapes measured, each on every target in turns; request counts scale with BENCH_RUNS (default 3). */
const SHAPES = [
  { label: 'JSON, 1 client', stream: false, clients: 1, requests: 2_000, warmup: 200 },
  { label: 'stream TTFB, 1 client', stream: true, clients: 1, requests: 2_000, warmup: 200 },
  { label: 'JSON, 64 clients, 1,000/s offered', stream: false, clients: 64, ratePerSecond: OFFERED_PER_SECOND, requests: 8_000, warmup: 640 },
  { label: 'stream TTFB, 64 clients, 1,000/s offered', stream: true, clients: 64, ratePerSecond: OFFERED_PER_SECOND, requests: 8_000, warmup: 640 },
  { label: 'JSON, 64 clients, saturated', stream: false, clients: 64, requests: 8_000, warmup: 640 },
  { label: 'stream TTFB, 64 clients, saturated', stream: true, clients: 64, requests: 8_000, warmup: 640 },
] as const satisfies readonly (LoadShape & { label: string; requests: number; warmup: number })[];
const ROUNDS = 8;
/** No target is sent new requests for longer than this per round (Portkey's streams are slow). */
const MAX_ROUND_MS = 1_500;
const OPEN_STREAMS = 1_000;
const TARGET_RSS_MB = 200;
/** Admissions measured per engine and spread of keys (scaled by BENCH_RUNS). */
const ADMISSIONS = 5_000;

type NotRun = { notRun: string };

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] as string;

/**
 * Where the fake upstream runs: BENCH_UPSTREAM (`child` or `in-process`), else in the bench's own
 * process. Measured on the 2-core machine: in process, direct p99 at 1 client is 0.4-0.6 ms against
 * 1.8-3.8 ms in a child, and requests per second at 64 clients are the same; the bench process
 * (load and upstream on one thread) then takes at most one core, and a gateway the other.
 */
function upstreamPlace(): UpstreamPlace {
  const asked = process.env.BENCH_UPSTREAM ?? 'in-process';
  if (!UPSTREAM_PLACES.includes(asked as UpstreamPlace)) throw new Error(`BENCH_UPSTREAM must be one of ${UPSTREAM_PLACES.join(', ')}, not ${asked}`);
  return asked as UpstreamPlace;
}

/**
 * `gateway`: tokenledger's gateway against the same fake OpenAI upstream reached directly and
 * through Portkey's gateway, in one run: added latency (p50, p99; JSON and time to first streamed
 * byte; 1 and 64 clients), requests per second, and resident memory with 1,000 open streams.
 */
export const benchGateway: BenchPart = {
  name: 'gateway',
  corpus: false,
  async run(context) {
    const scale = Number(process.env.BENCH_RUNS ?? 3) / 3;
    const dir = join(context.work, 'gateway');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const place = upstreamPlace();
    const upstream = await startUpstream(place, join(packageRoot(), 'dist'));
    context.log(`gateway: fake upstream (${place}) on port ${upstream.port}`);
    const services: Service[] = [];
    const load = new LoadGenerator();
    try {
      const ours = await attempt(() => startOurGateway(context.bin, join(dir, 'gateway.db'), upstream.port, context.env));
      if (!('notRun' in ours)) services.push(ours.service);
      const portkey =
        process.env.BENCH_PORTKEY === 'off' ? { notRun: 'BENCH_PORTKEY=off' } : await attempt(async () => startPortkey(await installPortkey(context.work, context.log), upstream.port, context.env));
      if (!('notRun' in portkey)) services.push(portkey.service);
      const direct: Target = { name: 'direct', port: upstream.port, path: '/v1/chat/completions', headers: { authorization: 'Bearer sk-bench-upstream' } };
      const targets = [direct];
      if (!('notRun' in ours)) targets.push(ours.open, ours.budgeted);
      if (!('notRun' in portkey)) targets.push(portkey.target);

      const rows: GatewayRow[] = [];
      for (const shape of SHAPES) {
        context.log(`gateway: ${shape.label}: ${targets.map((t) => t.name).join(', ')}`);
        const plan = { requests: Math.max(ROUNDS, Math.round(shape.requests * scale)), warmup: shape.warmup, rounds: ROUNDS, maxRoundMs: MAX_ROUND_MS * scale };
        const pooled = await compareTargets(load, targets, shape, plan);
        const pick = <T extends object>(started: T | NotRun, target: (s: T) => Target): Measured => ('notRun' in started ? started : (pooled.get(target(started).name) as Pooled));
        const keys = [
          { name: 'key without budget', measured: pick(ours, (o) => o.open) },
          { name: 'key with budget', measured: pick(ours, (o) => o.budgeted) },
        ];
        const peer = pick(portkey, (p) => p.target);
        const straight = pooled.get(direct.name) as Pooled;
        if (straight.samplesMs.length === 0) throw new Error(`the fake upstream answered no request (${shape.label}): ${straight.firstFailure ?? 'no answer'}`);
        rows.push(...latencyRows(shape.label, straight, keys, peer));
        if (shape.clients > 1 && !('ratePerSecond' in shape)) rows.push(...throughputRows(shape.label, straight, keys, peer));
      }
      const memory = await memoryRow(context, upstream, ours, portkey);
      rows.push(memory.row);
      if (!('notRun' in ours)) {
        // Every request answered must be in the key meters once the gateway has stopped (and flushed).
        await ours.service.stop();
        rows.push(await meteredRow(context, ours, load.answered(ours.open) + memory.oursStreams, load.answered(ours.budgeted)));
      }
      rows.push(...(await admissionRows(context, dir, Math.round(ADMISSIONS * scale))));
      const keysNote = 'notRun' in ours ? '' : `; keys made by ${ours.keysMadeBy}`;
      const note = `fake upstream in ${place === 'child' ? 'a child process' : 'the bench process'}; Portkey ${PORTKEY_VERSION}; per shape ${ROUNDS} rounds, targets in turns, each at most 1/${ROUNDS} of the requests or ${((MAX_ROUND_MS * scale) / 1000).toFixed(1)} s a round, after a warm-up${keysNote}`;
      return { columns: [...GATEWAY_COLUMNS], rows: [...rows, ['(how measured)', note, '', '', '', '']] };
    } finally {
      load.close();
      for (const service of services) await service.stop();
      await upstream.close();
    }
  },
};

async function attempt<T extends object>(start: () => Promise<T>): Promise<T | NotRun> {
  try {
    return await start();
  } catch (error) {
    return { notRun: message(error) };
  }
}

async function meteredRow(context: BenchContext, ours: OurGateway, open: number, budgeted: number): Promise<GatewayRow> {
  const measure = 'requests metered: key meters after the gateway stopped, against answers received';
  try {
    const meters = await meteredRequests(context.bin, ours.db, context.env);
    const [gotOpen, gotBudgeted] = [meters.get(KEY_NAMES.open) ?? 0, meters.get(KEY_NAMES.budgeted) ?? 0];
    const all = gotOpen === open && gotBudgeted === budgeted;
    return [
      measure,
      `${(gotOpen + gotBudgeted).toLocaleString('en-US')} of ${(open + budgeted).toLocaleString('en-US')}`,
      '',
      '',
      'all',
      all ? 'met' : `**not met** (without budget ${gotOpen} of ${open}, with budget ${gotBudgeted} of ${budgeted})`,
    ];
  } catch (error) {
    return [measure, `failed: ${message(error)}`, '', '', 'all', 'not run'];
  }
}

async function memoryRow(
  context: BenchContext,
  upstream: FakeUpstream,
  ours: OurGateway | NotRun,
  portkey: { service: Service; target: Target } | NotRun,
): Promise<{ row: GatewayRow; oursStreams: number }> {
  const measure = async (target: Target, service: Service): Promise<{ text: string; mb?: number }> => {
    context.log(`gateway: ${OPEN_STREAMS} open streams through ${target.name}`);
    try {
      const m = await memoryWithOpenStreams(target, service.pid, upstream, OPEN_STREAMS);
      const peakMb = Math.max(m.rssMb, m.peakMb);
      return { text: `${peakMb.toFixed(0)} MB (${m.rssMb.toFixed(0)} MB while open, ${m.baseMb.toFixed(0)} MB before)`, mb: peakMb };
    } catch (error) {
      return { text: `failed: ${message(error)}` };
    }
  };
  const mine = 'notRun' in ours ? { text: `not run: ${ours.notRun}` } : await measure(ours.open, ours.service);
  const peer = 'notRun' in portkey ? { text: `not run: ${portkey.notRun}` } : await measure(portkey.target, portkey.service);
  const result = mine.mb === undefined ? 'not run' : mine.mb <= TARGET_RSS_MB ? 'met' : '**not met**';
  const row: GatewayRow = [
    `peak RSS (VmHWM) with ${OPEN_STREAMS.toLocaleString('en-US')} open streams (a chunk every 100 ms), key without budget`,
    mine.text,
    '',
    peer.text,
    `≤ ${TARGET_RSS_MB} MB`,
    result,
  ];
  return { row, oursStreams: mine.mb === undefined ? 0 : OPEN_STREAMS };
}
