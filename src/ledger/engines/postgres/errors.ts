import { describeError, TokenledgerError } from '../../../core/errors.js';
import { describeLocation } from '../../location.js';
import type { PostgresLocation } from './connect.js';

const NOTHING_LOST = 'nothing was half-written: each commit is whole or absent, and the next sync resumes where the last commit ended';

/** Network failures (refused, unknown host, reset, timed out) by Node's error code. */
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED']);

/** Server states that mean the connection is gone or was refused (admin shutdown, crash, too many clients, auth). */
const UNREACHABLE_STATES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300', '28000', '28P01', '3D000']);

/** Serialisation failure and deadlock: the commit is run again. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === '40001' || code === '40P01';
}

/**
 * PostgreSQL's and the network's failures a user can act on, told as the ledger's errors naming the
 * server (never the password); anything else is returned as it is.
 */
export function postgresError(error: unknown, location: PostgresLocation): unknown {
  if (error instanceof TokenledgerError || !(error instanceof Error)) return error;
  const where = describeLocation(location);
  const code = (error as { code?: unknown }).code;
  const message = redact(describeError(error), location);
  if (
    (typeof code === 'string' && (NETWORK.has(code) || UNREACHABLE_STATES.has(code))) ||
    /Connection terminated|timeout expired|connect ETIMEDOUT|Client has encountered a connection error|self[- ]signed|certificate|does not support SSL/i.test(error.message)
  ) {
    const auth = code === '28000' || code === '28P01';
    const hint = auth
      ? 'check the user and password in the URL (or the PGPASSWORD environment variable)'
      : code === '3D000'
        ? 'check the database name in the URL (the database must exist; the ledger creates only its schema and tables)'
        : `check the server is running and reachable, then run again (${NOTHING_LOST})`;
    return new TokenledgerError('LEDGER_UNREACHABLE', `cannot reach the ledger at ${where}: ${message}`, {
      hint,
      cause: error,
    });
  }
  if (code === '57014') {
    return new TokenledgerError('LEDGER_LOCKED', `a statement on the ledger at ${where} ran past its statement_timeout and was cancelled`, {
      hint: `another writer may hold a lock, or the server is overloaded; run again, or raise statement_timeout (milliseconds) in the URL (${NOTHING_LOST})`,
      cause: error,
    });
  }
  if (code === '55P03' || code === '40001' || code === '40P01') {
    return new TokenledgerError('LEDGER_LOCKED', `the ledger at ${where} stayed busy with other writers: ${message}`, { hint: `run again (${NOTHING_LOST})`, cause: error });
  }
  if (code === '53100') {
    return new TokenledgerError('DISK_FULL', `the disk of the ledger server ${where} is full`, { hint: `free some space on the server and run again (${NOTHING_LOST})`, cause: error });
  }
  if (code === '42501') {
    return new TokenledgerError('LEDGER_DENIED', `the ledger at ${where} refused: ${message}`, {
      hint: 'the role in the URL lacks a privilege it needs (see "A team ledger" in the README for the grants a writer and a reader need)',
      cause: error,
    });
  }
  if (code === '25006') {
    return new TokenledgerError('LEDGER_READ_ONLY', `the ledger at ${where} can only be read (a read-only server or transaction)`, {
      hint: 'reports work; write through the primary server',
      cause: error,
    });
  }
  return error;
}

/** The message without the URL's password, should the driver ever repeat it. */
function redact(message: string, location: PostgresLocation): string {
  let password: string | undefined;
  try {
    const url = new URL(location.url);
    password = url.password === '' ? (url.searchParams.get('password') ?? undefined) : decodeURIComponent(url.password);
  } catch {
    return message;
  }
  return password === undefined || password === '' ? message : message.replaceAll(password, '***');
}
