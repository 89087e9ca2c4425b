/**
 * One of several writers at once, run as its own process by concurrency.test.ts: opens the ledger at
 * the location given (JSON, first argument), says `ready`, and once told `go` on stdin commits
 * writer `<n>`'s plan (second argument; `writerPlan`), one commit a batch, saying each result
 * (`result <json>`) and then `done`.
 */
import { writeSync } from 'node:fs';
import type { LedgerLocation } from '../location.js';
import { openLedger } from '../open-ledger.js';
import { writerPlan } from './shared-batches.js';

const location = JSON.parse(process.argv[2] ?? '') as LedgerLocation;
const writer = Number(process.argv[3]);
const ledger = await openLedger(location);
const say = (line: string) => writeSync(1, `${line}\n`);
const plan = writerPlan(writer, await ledger.priceVersionId('fixture prices'));
say('ready');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
for (const batch of plan) say(`result ${JSON.stringify(await ledger.commit([batch]))}`);
await ledger.close();
say('done');
process.stdin.destroy();
