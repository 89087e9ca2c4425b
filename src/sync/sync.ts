import { availableParallelism } from 'node:os';
import { describeError } from '../core/errors.js';
import type { Source } from '../core/source.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Pricer } from '../pricing/pricer.js';
import type { Env } from '../sources/shared/roots.js';
import { CommitLock } from './commit-lock.js';
import { Lane } from './lane.js';
import { emptyReport, mergeReport, type SyncReport } from './report.js';
import { bytesToRead, findWork, type Work } from './work.js';

export type { SyncReport } from './report.js';

/** Shared cells between lanes: [next work index, commit lock, KiB read]. */
export const CELL = { next: 0, lock: 1, kib: 2 } as const;

/** Starts a lane in another thread over the same work list and shared cells. */
export type SpawnLane = (work: readonly Work[], shared: SharedArrayBuffer, batchSize: number) => Promise<SyncReport>;

export interface SyncOptions {
  sources: readonly Source[];
  env: Env;
  ledger: Ledger;
  pricer: Pricer;
  /** Called as bytes are read; `total` is what this sync has to read. */
  onProgress?: (done: number, total: number) => void;
  /** Events per transaction (several small files share one). */
  batchSize?: number;
  /** Extra lanes in other threads for large syncs; absent means the main thread alone. */
  parallel?: { spawn: SpawnLane; maxLanes?: number; fromBytes?: number };
}

const DEFAULT_BATCH = 20_000;
/** Below this much to read, a second thread costs more to start than it saves. */
const PARALLEL_FROM_BYTES = 128 * 1024 * 1024;

/**
 * Brings the ledger up to date with every source's files. Large syncs read files in several lanes
 * (threads) that take files from one shared list and take turns committing.
 */
export async function sync(options: SyncOptions): Promise<SyncReport> {
  const started = performance.now();
  const list = findWork(options.sources, options.env, await options.ledger.cursors());
  const report = emptyReport();
  report.filesSeen = list.filesSeen;
  report.drops.push(...list.drops);
  const total = bytesToRead(list.work);
  const batchSize = options.batchSize ?? DEFAULT_BATCH;

  const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  const cells = new Int32Array(shared);
  const claim = (): Work | undefined => list.work[Atomics.add(cells, CELL.next, 1)];
  const extra = extraLanes(options, list.work, total);

  const others: Promise<SyncReport>[] = [];
  for (let i = 0; i < extra; i++) {
    others.push(
      options.parallel!.spawn(list.work, shared, batchSize).catch((error: unknown) => {
        const failed = emptyReport();
        failed.drops.push({ path: '(sync lane)', line: 0, reason: `a sync thread failed, its current file is read again next time: ${describeError(error)}` });
        return failed;
      }),
    );
  }
  let mainBytes = 0;
  const lane = new Lane({
    sources: options.sources,
    ledger: options.ledger,
    pricer: options.pricer,
    ...(extra > 0 ? { lock: new CommitLock(cells, CELL.lock) } : {}),
    batchSize,
    progressed: (bytes) => {
      mainBytes += bytes;
      const others = Atomics.load(cells, CELL.kib) * 1024;
      options.onProgress?.(Math.min(total, mainBytes + others), total);
    },
  });
  mergeReport(report, await lane.drain(claim));
  for (const part of await Promise.all(others)) mergeReport(report, part);
  report.lanes = 1 + extra;
  report.durationMs = performance.now() - started;
  return report;
}

function extraLanes(options: SyncOptions, work: readonly Work[], total: number): number {
  const parallel = options.parallel;
  if (parallel === undefined || work.length < 2 || total < (parallel.fromBytes ?? PARALLEL_FROM_BYTES)) return 0;
  return Math.max(0, Math.min((parallel.maxLanes ?? availableParallelism()) - 1, work.length - 1));
}
