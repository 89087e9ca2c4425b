import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../../testing/fixture-ledger.js';
import { runCliOn } from '../../../testing/run-cli.js';
import { thrown } from '../../../testing/thrown.js';
import { openDatabase } from './open.js';

// SQLite-specific: opening files (foreign SQLite databases left untouched, WAL mode, unwritable folders).
let fx: FixtureLedger;
beforeEach(() => {
  fx = new FixtureLedger();
});
afterEach(() => fx.remove());

/** Another program's database, in SQLite's default (rollback journal) mode. */
function foreignDatabase(name: string, sql: string): string {
  const path = join(fx.dir, name);
  const db = new Database(path);
  db.exec(sql);
  db.close();
  return path;
}

const journalMode = (path: string): unknown => {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('journal_mode', { simple: true });
  } finally {
    db.close();
  }
};

describe('opening a file that is not a ledger', () => {
  it('refuses another program’s database naming it, and leaves it byte for byte as it was', () => {
    const path = foreignDatabase('other.db', 'CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES (1)');
    const before = readFileSync(path);
    const error = thrown(() => openDatabase(path));
    expect(error.message).toBe(`${path} is a SQLite database but not a tokenledger ledger; it was left as it is`);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(journalMode(path)).toBe('delete');
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses a database with a `meta` table of its own instead of adding the ledger’s tables to it', () => {
    for (const [name, sql] of [
      ['meta-kv.db', "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('owner', 'someone else')"],
      ['meta-other.db', 'CREATE TABLE meta (id INTEGER PRIMARY KEY, note TEXT)'],
    ]) {
      const path = foreignDatabase(name as string, sql as string);
      const before = readFileSync(path);
      expect(thrown(() => openDatabase(path)).message, name).toContain('is a SQLite database but not a tokenledger ledger');
      expect(readFileSync(path).equals(before), name).toBe(true);
    }
  });

  it('refuses an empty database another program has marked as its own (application id or user version)', () => {
    const path = foreignDatabase('marked.db', 'PRAGMA user_version = 7');
    const before = readFileSync(path);
    expect(thrown(() => openDatabase(path)).message).toContain('not a tokenledger ledger');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('is refused by a read-only report with exit 4, the file untouched', async () => {
    const path = foreignDatabase('other.db', 'CREATE TABLE t (a); INSERT INTO t VALUES (1)');
    const before = readFileSync(path);
    const r = await runCliOn(fx, ['daily', '--no-sync', '--db', path]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`tokenledger: ${path} is a SQLite database but not a tokenledger ledger`);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(journalMode(path)).toBe('delete');
  });
});

describe('opening a ledger', () => {
  it('creates a new one in WAL mode, and opens it again as a ledger', () => {
    openDatabase(fx.dbPath).close();
    expect(journalMode(fx.dbPath)).toBe('wal');
    const again = openDatabase(fx.dbPath);
    try {
      expect(again.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toMatch(/^\d+$/);
    } finally {
      again.close();
    }
  });
});

describe('a ledger in a folder that cannot be written', () => {
  // Tests run as root, where permission bits stop no write. procfs refuses to create any file, root's
  // included, so /proc stands for a folder the user cannot write.
  it('says the folder is not writable, not SQLITE_CANTOPEN, and creates nothing', async () => {
    const path = '/proc/tokenledger-ledger.db';
    expect(thrown(() => openDatabase(path)).message).toBe(`cannot create the ledger ${path}: the folder /proc is not writable`);
    const r = await runCliOn(fx, ['daily', '--no-sync', '--db', path]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`tokenledger: cannot create the ledger ${path}: the folder /proc is not writable`);
    expect(r.stderr).toContain('hint: pass --db PATH or set TOKENLEDGER_DB to a file in a folder you can write');
    expect(r.stderr).not.toContain('SQLITE_CANTOPEN');
    expect(existsSync(path)).toBe(false);
  });
});
