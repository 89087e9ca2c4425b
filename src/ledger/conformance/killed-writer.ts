/**
 * A writer to kill mid-commit, run as its own process by crash.test.ts: opens the ledger at the
 * location given (JSON, first argument), commits `killedBatch()` with a check that, once the
 * commit's events are written and its transaction is still open, says `inside` on stdout and then
 * stops the process where it is, until the test kills it.
 */
import { writeSync } from 'node:fs';
import type { CommitCheck } from '../ledger.js';
import type { LedgerLocation } from '../location.js';
import { openLedger } from '../open-ledger.js';
import { killedBatch } from './killed-batch.js';

const location = JSON.parse(process.argv[2] ?? '') as LedgerLocation;
const ledger = await openLedger(location);
const priceVersionId = await ledger.priceVersionId('fixture prices');
const stop: CommitCheck = {
  reads: () => {
    writeSync(1, 'inside\n');
    // Blocks this thread (and so the transaction) for good: only a kill ends it.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    return [];
  },
  crossings: () => [],
};
await ledger.commit([killedBatch(priceVersionId)], [stop]);
