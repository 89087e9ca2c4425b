import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import { describeError, TokenledgerError } from '../../../core/errors.js';
import { describeLocation, type LedgerLocation } from '../../location.js';

export type PostgresLocation = Extract<LedgerLocation, { engine: 'postgres' }>;

/** How long one statement may run before the server cancels it, unless the URL says otherwise. */
export const STATEMENT_TIMEOUT_MS = 60_000;
/** How long opening a connection may take, unless the URL's `connect_timeout` (seconds) says otherwise. */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Memory a sort or hash of one statement may use before spilling to disk: reports group the
 * quarter-hour sums (about 110,000 rows at 1,000,000 events), which the server's default of 4 MB
 * sorts on disk (grouping them by quarter hour: 241 ms, with this 114 ms).
 */
export const WORK_MEM = '64MB';

/** int8 (counts, sums of integers), numeric (sum of int8): JS numbers, for this pool's queries only. */
const AS_NUMBER = new Set([20, 1700]);
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (AS_NUMBER.has(oid) && format !== 'binary' ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

/** URL options the engine reads itself (the rest is pg's connection string). */
const OWN_OPTIONS = ['sslmode', 'sslrootcert', 'statement_timeout', 'connect_timeout', 'schema', 'ssl', 'sslcert', 'sslkey'];

export interface PostgresSettings {
  config: pg.PoolConfig;
  /** The schema the ledger's tables live in. */
  schema: string;
}

/**
 * The pool configuration a location names: TLS from `sslmode` (disable, prefer and allow: no TLS,
 * since node-postgres cannot fall back; require: encrypted, unverified unless `sslrootcert` names
 * a CA; verify-ca: the CA is checked, not the host name; verify-full: both) and `sslrootcert` (a
 * CA file); `statement_timeout` (ms, default 60 s), `connect_timeout` (s), `schema` (default
 * `public`, `location.schema` first); `application_name=tokenledger`.
 */
export function postgresSettings(location: PostgresLocation): PostgresSettings {
  let url: URL;
  try {
    url = new URL(location.url);
  } catch {
    // The user's input is wrong, not the ledger: exit 2. The hint names the parts rather than
    // showing a URL, which messages redact.
    throw new TokenledgerError('BAD_ARGUMENT', `the ledger URL ${describeLocation(location)} cannot be parsed`, {
      hint: 'after postgres:// give the user (and password), then @, the host (and :port), then /database, and options after ?',
    });
  }
  const params = url.searchParams;
  const own = new Map(OWN_OPTIONS.map((name) => [name, params.get(name) ?? undefined]));
  for (const name of OWN_OPTIONS) params.delete(name);
  const schema = location.schema ?? own.get('schema') ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new TokenledgerError('LEDGER', `the schema name ${JSON.stringify(schema)} of ${describeLocation(location)} is not a plain identifier`, {
      hint: 'use letters, digits and underscores, starting with a letter',
    });
  }
  const statementTimeout = numberOption(location, own.get('statement_timeout'), 'statement_timeout', STATEMENT_TIMEOUT_MS);
  const connectTimeoutS = numberOption(location, own.get('connect_timeout'), 'connect_timeout', CONNECT_TIMEOUT_MS / 1000);
  const config: pg.PoolConfig = {
    connectionString: url.toString(),
    application_name: 'tokenledger',
    statement_timeout: statementTimeout,
    connectionTimeoutMillis: connectTimeoutS * 1000,
    options: `-c search_path=${schema} -c work_mem=${WORK_MEM}`,
    types: TYPES,
    max: 4,
    // Idle connections never keep a finished command's process alive.
    allowExitOnIdle: true,
    ssl: tlsOptions(location, own.get('sslmode') ?? (own.get('ssl') === 'true' ? 'require' : undefined), own.get('sslrootcert'), own.get('sslcert'), own.get('sslkey')),
  };
  return { config, schema };
}

function numberOption(location: PostgresLocation, given: string | undefined, name: string, fallback: number): number {
  if (given === undefined) return fallback;
  if (!/^\d{1,9}$/.test(given)) {
    throw new TokenledgerError('LEDGER', `the option ${name}=${given} of ${describeLocation(location)} is not a whole number`, {
      hint: `${name} is a number of ${name === 'connect_timeout' ? 'seconds' : 'milliseconds'}`,
    });
  }
  return Number(given);
}

function tlsOptions(location: PostgresLocation, mode: string | undefined, rootCert: string | undefined, cert: string | undefined, key: string | undefined): false | ConnectionOptions {
  const read = (path: string | undefined, what: string): string | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new TokenledgerError('LEDGER', `cannot read the ${what} ${path} named by ${describeLocation(location)}: ${describeError(error)}`, { hint: 'check the path in the URL' });
    }
  };
  const files = { ...optional('ca', read(rootCert, 'CA file (sslrootcert)')), ...optional('cert', read(cert, 'client certificate (sslcert)')), ...optional('key', read(key, 'client key (sslkey)')) };
  switch (mode ?? (rootCert === undefined ? 'disable' : 'verify-full')) {
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
      // As libpq: encrypted; checked against the CA only when one is named.
      return rootCert === undefined ? { ...files, rejectUnauthorized: false } : { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-ca':
      return { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ...files, rejectUnauthorized: true };
    default:
      throw new TokenledgerError('LEDGER', `sslmode=${mode} of ${describeLocation(location)} is not one of disable, allow, prefer, require, verify-ca, verify-full`, {
        hint: 'fix sslmode in the URL',
      });
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/**
 * A pool for the location. A connection that breaks (a server restart, a terminated backend) fails
 * the query it was running, or the next one; its error event is not also thrown at the process.
 */
export function connectPool(settings: PostgresSettings): pg.Pool {
  const pool = new pg.Pool(settings.config);
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}
