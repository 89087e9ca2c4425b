import { availableParallelism } from 'node:os';
import { describeError } from '../core/errors.js';
import type { Source } from '../core/source.js';
import type { CommitBatch, CommitCheck, Ledger } from '../ledger/ledger.js';
import type { Pricer } from '../pricing/pricer.js';
import type { Env } from '../sources/shared/roots.js';
import { addCommit, Lane } from './lane.js';
import { emptyReport, mergeReport, type SyncReport } from './report.js';
import { bytesToRead, findWork, findWorkAt, type Work } from './work.js';

export type { SyncReport } from './report.js';

/** Shared cells between lanes: [next work index, KiB read]. */
export const CELL = { next: 0, kib: 1 } as const;

/** What a lane in another thread is given: the work list, shared cells and how to price. */
export interface LaneStart {
  namespace: string;
  work: readonly Work[];
  shared: SharedArrayBuffer;
  batchSize: number;
  priceVersionId: number;
}

/**
 * Starts a lane in another thread. It reads and prices files, hands each batch to `onBatches` for
 * the main lane to commit, and resolves with what it read (drops, files, bytes).
 */
export type SpawnLane = (start: LaneStart, onBatches: (batches: CommitBatch[]) => void) => Promise<SyncReport>;

export interface SyncOptions {
  sources: readonly Source[];
  /** The ledger partition new events are recorded into. */
  namespace: string;
  env: Env;
  ledger: Ledger;
  pricer: Pricer;
  /** Called as bytes are read; `total` is what this sync has to read. */
  onProgress?: (done: number, total: number) => void;
  /** Events per transaction (several small files share one). */
  batchSize?: number;
  /** Extra lanes in other threads for large syncs; absent means the main thread alone. */
  parallel?: { spawn: SpawnLane; maxLanes?: number; fromBytes?: number };
  /** Checks run inside every commit's transaction (budget levels). */
  checks?: readonly CommitCheck[];
  /** Only these files (paths no source reads are ignored); absent means every source's folders. */
  only?: Iterable<string>;
}

const DEFAULT_BATCH = 20_000;
/** Below this much to read, a second thread costs more to start than it saves. */
const PARALLEL_FROM_BYTES = 128 * 1024 * 1024;

/**
 * Brings the ledger up to date with every source's files. Large syncs also read files in other
 * threads (lanes take files from one shared list); the main thread alone writes the ledger.
 */
export async function sync(options: SyncOptions): Promise<SyncReport> {
  const started = performance.now();
  const { ledger } = options;
  const checks = options.checks ?? [];
  const only = options.only === undefined ? undefined : [...new Set(options.only)];
  const cursors = await ledger.cursors(only);
  const list = only === undefined ? findWork(options.sources, options.env, cursors) : findWorkAt(options.sources, options.env, cursors, only);
  const report = emptyReport();
  report.filesSeen = list.filesSeen;
  report.drops.push(...list.drops);
  const total = bytesToRead(list.work);
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const priceVersionId = list.work.length === 0 ? 0 : await ledger.priceVersionId(options.pricer.versionLabel);

  const shared = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  const cells = new Int32Array(shared);
  const claim = (): Work | undefined => list.work[Atomics.add(cells, CELL.next, 1)];

  // Batches other lanes hand over, committed here in the order they arrive (one file's in order).
  const inbox: CommitBatch[][] = [];
  let wake: (() => void) | undefined;
  const commitInbox = async (): Promise<void> => {
    for (let batches = inbox.shift(); batches !== undefined; batches = inbox.shift()) addCommit(report, await ledger.commit(batches, checks));
  };
  const extra = extraLanes(options, list.work, total);
  const others: Promise<SyncReport>[] = [];
  for (let i = 0; i < extra; i++) {
    const start: LaneStart = { namespace: options.namespace, work: list.work, shared, batchSize, priceVersionId };
    const lane = options.parallel!.spawn(start, (batches) => {
      inbox.push(batches);
      wake?.();
    });
    others.push(
      lane.catch((error: unknown) => {
        const failed = emptyReport();
        failed.drops.push({ path: '(sync thread)', line: 0, reason: `a sync thread failed; what it had not handed over is read again next time: ${describeError(error)}` });
        return failed;
      }),
    );
  }

  let mainBytes = 0;
  const main = new Lane({
    sources: options.sources,
    namespace: options.namespace,
    pricer: options.pricer,
    priceVersionId,
    commit: (batches) => ledger.commit(batches, checks),
    between: commitInbox,
    batchSize,
    progressed: (bytes) => {
      mainBytes += bytes;
      options.onProgress?.(Math.min(total, mainBytes + Atomics.load(cells, CELL.kib) * 1024), total);
    },
  });
  mergeReport(report, await main.drain(claim));

  // Then commit what the other lanes hand over until they are done.
  let finished = false;
  const all = Promise.all(others).then((parts) => {
    finished = true;
    wake?.();
    return parts;
  });
  while (!finished || inbox.length > 0) {
    await commitInbox();
    if (!finished) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
  for (const part of await all) mergeReport(report, part);
  options.onProgress?.(total, total);
  report.lanes = 1 + extra;
  report.durationMs = performance.now() - started;
  return report;
}

function extraLanes(options: SyncOptions, work: readonly Work[], total: number): number {
  const parallel = options.parallel;
  if (parallel === undefined || work.length < 2 || total < (parallel.fromBytes ?? PARALLEL_FROM_BYTES)) return 0;
  return Math.max(0, Math.min((parallel.maxLanes ?? availableParallelism()) - 1, work.length - 1));
}
