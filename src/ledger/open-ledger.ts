import type { Ledger } from './ledger.js';
import { openSqliteLedger } from './engines/sqlite/index.js';

/** Where a ledger lives, in a form that can be handed to a worker thread and opened again there. */
export type LedgerLocation = { engine: 'sqlite'; path: string };

const ENGINES: { [E in LedgerLocation['engine']]: (location: Extract<LedgerLocation, { engine: E }>) => Ledger } = {
  sqlite: (location) => openSqliteLedger(location.path),
};

export function openLedger(location: LedgerLocation): Ledger {
  return ENGINES[location.engine](location);
}
