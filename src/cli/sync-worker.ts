import { parentPort, workerData } from 'node:worker_threads';
import type { CommitBatch } from '../ledger/ledger.js';
import { PriceOverrides, type PriceOverrideConfig } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import { SOURCES } from '../sources/index.js';
import { Lane } from '../sync/lane.js';
import { toTransfer } from '../sync/report.js';
import { CELL, type LaneStart } from '../sync/sync.js';

/** What the main thread hands a sync lane running in this worker. */
export interface SyncWorkerData extends LaneStart {
  prices: Record<string, PriceOverrideConfig>;
}

/** Messages to the main thread: batches to commit, then the lane's report. */
export type SyncWorkerMessage = { batches: CommitBatch[] } | { report: ReturnType<typeof toTransfer> };

const data = workerData as SyncWorkerData;
const cells = new Int32Array(data.shared);
const post = (message: SyncWorkerMessage): void => parentPort?.postMessage(message);
const lane = new Lane({
  sources: SOURCES,
  namespace: data.namespace,
  pricer: new Pricer(new PriceOverrides(data.prices)),
  priceVersionId: data.priceVersionId,
  // The main thread alone writes the ledger: hand each batch over, then wait while the writer is
  // far behind, so what is read but not written stays bounded whatever the corpus.
  commit: async (batches) => {
    let events = 0;
    for (const b of batches) events += b.events.length;
    Atomics.add(cells, CELL.pending, events);
    post({ batches });
    for (let pending = Atomics.load(cells, CELL.pending); pending > data.maxPending; pending = Atomics.load(cells, CELL.pending)) {
      Atomics.wait(cells, CELL.pending, pending, 100);
    }
    return undefined;
  },
  batchSize: data.batchSize,
  progressed: (bytes) => Atomics.add(cells, CELL.kib, Math.round(bytes / 1024)),
});
const report = await lane.drain(() => data.work[Atomics.add(cells, CELL.next, 1)]);
post({ report: toTransfer(report) });
