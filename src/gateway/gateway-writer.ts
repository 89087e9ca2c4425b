import { parentPort, workerData } from 'node:worker_threads';
import { TokenledgerError } from '../core/errors.js';
import { openLedger } from '../ledger/open-ledger.js';
import { type GatewayLedgerHandle, ladderCheck } from './ledger-writes.js';
import { runGathered } from './run-gathered.js';
import type { WriterCall, WriterData, WriterReply } from './writer-protocol.js';

// The gateway's SQLite writer: its own connection, so a write waiting on the ledger's lock blocks
// this thread and never the one serving requests. Calls are answered in order, one at a time
// (a gathered message's admissions in one transaction).
const data = workerData as WriterData;
const ledger = (await openLedger(data.location, { recorder: data.recorder })) as GatewayLedgerHandle;
const checks = [ladderCheck(data.ladder)];
const port = parentPort;
let queue: Promise<void> = Promise.resolve();

async function run(call: Exclude<WriterCall, { op: 'gathered' }>): Promise<unknown> {
  switch (call.op) {
    case 'commit':
      return ledger.commit([call.batch], checks);
    case 'admit':
      return ledger.admit(call.admission);
    case 'release':
      return ledger.releaseReservations(call.ids);
    case 'expire':
      return ledger.expireReservations(call.now);
    case 'close':
      await ledger.close();
      return undefined;
  }
}

const failed = (id: number, error: unknown): WriterReply => ({
  id,
  ok: false,
  message: error instanceof Error ? error.message : String(error),
  ...(error instanceof TokenledgerError ? { code: error.code } : {}),
});

port?.on('message', (call: WriterCall) => {
  queue = queue.then(async () => {
    if (call.op === 'gathered') {
      port.postMessage(await runGathered(ledger, call.calls, failed));
      return;
    }
    let reply: WriterReply;
    try {
      reply = { id: call.id, ok: true, value: await run(call) };
    } catch (error) {
      reply = failed(call.id, error);
    }
    port.postMessage(reply);
    if (call.op === 'close') port.close();
  });
});
port?.postMessage({ id: 0, ok: true, value: 'ready' } satisfies WriterReply);
