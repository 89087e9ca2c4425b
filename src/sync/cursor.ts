import { readSync, type Stats } from 'node:fs';
import { digest } from '../core/digest.js';
import type { FileCursor } from '../ledger/ledger.js';

/** How many bytes before a cursor's offset, and at the file's start, identify its content. */
const TAIL_BYTES = 64;
const HEAD_BYTES = 4096;

/**
 * What the file held up to `offset`, in short: a digest of its first 4 KiB and the 64 bytes just
 * before `offset`. A file rewritten in place no longer matches it.
 */
export function fingerprintAt(fd: number, offset: number): string {
  if (offset === 0) return '';
  const head = Buffer.allocUnsafe(Math.min(HEAD_BYTES, offset));
  const headRead = readSync(fd, head, 0, head.length, 0);
  const tail = Buffer.allocUnsafe(Math.min(TAIL_BYTES, offset));
  const tailRead = readSync(fd, tail, 0, tail.length, offset - tail.length);
  return `${digest(head.subarray(0, headRead))}:${tail.subarray(0, tailRead).toString('base64')}`;
}

export interface StartPoint {
  offset: number;
  lineCount: number;
  state: unknown;
  /** Why the file is read from the start again, when it is. */
  restartReason: string | undefined;
}

/**
 * Whether a file is, by its metadata, just as the cursor left it: same identity, size, modification
 * and change time. Such a file is neither read nor hashed again. (A cursor written before change
 * times were kept is judged without one.)
 */
export function untouchedSince(cursor: FileCursor, stat: Stats): boolean {
  return (
    cursor.dev === stat.dev &&
    cursor.ino === stat.ino &&
    cursor.size === stat.size &&
    cursor.mtimeMs === Math.trunc(stat.mtimeMs) &&
    (cursor.ctimeMs === undefined || cursor.ctimeMs === Math.trunc(stat.ctimeMs))
  );
}

/**
 * Where to resume a log file. Agents only append, so a file that grew is checked cheaply (its first
 * 4 KiB and the bytes just before the cursor) and read on from the cursor. A file written to without
 * growing (same size, a new modification or change time) was rewritten in place by something else:
 * any of the bytes already read may differ, so it is read again from the start, as is a file that
 * was replaced, shrank or fails the check. Events are keyed, so reading again never counts anything
 * twice; events whose lines have gone from the file stay in the ledger (usage once logged was billed).
 */
export function startPoint(cursor: FileCursor | undefined, stat: Stats, fd: number): StartPoint {
  const fresh = (restartReason: string | undefined): StartPoint => ({ offset: 0, lineCount: 0, state: null, restartReason });
  if (cursor === undefined) return fresh(undefined);
  if (cursor.dev !== stat.dev || cursor.ino !== stat.ino) return fresh('file was replaced');
  if (stat.size < cursor.offset) return fresh('file shrank');
  if (stat.size === cursor.size && !untouchedSince(cursor, stat)) return fresh('file was rewritten in place (same size, new time)');
  if (fingerprintAt(fd, cursor.offset) !== cursor.fingerprint) return fresh('file was rewritten');
  return { offset: cursor.offset, lineCount: cursor.lineCount, state: cursor.state, restartReason: undefined };
}
