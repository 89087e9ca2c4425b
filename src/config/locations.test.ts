import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configPath, ledgerPath } from './locations.js';

const HOME = '/home/dev';

describe('ledgerPath', () => {
  it('prefers --db, then TOKENLEDGER_DB, then XDG_DATA_HOME, then ~/.local/share', () => {
    const env = { HOME, TOKENLEDGER_DB: '/env/ledger.db', XDG_DATA_HOME: '/xdg/data' };
    expect(ledgerPath('/flag/ledger.db', env)).toBe('/flag/ledger.db');
    expect(ledgerPath(undefined, env)).toBe('/env/ledger.db');
    expect(ledgerPath(undefined, { HOME, XDG_DATA_HOME: '/xdg/data' })).toBe('/xdg/data/tokenledger/ledger.db');
    expect(ledgerPath(undefined, { HOME })).toBe('/home/dev/.local/share/tokenledger/ledger.db');
  });

  it('ignores an empty flag or empty variables', () => {
    expect(ledgerPath('', { HOME, TOKENLEDGER_DB: '/env/ledger.db' })).toBe('/env/ledger.db');
    expect(ledgerPath(undefined, { HOME, TOKENLEDGER_DB: '', XDG_DATA_HOME: '' })).toBe('/home/dev/.local/share/tokenledger/ledger.db');
  });

  it('expands ~ with the environment’s HOME, at every level', () => {
    expect(ledgerPath('~/ledgers/a.db', { HOME })).toBe('/home/dev/ledgers/a.db');
    expect(ledgerPath(undefined, { HOME, TOKENLEDGER_DB: '~/b.db' })).toBe('/home/dev/b.db');
    expect(ledgerPath(undefined, { HOME, XDG_DATA_HOME: '~/data' })).toBe('/home/dev/data/tokenledger/ledger.db');
  });

  it('makes relative paths absolute from the working directory', () => {
    expect(ledgerPath('ledger.db', { HOME })).toBe(resolve('ledger.db'));
    expect(ledgerPath(undefined, { HOME, TOKENLEDGER_DB: 'rel/ledger.db' })).toBe(resolve('rel/ledger.db'));
  });

  it('keeps --db :memory: as is', () => {
    expect(ledgerPath(':memory:', { HOME })).toBe(':memory:');
  });

  it('falls back to the user’s home folder when HOME is unset', () => {
    expect(ledgerPath(undefined, {})).toBe(join(homedir(), '.local', 'share', 'tokenledger', 'ledger.db'));
  });
});

describe('configPath', () => {
  it('prefers --config, then TOKENLEDGER_CONFIG (both explicit), then XDG_CONFIG_HOME, then ~/.config', () => {
    const env = { HOME, TOKENLEDGER_CONFIG: '/env/config.json', XDG_CONFIG_HOME: '/xdg/config' };
    expect(configPath('/flag/config.json', env)).toEqual({ path: '/flag/config.json', explicit: true });
    expect(configPath(undefined, env)).toEqual({ path: '/env/config.json', explicit: true });
    expect(configPath(undefined, { HOME, XDG_CONFIG_HOME: '/xdg/config' })).toEqual({ path: '/xdg/config/tokenledger/config.json', explicit: false });
    expect(configPath(undefined, { HOME })).toEqual({ path: '/home/dev/.config/tokenledger/config.json', explicit: false });
  });

  it('ignores an empty flag or empty variables', () => {
    expect(configPath('', { HOME, TOKENLEDGER_CONFIG: '/env/config.json' })).toEqual({ path: '/env/config.json', explicit: true });
    expect(configPath(undefined, { HOME, TOKENLEDGER_CONFIG: '', XDG_CONFIG_HOME: '' })).toEqual({ path: '/home/dev/.config/tokenledger/config.json', explicit: false });
  });

  it('expands ~ with the environment’s HOME, at every level', () => {
    expect(configPath('~/my.json', { HOME }).path).toBe('/home/dev/my.json');
    expect(configPath('~', { HOME }).path).toBe('/home/dev');
    expect(configPath(undefined, { HOME, TOKENLEDGER_CONFIG: '~/env.json' }).path).toBe('/home/dev/env.json');
    expect(configPath(undefined, { HOME, XDG_CONFIG_HOME: '~/cfg' }).path).toBe('/home/dev/cfg/tokenledger/config.json');
  });

  it('makes relative paths absolute from the working directory', () => {
    expect(configPath('conf/tl.json', { HOME }).path).toBe(resolve('conf/tl.json'));
  });

  it('falls back to the user’s home folder when HOME is unset', () => {
    expect(configPath(undefined, {}).path).toBe(join(homedir(), '.config', 'tokenledger', 'config.json'));
  });
});

describe('in-memory ledger', () => {
  it('treats TOKENLEDGER_DB=:memory: like --db :memory:', () => {
    expect(ledgerPath(undefined, { HOME: '/h', TOKENLEDGER_DB: ':memory:' })).toBe(':memory:');
  });
});
