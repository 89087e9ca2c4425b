import { parentPort, workerData } from 'node:worker_threads';
import { TokenledgerError } from '../core/errors.js';
import { openLedger } from '../ledger/open-ledger.js';
import { type GatewayLedgerHandle, ladderCheck } from './ledger-writes.js';
import type { WriterCall, WriterData, WriterReply } from './writer-protocol.js';

// The gateway's SQLite writer: its own connection, so a write waiting on the ledger's lock blocks
// this thread and never the one serving requests. Calls are answered in order, one at a time.
const data = workerData as WriterData;
const ledger = (await openLedger(data.location, { recorder: data.recorder })) as GatewayLedgerHandle;
const checks = [ladderCheck(data.ladder)];
const port = parentPort;
let queue: Promise<void> = Promise.resolve();

async function run(call: WriterCall): Promise<unknown> {
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

port?.on('message', (call: WriterCall) => {
  queue = queue.then(async () => {
    let reply: WriterReply;
    try {
      reply = { id: call.id, ok: true, value: await run(call) };
    } catch (error) {
      reply = { id: call.id, ok: false, message: error instanceof Error ? error.message : String(error), ...(error instanceof TokenledgerError ? { code: error.code } : {}) };
    }
    port.postMessage(reply);
    if (call.op === 'close') port.close();
  });
});
port?.postMessage({ id: 0, ok: true, value: 'ready' } satisfies WriterReply);
