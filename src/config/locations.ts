import { homedir } from 'node:os';
import { join } from 'node:path';
import { expandHome, type Env } from '../sources/shared/roots.js';
import { digest } from '../core/digest.js';
import { describeLocation, parseLedgerLocation, type LedgerLocation } from '../ledger/location.js';

/** `--db PATH`, else `TOKENLEDGER_DB`, else the config's `ledger`, else `$XDG_DATA_HOME/tokenledger/ledger.db`. */
export function ledgerPath(flag: string | undefined, env: Env, configured?: string): string {
  const home = env.HOME ?? homedir();
  const given = [flag, env.TOKENLEDGER_DB, configured].find((value) => value !== undefined && value !== '');
  if (given !== undefined && /^postgres(ql)?:\/\//i.test(given)) return given;
  // `:memory:` is a ledger that lives only as long as the command (nothing is kept).
  if (given !== undefined && given !== '') return given === ':memory:' ? given : expandHome(given, home);
  return join(dataFolder(env), 'ledger.db');
}

/**
 * Where the ledger is: `--db`, else `TOKENLEDGER_DB`, else the config's `ledger` (`configured`), else
 * the SQLite file in the data folder; a `postgres://` or `postgresql://` URL names a server.
 */
export function ledgerLocation(flag: string | undefined, env: Env, configured?: string): LedgerLocation {
  return parseLedgerLocation(ledgerPath(flag, env, configured));
}

/** What names `location` again to a child process (in `TOKENLEDGER_DB`, never on its command line: a URL may hold a password). */
export function locationText(location: LedgerLocation): string {
  return location.engine === 'sqlite' ? location.path : location.url;
}

/**
 * Where state kept per ledger (a polled pane's position) goes: beside a SQLite ledger file, or in
 * the data folder under a name derived from a server ledger's address (its password aside).
 */
export function pollStateBase(location: LedgerLocation, env: Env): string {
  if (location.engine === 'sqlite') return location.path;
  return join(dataFolder(env), `server-${digest(describeLocation(location))}`);
}

/** `$XDG_DATA_HOME/tokenledger` (default `~/.local/share/tokenledger`): the user's data folder. */
export function dataFolder(env: Env): string {
  const home = env.HOME ?? homedir();
  return join(env.XDG_DATA_HOME ? expandHome(env.XDG_DATA_HOME, home) : join(home, '.local', 'share'), 'tokenledger');
}

/** Where `prices update` keeps the price data it fetched: `prices/` in the data folder. */
export function priceDataFolder(env: Env): string {
  return join(dataFolder(env), 'prices');
}

export interface ConfigLocation {
  path: string;
  /** True when the user named the file (flag or variable): then it must exist. */
  explicit: boolean;
}

/** `--config PATH`, else `TOKENLEDGER_CONFIG`, else `$XDG_CONFIG_HOME/tokenledger/config.json`. */
export function configPath(flag: string | undefined, env: Env): ConfigLocation {
  const home = env.HOME ?? homedir();
  if (flag !== undefined && flag !== '') return { path: expandHome(flag, home), explicit: true };
  if (env.TOKENLEDGER_CONFIG) return { path: expandHome(env.TOKENLEDGER_CONFIG, home), explicit: true };
  const base = env.XDG_CONFIG_HOME ? expandHome(env.XDG_CONFIG_HOME, home) : join(home, '.config');
  return { path: join(base, 'tokenledger', 'config.json'), explicit: false };
}
