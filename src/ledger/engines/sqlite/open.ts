import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeError, TokenledgerError } from '../../../core/errors.js';
import { LOCAL_RECORDER, type Recorder } from '../../recorder.js';
import { MIGRATIONS } from './migrations.js';
import { adoptRecorder } from './recorders.js';
import { storeError } from './store-error.js';

export type Db = Database.Database;

/** How long a write waits for another writer to let go of the ledger before giving up. */
export const BUSY_TIMEOUT_MS = 15_000;

/**
 * Opens (creating if needed) a ledger file and brings its schema up to date. The file is
 * identified before anything in it is changed: another program's database is refused untouched.
 */
export function openDatabase(path: string, busyTimeoutMs = BUSY_TIMEOUT_MS, recorder: Recorder = LOCAL_RECORDER): Db {
  if (path !== ':memory:') {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new TokenledgerError('LEDGER', `cannot create the folder of the ledger ${path}: ${describeError(error)}`, {
        hint: 'pass --db PATH or set TOKENLEDGER_DB to a writable location',
      });
    }
  }
  let db: Db | undefined;
  const isNew = path !== ':memory:' && !existsSync(path);
  try {
    db = new Database(path);
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    const found = identify(db);
    if (found === 'foreign') {
      throw new TokenledgerError('LEDGER', `${path} is a SQLite database but not a tokenledger ledger; it was left as it is`, { hint: 'point --db at another file' });
    }
    if (found !== 'empty') checkVersion(found, path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -32000');
    migrate(db, path, recorder);
  } catch (error) {
    db?.close();
    if (error instanceof TokenledgerError) throw error;
    const told = storeError(error, path, busyTimeoutMs);
    if (told instanceof TokenledgerError) throw told;
    if (isNew && (error as { code?: unknown }).code === 'SQLITE_CANTOPEN') {
      throw new TokenledgerError('LEDGER', `cannot create the ledger ${path}: the folder ${dirname(path)} is not writable`, {
        hint: 'pass --db PATH or set TOKENLEDGER_DB to a file in a folder you can write',
        cause: error,
      });
    }
    const reason = describeError(error);
    const notDb = /not a database|file is encrypted/i.test(reason);
    throw new TokenledgerError('LEDGER', `cannot open the ledger ${path}: ${notDb ? 'the file is not a tokenledger ledger (not a SQLite database)' : reason}`, {
      hint: notDb ? 'point --db at another file, or move this one away' : 'check the path and its permissions (--db PATH or TOKENLEDGER_DB)',
      cause: error,
    });
  }
  return db;
}

/**
 * What the file is, read without changing it: `empty` (nothing in it yet: a new ledger), the
 * schema version of a ledger (its `meta` table names one), or `foreign`.
 */
function identify(db: Db): number | 'empty' | 'foreign' {
  const objects = db.prepare('SELECT count(*) FROM sqlite_master').pluck().get() as number;
  if (objects === 0) {
    const marked = db.pragma('application_id', { simple: true }) !== 0 || db.pragma('user_version', { simple: true }) !== 0;
    return marked ? 'foreign' : 'empty';
  }
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  if (!hasMeta) return 'foreign';
  let value: unknown;
  try {
    value = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get();
  } catch {
    return 'foreign'; // a `meta` table of another shape
  }
  const version = typeof value === 'string' && /^[1-9]\d{0,5}$/.test(value) ? Number(value) : undefined;
  return version ?? 'foreign';
}

function checkVersion(current: number, path: string): void {
  if (current > MIGRATIONS.length) {
    throw new TokenledgerError('LEDGER', `the ledger ${path} was written by a newer tokenledger (schema ${current}, this one knows ${MIGRATIONS.length})`, {
      hint: 'upgrade tokenledger',
    });
  }
}

/** Runs the migrations a ledger lacks; rows from before recorders existed become `recorder`'s. */
function migrate(db: Db, path: string, recorder: Recorder): void {
  const version = (): number => {
    const found = identify(db);
    if (found === 'foreign') throw new TokenledgerError('LEDGER', `${path} is a SQLite database but not a tokenledger ledger`, { hint: 'point --db at another file' });
    return found === 'empty' ? 0 : found;
  };
  const before = version();
  checkVersion(before, path);
  if (before === MIGRATIONS.length) return;
  // A migration may rebuild a table others refer to (SQLite's documented 12-step way): foreign
  // keys are switched off for it, which only works outside a transaction, and checked before commit.
  const enforced = db.pragma('foreign_keys', { simple: true }) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    // Another process may be migrating too: decide again under the write lock.
    db.transaction(() => {
      const current = version();
      checkVersion(current, path);
      for (let next = current; next < MIGRATIONS.length; next++) db.exec(MIGRATIONS[next] as string);
      adoptRecorder(db, recorder);
      const broken = db.pragma('foreign_key_check') as { table: string }[];
      if (broken.length > 0) throw new Error(`the schema upgrade left ${broken.length} rows of ${broken[0]!.table} without their parent row`);
      db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(MIGRATIONS.length));
    }).immediate();
  } finally {
    if (enforced) db.pragma('foreign_keys = ON');
  }
}
