import { homedir } from 'node:os';
import { join } from 'node:path';
import { expandHome, type Env } from '../sources/shared/roots.js';

/** Claude Code's settings files: the user's, a project's shared one, a project's local one. */
export type SettingsScope = 'user' | 'project' | 'local';

/**
 * The settings file of a scope. The user's is `settings.json` in `CLAUDE_CONFIG_DIR` (its first
 * entry) when set, else `~/.claude`; a project's are under `<dir>/.claude/`.
 */
export function settingsPath(scope: SettingsScope, env: Env, projectDir: string, home?: string): string {
  if (scope === 'project') return join(projectDir, '.claude', 'settings.json');
  if (scope === 'local') return join(projectDir, '.claude', 'settings.local.json');
  const configured = env.CLAUDE_CONFIG_DIR?.split(',')
    .map((s) => s.trim())
    .find((s) => s !== '');
  const homeDir = home ?? (env.HOME || homedir());
  if (configured !== undefined) return join(expandHome(configured, homeDir), 'settings.json');
  return join(homeDir, '.claude', 'settings.json');
}
