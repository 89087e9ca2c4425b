import { parentPort, workerData } from 'node:worker_threads';
import { openLedger, type LedgerLocation } from '../ledger/open-ledger.js';
import { PriceOverrides, type PriceOverrideConfig } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import { SOURCES } from '../sources/index.js';
import { CommitLock } from '../sync/commit-lock.js';
import { Lane } from '../sync/lane.js';
import { toTransfer } from '../sync/report.js';
import { CELL } from '../sync/sync.js';
import type { Work } from '../sync/work.js';

/** What the main thread hands a sync lane running in this worker. */
export interface SyncWorkerData {
  work: Work[];
  shared: SharedArrayBuffer;
  batchSize: number;
  location: LedgerLocation;
  prices: Record<string, PriceOverrideConfig>;
}

const data = workerData as SyncWorkerData;
const cells = new Int32Array(data.shared);
const ledger = openLedger(data.location);
try {
  const lane = new Lane({
    sources: SOURCES,
    ledger,
    pricer: new Pricer(new PriceOverrides(data.prices)),
    lock: new CommitLock(cells, CELL.lock),
    batchSize: data.batchSize,
    progressed: (bytes) => Atomics.add(cells, CELL.kib, Math.round(bytes / 1024)),
  });
  const report = await lane.drain(() => data.work[Atomics.add(cells, CELL.next, 1)]);
  parentPort?.postMessage(toTransfer(report));
} finally {
  await ledger.close();
}
