/**
 * Where a ledger lives, parsed once from what the user gave (`--db`, `TOKENLEDGER_DB`, config
 * `ledger`): a SQLite file, or a PostgreSQL server named by a `postgres://` or `postgresql://` URL.
 * A location is plain data, so it can be handed to a worker thread and opened again there.
 */
export type LedgerLocation =
  | {
      engine: 'sqlite';
      path: string;
      /** How long a write waits for another writer (default 15 s). */
      busyTimeoutMs?: number;
    }
  | {
      engine: 'postgres';
      /** The connection URL as given (it may hold a password: show it only through `describeLocation`). */
      url: string;
      /** The schema the ledger's tables live in (default `public`; tests use one each). */
      schema?: string;
    };

/** `location` with its writes waiting at most `busyTimeoutMs` for another writer, when it is a SQLite file and a wait is given. */
export function withBusyTimeout(location: LedgerLocation, busyTimeoutMs: number | undefined): LedgerLocation {
  return location.engine === 'sqlite' && busyTimeoutMs !== undefined ? { ...location, busyTimeoutMs } : location;
}

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** The location `given` names: a PostgreSQL URL, or else a SQLite file path (already expanded). */
export function parseLedgerLocation(given: string): LedgerLocation {
  if (POSTGRES_URL.test(given)) return { engine: 'postgres', url: given };
  return { engine: 'sqlite', path: given };
}

/**
 * The location as messages may show it: a file's path, or the server, port, database and user of
 * a URL, never its password (nor a `password` query parameter).
 */
export function describeLocation(location: LedgerLocation): string {
  if (location.engine === 'sqlite') return location.path;
  return describePostgresUrl(location.url) + (location.schema === undefined ? '' : ` (schema ${location.schema})`);
}

/** A PostgreSQL URL without its password. */
export function describePostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Too broken to parse: show only the scheme, since anything after it may be a secret.
    return `${url.slice(0, url.indexOf('://') + 3)}…`;
  }
  parsed.password = '';
  parsed.searchParams.delete('password');
  return parsed.toString();
}
