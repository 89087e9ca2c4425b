import { chmodSync, constants, copyFileSync, lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeError, TokenledgerError } from '../core/errors.js';
import { jsonErrorPlace } from '../core/json-error-place.js';
import { parseExactJson } from './exact-json.js';

/** A Claude Code settings file as read: its JSON object, or an empty one when there is no file. */
export interface SettingsFile {
  path: string;
  exists: boolean;
  settings: Record<string, unknown>;
  /** The file's text as read (undefined when there was none): a change by someone else is found by it. */
  text?: string;
  /** `settings`, or an edited copy, as the file's new text: numbers not ours keep their exact text. */
  serialize(settings: Record<string, unknown>): string;
}

const plainJson = (settings: Record<string, unknown>): string => `${JSON.stringify(settings, null, 2)}\n`;

/** Reads a settings file; a file that is not a JSON object is refused, naming where it breaks. */
export function readSettings(path: string): SettingsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, exists: false, settings: {}, serialize: plainJson };
    throw new TokenledgerError('IO', `cannot read ${path}: ${describeError(error)}`);
  }
  if (text.trim() === '') return { path, exists: true, settings: {}, text, serialize: plainJson };
  let value: unknown;
  let exact: ReturnType<typeof parseExactJson>;
  try {
    exact = parseExactJson(text);
    value = exact.value;
  } catch (error) {
    const place = jsonErrorPlace(text);
    const what = place === undefined ? `${path} is not valid JSON: ${describeError(error)}` : `${path}:${place.line}:${place.column} is not valid JSON: ${place.reason}`;
    throw new TokenledgerError('BAD_INPUT', `${what}; nothing was changed${place === undefined ? '' : `\n${place.excerpt}`}`, {
      hint: 'fix the file by hand (or move it away), then run the command again',
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenledgerError('BAD_INPUT', `${path} does not hold a JSON object; nothing was changed`, { hint: 'Claude Code settings are one JSON object' });
  }
  return { path, exists: true, settings: value as Record<string, unknown>, text, serialize: (settings) => `${exact.stringify(settings)}\n` };
}

/** The name of a backup of `path` taken at `now`: `<path>.tokenledger-backup-20251010T120000Z`. */
export function backupPath(path: string, now: number): string {
  return `${path}.tokenledger-backup-${new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}`;
}

/**
 * Writes `settings` (2-space JSON) in place of `path`, atomically: a reader sees the old file or
 * the new one, never half of one. An existing file is first copied to a backup of its own name
 * (returned). A symlinked file (dotfiles) has its target written, and the link kept. When the file
 * no longer holds what was read (an editor saved it meanwhile), nothing is written.
 */
export function writeSettings(file: SettingsFile, settings: Record<string, unknown>, now: number): string | undefined {
  const { path } = file;
  const target = linkTarget(path);
  let backup: string | undefined;
  let mode: number | undefined;
  try {
    mkdirSync(dirname(target), { recursive: true });
    if (file.exists) {
      mode = statSync(target).mode & 0o7777;
      backup = copyToNewBackup(path, now);
    }
  } catch (error) {
    throw new TokenledgerError('IO', `cannot back up ${path}: ${describeError(error)}; nothing was changed`);
  }
  // Beside the target, so that the rename stays on one file system.
  const temp = `${target}.tokenledger-${process.pid}.tmp`;
  try {
    writeFileSync(temp, file.serialize(settings), { mode: mode ?? 0o644 });
    if (mode !== undefined) chmodSync(temp, mode);
    unchangedSinceRead(file, target);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    if (backup !== undefined) rmSync(backup, { force: true });
    if (error instanceof TokenledgerError) throw error;
    throw new TokenledgerError('IO', `cannot write ${path}: ${describeError(error)}; nothing was changed`);
  }
  return backup;
}

/** The file a path finally names, following symlinks (also one whose target does not exist yet). */
function linkTarget(path: string): string {
  let current = path;
  for (let hops = 0; hops < 40; hops++) {
    try {
      if (!lstatSync(current).isSymbolicLink()) return current;
    } catch {
      return current;
    }
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw new TokenledgerError('IO', `cannot write ${path}: too many levels of symbolic links; nothing was changed`);
}

/** Copies the file to a backup name no one else has taken (concurrent installs each keep their own). */
function copyToNewBackup(path: string, now: number): string {
  for (let n = 1; ; n++) {
    const backup = n === 1 ? backupPath(path, now) : `${backupPath(path, now)}-${n}`;
    try {
      copyFileSync(path, backup, constants.COPYFILE_EXCL);
      return backup;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Refuses to replace a file whose text is no longer what the edit was made from. */
function unchangedSinceRead(file: SettingsFile, target: string): void {
  let now: string | undefined;
  try {
    now = readFileSync(target, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (now === file.text) return;
  throw new TokenledgerError('IO', `${file.path} was changed by something else while tokenledger was editing it; nothing was changed`, {
    hint: 'run the command again: it starts from the file as it is now',
  });
}
