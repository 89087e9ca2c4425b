import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeError, TokenledgerError } from '../core/errors.js';

/** A Claude Code settings file as read: its JSON object, or an empty one when there is no file. */
export interface SettingsFile {
  path: string;
  exists: boolean;
  settings: Record<string, unknown>;
}

/** Reads a settings file; a file that is not a JSON object is refused, naming where it breaks. */
export function readSettings(path: string): SettingsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, exists: false, settings: {} };
    throw new TokenledgerError('IO', `cannot read ${path}: ${describeError(error)}`);
  }
  if (text.trim() === '') return { path, exists: true, settings: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TokenledgerError('BAD_INPUT', `${path}${jsonErrorPlace(text, error)} is not valid JSON: ${describeError(error)}; nothing was changed`, {
      hint: 'fix the file by hand (or move it away), then run the command again',
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenledgerError('BAD_INPUT', `${path} does not hold a JSON object; nothing was changed`, { hint: 'Claude Code settings are one JSON object' });
  }
  return { path, exists: true, settings: value as Record<string, unknown> };
}

/** `:line:column` of a JSON.parse error that names a position, else nothing. */
function jsonErrorPlace(text: string, error: unknown): string {
  const match = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (match === null) return '';
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  return `:${line}:${before.length - before.lastIndexOf('\n')}`;
}

/** The name of a backup of `path` taken at `now`: `<path>.tokenledger-backup-20251010T120000Z`. */
export function backupPath(path: string, now: number): string {
  return `${path}.tokenledger-backup-${new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}`;
}

/**
 * Writes `settings` (2-space JSON) in place of `path`, atomically: a reader sees the old file or
 * the new one, never half of one. An existing file is first copied to a backup (returned).
 */
export function writeSettings(file: SettingsFile, settings: Record<string, unknown>, now: number): string | undefined {
  const { path } = file;
  let backup: string | undefined;
  let mode: number | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    if (file.exists) {
      mode = statSync(path).mode & 0o7777;
      backup = backupPath(path, now);
      // Two changes within a second keep both backups.
      for (let n = 2; existsSync(backup); n++) backup = `${backupPath(path, now)}-${n}`;
      copyFileSync(path, backup);
    }
  } catch (error) {
    throw new TokenledgerError('IO', `cannot back up ${path}: ${describeError(error)}; nothing was changed`);
  }
  const temp = `${path}.tokenledger-${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(settings, null, 2)}\n`, { mode: mode ?? 0o644 });
    if (mode !== undefined) chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new TokenledgerError('IO', `cannot write ${path}: ${describeError(error)}${backup === undefined ? '' : ` (the backup ${backup} is the file as it was)`}`);
  }
  return backup;
}
