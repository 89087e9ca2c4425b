import { describeError, TokenledgerError } from '../../core/errors.js';
import type { Refusal } from './otlp-reply.js';

/**
 * Ledger faults that pass (a writer holding the lock, the server restarting, a full disk being
 * cleared), by how many seconds the exporter waits before retrying: answered 503, nothing recorded.
 */
const PASSING: Partial<Record<TokenledgerError['code'], number>> = {
  LEDGER_LOCKED: 1,
  LEDGER_UNREACHABLE: 5,
  DISK_FULL: 30,
  IO: 5,
};

/**
 * The answer to a request whose commit failed: 503 with `Retry-After` for a fault that passes (the
 * exporter retries; the dedup keys make the retry count once), else 500 with the one-line reason
 * (a ledger that cannot be written here, a fault of tokenledger's own).
 */
export function ledgerRefusal(error: unknown): Refusal {
  if (error instanceof TokenledgerError) {
    const retryAfterS = PASSING[error.code];
    if (retryAfterS !== undefined) return { status: 503, message: `the ledger cannot take it now (${error.code}): ${firstLine(error.message)}`, retryAfterS };
    return { status: 500, message: `the ledger refused it (${error.code}): ${firstLine(error.message)}` };
  }
  return { status: 500, message: `internal error: ${firstLine(describeError(error))}` };
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}
