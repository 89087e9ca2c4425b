import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setImmediate } from 'node:timers/promises';
import { describeError } from '../core/errors.js';
import type { Source } from '../core/source.js';
import type { CommitCheck, FileCursor, Ledger } from '../ledger/ledger.js';
import type { Pricer } from '../pricing/pricer.js';
import type { Env } from '../sources/shared/roots.js';
import { Lane } from './lane.js';
import { emptyReport, mergeReport, type SyncReport } from './report.js';
import { bytesToRead, findWork, findWorkAt, type Work } from './work.js';
import { withWriteLock } from './write-lock.js';

export type { SyncReport } from './report.js';

/**
 * Shared cells between lanes: the next work index, KiB read, the write lock (1 while held) and
 * the files whose reading is committed.
 */
export const CELL = { next: 0, kib: 1, lock: 2, committedFiles: 3 } as const;

/** What a lane in another thread is given: the work list, shared cells and how to price. */
export interface LaneStart {
  namespace: string;
  work: readonly Work[];
  shared: SharedArrayBuffer;
  batchSize: number;
  priceVersionId: number;
}

/**
 * Starts a lane in another thread. It reads, settles and prices files and commits them to the
 * ledger itself (its own connection, the same checks in every commit) under the write lock in
 * `shared`, and resolves with what it did.
 */
export type SpawnLane = (start: LaneStart) => Promise<SyncReport>;

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
  /**
   * Given, as the sync starts, a reader of how many files are read to their end and committed so
   * far (by every lane): what an interrupted sync has kept.
   */
  onStart?: (committedFiles: () => number) => void;
  /** Only these files (paths no source reads are ignored); absent means every source's folders. */
  only?: Iterable<string>;
}

const DEFAULT_BATCH = 5_000;
/** Below this much to read, a second thread costs more to start than it saves. */
const PARALLEL_FROM_BYTES = 128 * 1024 * 1024;

/**
 * Brings the ledger up to date with every source's files. Large syncs also read files in other
 * threads (lanes take files from one shared list), each lane committing what it read through the
 * same ledger code, one commit at a time.
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
  report.pendingTails.push(...unchangedTails(cursors, list.work));
  const total = bytesToRead(list.work);
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const priceVersionId = list.work.length === 0 ? 0 : await ledger.priceVersionId(options.pricer.versionLabel);

  const shared = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
  const cells = new Int32Array(shared);
  options.onStart?.(() => Atomics.load(cells, CELL.committedFiles));
  const claim = (): Work | undefined => list.work[Atomics.add(cells, CELL.next, 1)];

  // Every lane reads, settles, prices and commits its own files; a large sync runs lanes in other
  // threads too, and their commits take turns under one write lock while the others read.
  const others = otherLanes(options, list.work, total);
  let mainBytes = 0;
  const main = new Lane({
    sources: options.sources,
    namespace: options.namespace,
    pricer: options.pricer,
    priceVersionId,
    commit: async (batches, wait) => {
      const result = others === 0 ? await ledger.commit(batches, checks) : await withWriteLock(cells, CELL.lock, wait, () => ledger.commit(batches, checks));
      // Reading and committing never wait on the event loop by themselves; a turn of it after each
      // commit lets a signal handler (Ctrl-C) run between commits, not only once the sync is over.
      await setImmediate();
      return result;
    },
    batchSize,
    progressed: (bytes) => {
      mainBytes += bytes;
      options.onProgress?.(Math.min(total, mainBytes + Atomics.load(cells, CELL.kib) * 1024), total);
    },
    committedFiles: (files) => Atomics.add(cells, CELL.committedFiles, files),
  });
  const lanes: Promise<SyncReport>[] = [];
  for (let i = 0; i < others; i++) {
    const start: LaneStart = { namespace: options.namespace, work: list.work, shared, batchSize, priceVersionId };
    lanes.push(
      options.parallel!.spawn(start).catch((error: unknown) => {
        const failed = emptyReport();
        failed.drops.push({ path: '(sync thread)', line: 0, reason: `a sync thread failed; what it had not committed is read again next time: ${describeError(error)}` });
        return failed;
      }),
    );
  }
  mergeReport(report, await main.drain(claim));
  for (const part of await Promise.all(lanes)) mergeReport(report, part);
  options.onProgress?.(total, total);
  report.lanes = 1 + others;
  report.durationMs = performance.now() - started;
  return report;
}

/**
 * Files not read again because nothing changed, whose last line was still incomplete when they
 * were last read (their cursor stops short of their size): still pending.
 */
function unchangedTails(cursors: ReadonlyMap<string, FileCursor>, work: readonly Work[]): SyncReport['pendingTails'] {
  const reading = new Set(work.map((w) => w.file.path));
  const tails: SyncReport['pendingTails'] = [];
  for (const cursor of cursors.values()) {
    if (cursor.size > cursor.offset && !reading.has(cursor.path) && existsSync(cursor.path)) {
      tails.push({ path: cursor.path, bytes: cursor.size - cursor.offset, modifiedMs: cursor.mtimeMs });
    }
  }
  return tails;
}

/**
 * How many lanes a sync runs in other threads: none for a small sync (a thread costs more to
 * start than it saves), else one per core beside the main thread's, capped by `maxLanes` (the
 * main thread's lane included) and by the number of files.
 */
function otherLanes(options: SyncOptions, work: readonly Work[], total: number): number {
  const parallel = options.parallel;
  if (parallel === undefined || work.length < 2 || total < (parallel.fromBytes ?? PARALLEL_FROM_BYTES)) return 0;
  return Math.max(0, Math.min((parallel.maxLanes ?? availableParallelism()) - 1, work.length - 1));
}
