import { TokenledgerError } from '../../../core/errors.js';

/** What a user can count on after a write failed: commits are whole, cursors move with them. */
const NOTHING_LOST = 'nothing was lost: what was committed stays, and the next sync resumes where the last commit ended';

/**
 * SQLite's failures a user can act on, told as the ledger's errors (naming the file and what to
 * do); anything else is returned as it is. `waitedMs` is how long the write waited for the lock.
 */
export function storeError(error: unknown, path: string, waitedMs: number): unknown {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return error;
  if (code.startsWith('SQLITE_BUSY')) {
    return new TokenledgerError('LEDGER_LOCKED', `the ledger ${path} is locked by another writer for more than ${Math.round(waitedMs / 1000)} s`, {
      hint: `another tokenledger (sync, watch, reprice) or another program is writing to it; run again once it is done (${NOTHING_LOST})`,
      cause: error,
    });
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new TokenledgerError('LEDGER_READ_ONLY', `the ledger ${path} can only be read here (its file or folder cannot be written)`, {
      hint: 'reports work as they are; to record or change anything, run where the ledger can be written, or point --db at a copy',
      cause: error,
    });
  }
  if (code === 'SQLITE_FULL') {
    return new TokenledgerError('DISK_FULL', `the disk holding the ledger ${path} is full`, {
      hint: `free some space and run again (${NOTHING_LOST})`,
      cause: error,
    });
  }
  return error;
}
