import { readFileSync } from 'node:fs';
import { describeError, TokenledgerError } from '../core/errors.js';
import { jsonErrorPlace } from '../core/json-error-place.js';
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
    throw notJson(location.path, text, error);
  }
  return { config: validateConfig(parsed, location.path), path: location.path, exists: true };
}

/** A config file that is not JSON: where it breaks (`path:line:column`), why, and the line itself. */
function notJson(path: string, text: string, error: unknown): TokenledgerError {
  const place = jsonErrorPlace(text);
  if (place === undefined) return new TokenledgerError('BAD_CONFIG', `${path} is not valid JSON: ${describeError(error)}`);
  return new TokenledgerError('BAD_CONFIG', `${path}:${place.line}:${place.column} is not valid JSON: ${place.reason}\n${place.excerpt}`);
}
