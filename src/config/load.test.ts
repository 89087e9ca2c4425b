import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenledgerError } from '../core/errors.js';
import { loadConfig } from './load.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'tokenledger-config-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function write(relative: string, text: string): string {
  const path = join(home, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** The BAD_CONFIG error `load` throws. */
function failure(load: () => unknown): TokenledgerError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(TokenledgerError);
    expect((error as TokenledgerError).code).toBe('BAD_CONFIG');
    expect((error as TokenledgerError).exitCode).toBe(2);
    return error as TokenledgerError;
  }
  throw new Error('expected the config to be rejected');
}

describe('loadConfig', () => {
  it('gives defaults when the default file does not exist', () => {
    expect(loadConfig(undefined, { HOME: home })).toEqual({ config: { prices: {} }, path: join(home, '.config', 'tokenledger', 'config.json'), exists: false });
    expect(loadConfig(undefined, { HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') })).toEqual({
      config: { prices: {} },
      path: join(home, 'xdg', 'tokenledger', 'config.json'),
      exists: false,
    });
  });

  it('reads and validates the default file', () => {
    const path = write('.config/tokenledger/config.json', JSON.stringify({ timezone: 'UTC', startOfWeek: 'Monday', prices: { 'my-*': { input: 1, output: 2 } } }));
    expect(loadConfig(undefined, { HOME: home })).toEqual({
      config: { timezone: 'UTC', startOfWeek: 'monday', prices: { 'my-*': { input: 1, output: 2 } } },
      path,
      exists: true,
    });
  });

  it('reads --config before TOKENLEDGER_CONFIG before the default file, expanding ~', () => {
    write('.config/tokenledger/config.json', '{"timezone":"UTC"}');
    const fromEnv = write('env.json', '{"timezone":"Europe/Paris"}');
    write('flag.json', '{"timezone":"Asia/Tokyo"}');
    expect(loadConfig('~/flag.json', { HOME: home, TOKENLEDGER_CONFIG: fromEnv }).config.timezone).toBe('Asia/Tokyo');
    expect(loadConfig(undefined, { HOME: home, TOKENLEDGER_CONFIG: '~/env.json' })).toMatchObject({ config: { timezone: 'Europe/Paris' }, path: fromEnv, exists: true });
  });

  it('fails when a file named by --config or TOKENLEDGER_CONFIG does not exist', () => {
    const missing = join(home, 'missing.json');
    for (const load of [() => loadConfig(missing, { HOME: home }), () => loadConfig(undefined, { HOME: home, TOKENLEDGER_CONFIG: missing })]) {
      const error = failure(load);
      expect(error.message).toBe(`cannot read the config file ${missing}: it does not exist`);
      expect(error.hint).toBe('--config and TOKENLEDGER_CONFIG must name an existing JSON file');
    }
  });

  it('fails when the file cannot be read, even at the default place', () => {
    mkdirSync(join(home, '.config', 'tokenledger', 'config.json'), { recursive: true });
    expect(failure(() => loadConfig(undefined, { HOME: home })).message).toMatch(/^cannot read the config file .*config\.json: EISDIR/);
  });

  it('fails on invalid JSON, naming the file, the line and column, and showing the line with a caret', () => {
    const path = write('.config/tokenledger/config.json', '{\n  "timezone": "UTC",\n  "namespace" "team"\n}\n');
    expect(failure(() => loadConfig(undefined, { HOME: home })).message).toBe(
      `${path}:3:15 is not valid JSON: expected ':' after the property name, found '"'\n3 |   "namespace" "team"\n  |               ^`,
    );
    const empty = write('empty.json', '');
    expect(failure(() => loadConfig(empty, { HOME: home })).message).toContain(`${empty}:1:1 is not valid JSON: the text ends where a value should be`);
  });

  it('fails on a valid JSON file with bad settings, naming the file and the place', () => {
    const path = write('bad.json', JSON.stringify({ prices: { 'claude-*': { input: -3, output: 15 } } }));
    expect(failure(() => loadConfig(path, { HOME: home })).message).toBe(`${path}: prices["claude-*"].input must be a non-negative number of USD per million tokens, got -3`);
  });
});
