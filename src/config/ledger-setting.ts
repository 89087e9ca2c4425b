import { dirname, isAbsolute, resolve } from 'node:path';
import { parseLedgerLocation } from '../ledger/location.js';

/**
 * The config's `ledger`: where the ledger is when neither `--db` nor `TOKENLEDGER_DB` says, as they
 * would say it: a SQLite file, or a PostgreSQL server by a `postgres://` or `postgresql://` URL.
 * A relative path is taken from the config file's folder (`~/` stays for the user's home); `fail`
 * reports a value that names no ledger (never quoting it: a URL may hold a password).
 */
export function ledgerSetting(value: string, configFile: string, fail: (message: string) => never): string {
  if (value === ':memory:') return fail('cannot be :memory: (a ledger that lasts one command): give that with --db');
  if (parseLedgerLocation(value).engine === 'postgres') {
    if (!URL.canParse(value)) fail('is not a valid PostgreSQL URL (postgres://host:5432/database)');
    return value;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return fail('names a kind of server tokenledger cannot keep its ledger on: use a postgres:// or postgresql:// URL, or a file path');
  if (value === '~' || value.startsWith('~/') || isAbsolute(value)) return value;
  return resolve(dirname(configFile), value);
}
