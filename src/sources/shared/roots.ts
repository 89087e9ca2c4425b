import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Source } from '../../core/source.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Expands a leading `~` and makes the path absolute. */
export function expandHome(path: string, home: string = homedir()): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return resolve(home, path.slice(2));
  return resolve(path);
}

/**
 * The roots a source reads: each entry of its environment variable (comma-separated) when set,
 * else its defaults. Duplicates are removed, order is kept.
 */
export function sourceRoots(source: Source, env: Env, home: string = env.HOME ?? homedir()): string[] {
  const configured = env[source.rootsEnvVar];
  const roots =
    configured !== undefined && configured.trim() !== ''
      ? configured
          .split(',')
          .map((entry) => entry.trim())
          .filter((entry) => entry !== '')
          .map((entry) => expandHome(entry, home))
      : source.defaultRoots(home);
  return [...new Set(roots)];
}

/**
 * The roots a source's environment variable names that do not exist: folders the user asked for
 * that cannot be read (empty when the variable is unset, so missing defaults are not named).
 */
export function missingConfiguredRoots(source: Source, env: Env, home: string = env.HOME ?? homedir()): string[] {
  const configured = env[source.rootsEnvVar];
  if (configured === undefined || configured.trim() === '') return [];
  return sourceRoots(source, env, home).filter((root) => !existsSync(root));
}
