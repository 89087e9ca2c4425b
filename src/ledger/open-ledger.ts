import type { Ledger } from './ledger.js';
import type { LedgerLocation } from './location.js';
import type { Recorder } from './recorder.js';

export type { LedgerLocation } from './location.js';

/** How a ledger is opened beyond where it lives. */
export interface OpenOptions {
  /** Who records through this ledger handle: events it writes carry them; its file cursors are this machine's. */
  recorder?: Recorder;
}

type Opener<L extends LedgerLocation> = (location: L, options: OpenOptions) => Promise<Ledger>;

/**
 * The ledger engines, by the engine a location names. An engine's code is loaded when a ledger of
 * it is opened, so a command on the embedded ledger never loads a network driver.
 */
const ENGINES: { [E in LedgerLocation['engine']]: Opener<Extract<LedgerLocation, { engine: E }>> } = {
  sqlite: async (location, options) => (await import('./engines/sqlite/index.js')).openSqliteLedger(location.path, location.busyTimeoutMs, options),
  postgres: async (location, options) => (await import('./engines/postgres/index.js')).openPostgresLedger(location, options),
};

export async function openLedger(location: LedgerLocation, options: OpenOptions = {}): Promise<Ledger> {
  const open = ENGINES[location.engine] as Opener<LedgerLocation>;
  return open(location, options);
}
