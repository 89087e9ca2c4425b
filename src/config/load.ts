import { readFileSync } from 'node:fs';
import { describeError, TokenledgerError } from '../core/errors.js';
import type { Env } from '../sources/shared/roots.js';
import { configPath } from './locations.js';
import { validateConfig, type Config } from './schema.js';

export interface LoadedConfig {
  config: Config;
  /** The config file's location, whether or not it exists. */
  path: string;
  /** False when no file exists at `path` (defaults apply). */
  exists: boolean;
}

/** Reads and validates the config file; a missing default file means defaults. */
export function loadConfig(flag: string | undefined, env: Env): LoadedConfig {
  const location = configPath(flag, env);
  let text: string;
  try {
    text = readFileSync(location.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !location.explicit) return { config: { prices: {} }, path: location.path, exists: false };
    throw new TokenledgerError('BAD_CONFIG', `cannot read the config file ${location.path}: ${code === 'ENOENT' ? 'it does not exist' : describeError(error)}`, {
      hint: '--config and TOKENLEDGER_CONFIG must name an existing JSON file',
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TokenledgerError('BAD_CONFIG', `${location.path} is not valid JSON: ${describeError(error)}`);
  }
  return { config: validateConfig(parsed, location.path), path: location.path, exists: true };
}
