import { parentPort, workerData } from 'node:worker_threads';
import { budgetGuard, type Crossing } from '../budgets/guard.js';
import type { Thresholds } from '../budgets/ladder.js';
import type { Weekday } from '../core/calendar.js';
import { ZoneClock } from '../core/zone-clock.js';
import { openLedger, type LedgerLocation } from '../ledger/open-ledger.js';
import type { Recorder } from '../ledger/recorder.js';
import { PriceOverrides, type PriceOverrideConfig } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import type { PriceSource } from '../pricing/price-source.js';
import { SOURCES } from '../sources/index.js';
import { Lane } from '../sync/lane.js';
import { toTransfer } from '../sync/report.js';
import { CELL, type LaneStart } from '../sync/sync.js';
import { withWriteLock } from '../sync/write-lock.js';

/** The budget check of every commit, as data: the thread builds the same check as the main one. */
export interface GuardSettings {
  timeZone: string;
  startOfWeek: Weekday;
  thresholds: Thresholds;
  /** The instant budget periods are placed at (the sync's start, on the main thread's clock). */
  nowMs: number;
}

/** What the main thread hands a sync lane running in this worker. */
export interface SyncWorkerData extends LaneStart {
  prices: Record<string, PriceOverrideConfig>;
  /** The main thread's price source, so every lane prices with the same data. */
  priceSource: PriceSource;
  location: LedgerLocation;
  /** The main thread's recorder: this thread's commits are the same user's and machine's. */
  recorder: Recorder;
  guard: GuardSettings;
}

/** The lane's report, and the budget levels its commits crossed. */
export interface SyncWorkerMessage {
  report: ReturnType<typeof toTransfer>;
  crossings: Crossing[];
}

const data = workerData as SyncWorkerData;
const cells = new Int32Array(data.shared);
const ledger = await openLedger(data.location, { recorder: data.recorder });
const crossings: Crossing[] = [];
const checks = [
  budgetGuard({ clock: new ZoneClock(data.guard.timeZone, { trusted: true }), startOfWeek: data.guard.startOfWeek, thresholds: data.guard.thresholds, now: () => data.guard.nowMs }, (crossing) =>
    crossings.push(crossing),
  ),
];
try {
  const lane = new Lane({
    sources: SOURCES,
    namespace: data.namespace,
    pricer: new Pricer(new PriceOverrides(data.prices), data.priceSource),
    priceVersionId: data.priceVersionId,
    // The same commit as the main thread's, through this thread's own connection, one at a time.
    commit: (batches, wait) => withWriteLock(cells, CELL.lock, wait, () => ledger.commit(batches, checks)),
    batchSize: data.batchSize,
    progressed: (bytes) => Atomics.add(cells, CELL.kib, Math.round(bytes / 1024)),
    committedFiles: (files) => Atomics.add(cells, CELL.committedFiles, files),
  });
  const report = await lane.drain(() => data.work[Atomics.add(cells, CELL.next, 1)]);
  const message: SyncWorkerMessage = { report: toTransfer(report), crossings };
  parentPort?.postMessage(message);
} finally {
  await ledger.close();
}
