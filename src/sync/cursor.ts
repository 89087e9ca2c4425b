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
