import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenledgerError } from '../core/errors.js';
import { FixtureLedger } from '../testing/fixture-ledger.js';
import { runCliOn } from '../testing/run-cli.js';
import { ledgerLocation } from './locations.js';
import { validateConfig } from './schema.js';

const FILE = '/home/dev/.config/tokenledger/config.json';
const HOME = '/home/dev';

function problem(ledger: unknown): string {
  try {
    validateConfig({ ledger }, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(TokenledgerError);
    expect((error as TokenledgerError).code).toBe('BAD_CONFIG');
    return (error as TokenledgerError).message.slice(FILE.length + 2);
  }
  throw new Error(`expected ${JSON.stringify(ledger)} to be rejected`);
}

describe('the config setting "ledger"', () => {
  it('takes a file path (relative to the config file, ~ kept for the home folder) or a PostgreSQL URL', () => {
    expect(validateConfig({ ledger: '/data/ledger.db' }, FILE).ledger).toBe('/data/ledger.db');
    expect(validateConfig({ ledger: 'team.db' }, FILE).ledger).toBe('/home/dev/.config/tokenledger/team.db');
    expect(validateConfig({ ledger: '../ledgers/a.db' }, FILE).ledger).toBe('/home/dev/.config/ledgers/a.db');
    expect(validateConfig({ ledger: '~/ledger.db' }, FILE).ledger).toBe('~/ledger.db');
    expect(validateConfig({ ledger: 'postgres://tl@db.example:5432/team' }, FILE).ledger).toBe('postgres://tl@db.example:5432/team');
    expect(validateConfig({ ledger: 'postgresql:///team?host=/run/postgresql' }, FILE).ledger).toBe('postgresql:///team?host=/run/postgresql');
    // A password in the file is allowed (the README recommends PGPASSWORD or ~/.pgpass instead).
    expect(validateConfig({ ledger: 'postgres://tl:s3cret@db.example/team' }, FILE).ledger).toBe('postgres://tl:s3cret@db.example/team');
  });

  it('refuses what names no ledger, quoting no password', () => {
    expect(problem('')).toBe('ledger must be a SQLite file path or a postgres:// URL, got ""');
    expect(problem(5)).toBe('ledger must be a SQLite file path or a postgres:// URL, got 5');
    expect(problem({ url: 'x' })).toBe('ledger must be a SQLite file path or a postgres:// URL, got an object');
    expect(problem(':memory:')).toBe('ledger cannot be :memory: (a ledger that lasts one command): give that with --db');
    expect(problem('mysql://root:s3cret@db/team')).toContain('ledger names a kind of server tokenledger cannot keep its ledger on');
    const broken = problem('postgres://tl:s3cret@db.example:99999999/team');
    expect(broken).toBe('ledger is not a valid PostgreSQL URL (postgres://host:5432/database)');
    expect(broken).not.toContain('s3cret');
  });

  it('comes after --db and TOKENLEDGER_DB, before the default file', () => {
    const configured = '/config/ledger.db';
    expect(ledgerLocation('/flag.db', { HOME, TOKENLEDGER_DB: '/env.db' }, configured)).toEqual({ engine: 'sqlite', path: '/flag.db' });
    expect(ledgerLocation(undefined, { HOME, TOKENLEDGER_DB: '/env.db' }, configured)).toEqual({ engine: 'sqlite', path: '/env.db' });
    expect(ledgerLocation('', { HOME, TOKENLEDGER_DB: '' }, configured)).toEqual({ engine: 'sqlite', path: configured });
    expect(ledgerLocation(undefined, { HOME }, undefined)).toEqual({ engine: 'sqlite', path: '/home/dev/.local/share/tokenledger/ledger.db' });
    expect(ledgerLocation(undefined, { HOME }, 'postgresql://tl@db/team')).toEqual({ engine: 'postgres', url: 'postgresql://tl@db/team' });
    expect(ledgerLocation(undefined, { HOME }, '~/team.db')).toEqual({ engine: 'sqlite', path: '/home/dev/team.db' });
    expect(ledgerLocation('postgres://tl@db/team', { HOME }, '/config/ledger.db')).toEqual({ engine: 'postgres', url: 'postgres://tl@db/team' });
  });
});

describe('a command with the config setting "ledger"', () => {
  let ledger: FixtureLedger;
  let configFolder: string;
  beforeEach(() => {
    ledger = new FixtureLedger();
    configFolder = join(ledger.dir, 'config', 'tokenledger');
    mkdirSync(configFolder, { recursive: true });
    writeFileSync(join(configFolder, 'config.json'), JSON.stringify({ ledger: 'team.db' }));
  });
  afterEach(() => ledger.remove());

  it('keeps its ledger there when neither --db nor TOKENLEDGER_DB names one', async () => {
    expect((await runCliOn(ledger, ['budget', 'set', '5'], { env: { TOKENLEDGER_DB: '' } })).code).toBe(0);
    expect(existsSync(join(configFolder, 'team.db'))).toBe(true);
    expect(existsSync(ledger.dbPath)).toBe(false);
  });

  it('yields to TOKENLEDGER_DB and to --db', async () => {
    expect((await runCliOn(ledger, ['budget', 'set', '5'])).code).toBe(0);
    expect(existsSync(ledger.dbPath)).toBe(true);
    expect((await runCliOn(ledger, ['budget', 'set', '5', '--db', join(ledger.dir, 'flag.db')])).code).toBe(0);
    expect(existsSync(join(ledger.dir, 'flag.db'))).toBe(true);
    expect(existsSync(join(configFolder, 'team.db'))).toBe(false);
  });
});
