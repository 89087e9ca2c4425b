import { readSync, type Stats } from 'node:fs';
import type { FileCursor } from '../ledger/ledger.js';

/** How many bytes before a cursor's offset identify the file's content there. */
const FINGERPRINT_BYTES = 64;

/** The bytes just before `offset`, base64: a file rewritten in place no longer matches them. */
export function fingerprintAt(fd: number, offset: number): string {
  const length = Math.min(FINGERPRINT_BYTES, offset);
  if (length === 0) return '';
  const buffer = Buffer.allocUnsafe(length);
  const read = readSync(fd, buffer, 0, length, offset - length);
  return buffer.subarray(0, read).toString('base64');
}

export interface StartPoint {
  offset: number;
  lineCount: number;
  state: unknown;
  /** Why the file is read from the start again, when it is. */
  restartReason: string | undefined;
}

/**
 * Where to resume an append-only file: after the cursor when the file is the same one and its
 * content up to the cursor is unchanged; from the start when it was replaced, shrank or rewritten.
 * Events are keyed, so reading again from the start never counts anything twice.
 */
export function startPoint(cursor: FileCursor | undefined, stat: Stats, fd: number): StartPoint {
  const fresh = (restartReason: string | undefined): StartPoint => ({ offset: 0, lineCount: 0, state: null, restartReason });
  if (cursor === undefined) return fresh(undefined);
  if (cursor.dev !== stat.dev || cursor.ino !== stat.ino) return fresh('file was replaced');
  if (stat.size < cursor.offset) return fresh('file shrank');
  if (fingerprintAt(fd, cursor.offset) !== cursor.fingerprint) return fresh('file was rewritten');
  return { offset: cursor.offset, lineCount: cursor.lineCount, state: cursor.state, restartReason: undefined };
}
