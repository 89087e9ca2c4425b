import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenledgerError } from '../../../core/errors.js';
import { LOCAL_RECORDER, type Recorder } from '../../recorder.js';
import { openDatabase, type Db } from './open.js';

/** A private copy of a ledger that cannot be written where it is, open for reading only. */
export interface ReadOnlySnapshot {
  db: Db;
  /** Removes the copy (after the connection is closed). */
  remove(): void;
}

/**
 * When opening the ledger at `path` failed because it cannot be written there (`failure`), reads
 * it through a copy: SQLite must write beside a WAL ledger even to read it, which a read-only
 * mount does not allow. The copy is identified and brought up to date like any ledger (another
 * program's file is still refused), then every write to it fails as LEDGER_READ_ONLY, so nothing
 * is ever recorded into a copy that would be thrown away. Undefined for any other failure.
 */
export function readOnlySnapshot(path: string, failure: unknown, recorder: Recorder = LOCAL_RECORDER): ReadOnlySnapshot | undefined {
  if (path === ':memory:' || !existsSync(path) || !cannotWrite(failure)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'tokenledger-read-only-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const copy = join(dir, 'ledger.db');
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    const db = openDatabase(copy, undefined, recorder);
    db.pragma('query_only = 1');
    return { db, remove };
  } catch (error) {
    remove();
    // Told about the ledger, not its copy (another program's file is still refused, by name).
    if (error instanceof TokenledgerError && error.code !== 'LEDGER_READ_ONLY') {
      throw new TokenledgerError(error.code, error.message.replaceAll(join(dir, 'ledger.db'), path), error.hint === undefined ? {} : { hint: error.hint });
    }
    return undefined;
  }
}

/** Whether opening failed because the ledger's file or folder cannot be written. */
function cannotWrite(failure: unknown): boolean {
  if (failure instanceof TokenledgerError && failure.code === 'LEDGER_READ_ONLY') return true;
  const cause = failure instanceof TokenledgerError ? (failure as { cause?: unknown }).cause : failure;
  const code = cause instanceof Error ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM');
}
