import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describeError, TokenledgerError } from '../../core/errors.js';
import { removeStaleTemporaries, temporaryName } from './stale-temporaries.js';

const HINT = 'Check that the folder is writable; node_exporter reads *.prom files from its --collector.textfile.directory.';

/**
 * Replaces `path` with `text` so that a reader sees the old file or the new one, never half of one:
 * node_exporter may scrape at any moment. The text goes to a hidden temporary file beside `path`
 * (same folder, so the rename stays on one file system and is atomic), is flushed to disk, then
 * renamed over `path`. The temporary name starts with `.` and does not end in `.prom`, so the
 * textfile collector never reads it, and carries the pid and a random suffix so that two exports
 * writing at once do not share it. Temporary files of earlier writes that were killed are removed
 * first (see `removeStaleTemporaries`).
 */
export function writeTextfileAtomic(path: string, text: string): void {
  const folder = dirname(resolve(path));
  // The parent folder is created rather than refused: it is usually a fresh textfile directory that
  // the user just named, and a second step to create it would only be a chore.
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Node's own words for these ("EEXIST: file already exists, mkdir") hide that a file is in the way.
    const reason = code === 'EEXIST' || code === 'ENOTDIR' ? `a file is in the way (${code})` : describeError(error);
    throw new TokenledgerError('IO', `cannot create folder ${folder} for ${path}: ${reason}`, { hint: HINT, cause: error });
  }

  removeStaleTemporaries(folder, basename(path));
  const temporary = join(folder, temporaryName(basename(path), process.pid, randomBytes(6).toString('hex')));
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'wx');
    writeAll(fd, Buffer.from(text, 'utf8'));
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd);
    removeQuietly(temporary);
    throw new TokenledgerError('IO', `cannot write ${path}: ${describeError(error)}`, { hint: HINT, cause: error });
  }
  syncFolder(folder);
}

/** `writeSync` may write less than asked (a full disk, a signal): loop until all of it is down. */
function writeAll(fd: number, bytes: Buffer): void {
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
}

// The two below run while already failing: the first error is the one that matters.
function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // See above.
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // See above.
  }
}

/**
 * Makes the rename itself survive a crash. Best effort: the file is already in place, and some
 * systems (Windows) cannot open a folder for syncing.
 */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Not worth failing an export that did write its file.
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}
