import type { LedgerLocation } from '../ledger/location.js';
import type { Recorder } from '../ledger/recorder.js';
import { directWrites, type GatewayLedgerHandle, type GatewayWrites } from './ledger-writes.js';
import { threadWrites, WRITER_SCRIPT } from './thread-writes.js';
import type { LadderSettings } from './writer-protocol.js';

/**
 * The gateway's writes for a ledger: a SQLite file gets a writer thread of its own (a write there
 * blocks the thread that makes it); PostgreSQL, and a SQLite ledger in memory (which only this
 * handle can see), are written through `ledger` itself.
 */
export async function openWrites(location: LedgerLocation, ledger: GatewayLedgerHandle, recorder: Recorder, ladder: LadderSettings, script: URL = WRITER_SCRIPT): Promise<GatewayWrites> {
  if (location.engine === 'sqlite' && location.path !== ':memory:') return threadWrites({ location, recorder, ladder }, script);
  return directWrites(ledger, ladder);
}
