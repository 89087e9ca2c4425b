import type { LoadedConfig } from '../config/load.js';
import { ledgerLocation, priceDataFolder } from '../config/locations.js';
import type { Ledger } from '../ledger/ledger.js';
import { type LedgerLocation, withBusyTimeout } from '../ledger/location.js';
import { openLedger } from '../ledger/open-ledger.js';
import type { Recorder } from '../ledger/recorder.js';
import { PriceOverrides } from '../pricing/overrides.js';
import { Pricer } from '../pricing/pricer.js';
import { choosePriceSource } from '../pricing/price-source.js';
import type { Env } from '../sources/shared/roots.js';
import { resolveRecorder } from './recorder.js';

/** The config, the ledger it names and the prices in force: what the CLI and the server both open. */
export interface App {
  loaded: LoadedConfig;
  location: LedgerLocation;
  ledger: Ledger;
  pricer: Pricer;
  /** Who records through this ledger (config `user` or `$USER@hostname`, this machine's id). */
  recorder: Recorder;
}

/** The prices in force: the config's overrides over the price data (downloaded, else bundled). */
export function openPricer(loaded: LoadedConfig, env: Env): Pricer {
  return new Pricer(new PriceOverrides(loaded.config.prices), choosePriceSource(priceDataFolder(env)));
}

/**
 * Opens the ledger `db` names (else `$TOKENLEDGER_DB`, the config's `ledger`, the default file)
 * with the prices in force. `note` hears a line about the machine id when it cannot be kept.
 * `busyTimeoutMs`, for a SQLite ledger: how long a write waits for another writer (a server that
 * must keep answering waits less than a sync). The caller closes `ledger`.
 */
export async function openApp(loaded: LoadedConfig, db: string | undefined, env: Env, note: (line: string) => void, busyTimeoutMs?: number): Promise<App> {
  const pricer = openPricer(loaded, env);
  const location = withBusyTimeout(ledgerLocation(db, env, loaded.config.ledger), busyTimeoutMs);
  const recorder = resolveRecorder(loaded.config.user, env, note);
  return { loaded, location, ledger: await openLedger(location, { recorder }), pricer, recorder };
}
