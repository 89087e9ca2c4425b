import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describeError } from '../core/errors.js';
import type { Source } from '../core/source.js';
import type { CommitBatch, CommitCheck, FileCursor, Ledger } from '../ledger/ledger.js';
import type { Pricer } from '../pricing/pricer.js';
import type { Env } from '../sources/shared/roots.js';
import { addCommit, Lane } from './lane.js';
import { emptyReport, mergeReport, type SyncReport } from './report.js';
import { bytesToRead, findWork, findWorkAt, type Work } from './work.js';

export type { SyncReport } from './report.js';

/**
 * Shared cells between lanes: the next work index, KiB read, and events handed over to the writer
 * but not committed yet (reading threads wait while it is above `LaneStart.maxPending`).
 */
export const CELL = { next: 0, kib: 1, pending: 2 } as const;

/** What a lane in another thread is given: the work list, shared cells and how to price. */
export interface LaneStart {
  namespace: string;
  work: readonly Work[];
  shared: SharedArrayBuffer;
  batchSize: number;
  priceVersionId: number;
  /** Events handed over and not yet committed above which a reading thread waits for the writer. */
  maxPending: number;
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
/** Events a reading thread gathers before handing them over: small enough that writing starts early. */
const HANDOVER_EVENTS = 2_000;
/** The longest the writer holds what was handed over before committing it. */
const GROUP_WAIT_MS = 500;
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
  report.pendingTails.push(...unchangedTails(cursors, list.work));
  const total = bytesToRead(list.work);
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const priceVersionId = list.work.length === 0 ? 0 : await ledger.priceVersionId(options.pricer.versionLabel);

  const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  const cells = new Int32Array(shared);
  const claim = (): Work | undefined => list.work[Atomics.add(cells, CELL.next, 1)];

  const readers = readingThreads(options, list.work, total);
  if (readers === 0) {
    // A small sync: the main thread reads and writes alone.
    const main = new Lane({
      sources: options.sources,
      namespace: options.namespace,
      pricer: options.pricer,
      priceVersionId,
      commit: (batches) => ledger.commit(batches, checks),
      batchSize,
      progressed: (bytes) => options.onProgress?.(Math.min(total, (mainBytes += bytes)), total),
    });
    let mainBytes = 0;
    mergeReport(report, await main.drain(claim));
    return finish(report, 1, started, total, options);
  }

  // A large sync: reading threads read, settle and price files and hand batches over; the main
  // thread only writes. Whatever arrived while it wrote goes into its next transaction, so a busy
  // writer commits in large groups and an idle one commits as soon as anything arrives.
  const inbox: CommitBatch[] = [];
  let inboxEvents = 0;
  let wake: (() => void) | undefined;
  const lanes: Promise<SyncReport>[] = [];
  for (let i = 0; i < readers; i++) {
    const start: LaneStart = { namespace: options.namespace, work: list.work, shared, batchSize: Math.min(batchSize, HANDOVER_EVENTS), priceVersionId, maxPending: 2 * batchSize };
    const lane = options.parallel!.spawn(start, (batches) => {
      for (const b of batches) {
        inbox.push(b);
        inboxEvents += b.events.length;
      }
      if (inboxEvents >= batchSize) wake?.();
    });
    lanes.push(
      lane.catch((error: unknown) => {
        const failed = emptyReport();
        failed.drops.push({ path: '(sync thread)', line: 0, reason: `a sync thread failed; what it had not handed over is read again next time: ${describeError(error)}` });
        return failed;
      }),
    );
  }
  // Committed events no longer hold reading threads back (memory stays bounded on any corpus).
  const release = (group: readonly CommitBatch[]): void => {
    let events = 0;
    for (const b of group) events += b.events.length;
    Atomics.sub(cells, CELL.pending, events);
    Atomics.notify(cells, CELL.pending);
  };
  let finished = false;
  const all = Promise.all(lanes).then((parts) => {
    finished = true;
    wake?.();
    return parts;
  });
  while (!finished || inbox.length > 0) {
    if (inbox.length > 0 && (finished || inboxEvents >= batchSize)) {
      const n = groupSize(inbox, batchSize);
      const group = inbox.splice(0, n);
      for (const b of group) inboxEvents -= b.events.length;
      addCommit(report, await ledger.commit(group, checks));
      release(group);
      options.onProgress?.(Math.min(total, Atomics.load(cells, CELL.kib) * 1024), total);
      continue;
    }
    // Each transaction rewrites the index pages it touches: wait for a full group, or for a
    // moment at most, so what was read is committed soon while large syncs write in few commits.
    await new Promise<void>((resolve) => {
      wake = resolve;
      const timer = setTimeout(resolve, GROUP_WAIT_MS);
      timer.unref();
    });
    wake = undefined;
    if (!finished && inbox.length > 0 && inboxEvents < batchSize) {
      const group = inbox.splice(0, inbox.length);
      inboxEvents = 0;
      addCommit(report, await ledger.commit(group, checks));
      release(group);
    }
  }
  for (const part of await all) mergeReport(report, part);
  return finish(report, readers, started, total, options);
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

function finish(report: SyncReport, lanes: number, started: number, total: number, options: SyncOptions): SyncReport {
  options.onProgress?.(total, total);
  report.lanes = lanes;
  report.durationMs = performance.now() - started;
  return report;
}

/**
 * How many reading threads a sync uses: none for a small one (a thread costs more to start than
 * it saves), else one per core (at least two: the main thread then only writes), capped by
 * `maxLanes` and by the number of files.
 */
function readingThreads(options: SyncOptions, work: readonly Work[], total: number): number {
  const parallel = options.parallel;
  if (parallel === undefined || work.length < 2 || total < (parallel.fromBytes ?? PARALLEL_FROM_BYTES)) return 0;
  const wanted = parallel.maxLanes ?? Math.max(2, availableParallelism());
  return wanted < 2 ? 0 : Math.min(wanted, work.length);
}

/** How many batches of `inbox` make one transaction: whole batches, up to about `events` events. */
function groupSize(inbox: readonly CommitBatch[], events: number): number {
  let count = 0;
  let n = 0;
  while (n < inbox.length && (n === 0 || count < events)) count += (inbox[n++] as CommitBatch).events.length;
  return n;
}
