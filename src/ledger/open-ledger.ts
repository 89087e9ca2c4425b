import type { Ledger } from './ledger.js';
import { openSqliteLedger } from './engines/sqlite/index.js';

/** Where a ledger lives, in a form that can be handed to a worker thread and opened again there. */
export type LedgerLocation = { engine: 'sqlite'; path: string; /** How long a write waits for another writer (default 15 s). */ busyTimeoutMs?: number };

const ENGINES: { [E in LedgerLocation['engine']]: (location: Extract<LedgerLocation, { engine: E }>) => Ledger } = {
  sqlite: (location) => openSqliteLedger(location.path, location.busyTimeoutMs),
};

export function openLedger(location: LedgerLocation): Ledger {
  return ENGINES[location.engine](location);
}
