import { readSync } from 'node:fs';
import { completeRecords, holdsRecord } from './json-line.js';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const INITIAL_BUFFER = 1 << 20;

export interface ScanHandlers {
  /**
   * A complete line that contains at least one marker. `lineNumber` is 1-based. Returning true
   * pauses the scan after this line (the caller commits, then scans on from `endOffset`).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that never pauses returns nothing at all
  candidate(bytes: Buffer, start: number, end: number, lineNumber: number): boolean | void;
  /** A complete line that is not a JSON object (so it cannot be skipped safely). */
  malformed(lineNumber: number, reason: string): void;
}

export interface ScanResult {
  /** Offset just past the last complete line: where the next scan resumes. */
  endOffset: number;
  /** Lines consumed in total, counting those before `fromOffset`. */
  lineCount: number;
  /** Bytes of an incomplete last line, left for a later scan. */
  pendingBytes: number;
  /** True when a handler paused the scan before the end of the file. */
  paused: boolean;
}

let shared = Buffer.allocUnsafe(INITIAL_BUFFER);

/**
 * Reads complete lines of an append-only file from `fromOffset` on. Lines without any marker are
 * checked for shape but not decoded. A last line without its newline is consumed only when it
 * holds complete JSON records (a record cut mid-write never parses: an object closes at its last
 * byte), as in copies of finished sessions; anything else is left pending for a later scan. Bytes
 * appended later to a consumed last line continue that line (its newline, or a record written
 * after it), so nothing is read twice.
 *
 * Markers are searched over the raw bytes with `Buffer.indexOf` (a native scan), so a file whose
 * bulk is tool output is skimmed at memory speed and only the lines that can carry usage are parsed.
 */
export function scanLines(fd: number, fromOffset: number, linesBefore: number, markers: readonly Buffer[], handlers: ScanHandlers): ScanResult {
  let buffer = shared;
  let bufferOffset = fromOffset; // file offset of buffer[0]
  let filled = 0;
  let lineCount = linesBefore;
  // Resuming after a last line consumed without its newline: the first line read continues it.
  let continuing = fromOffset > 0 && !endsLine(fd, fromOffset);

  for (;;) {
    if (filled === buffer.length) {
      const grown = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(grown, 0, 0, filled);
      buffer = grown;
      shared = grown;
    }
    const n = readSync(fd, buffer, filled, buffer.length - filled, bufferOffset + filled);
    if (n === 0) {
      if (filled > 0 && completeRecords(buffer, 0, filled)) {
        if (!continuing) lineCount += 1;
        const found = markers.some((m) => buffer.subarray(0, filled).indexOf(m) !== -1);
        if (found) handlers.candidate(buffer, 0, filled, lineCount);
        bufferOffset += filled;
        filled = 0;
      }
      break;
    }
    filled += n;

    const view = buffer.subarray(0, filled);
    let lineStart = 0;
    const next = markers.map((m) => view.indexOf(m, 0));
    let nextMarker = earliest(next);
    for (;;) {
      const newline = view.indexOf(NEWLINE, lineStart);
      if (newline === -1) break;
      if (continuing) continuing = false;
      else lineCount += 1;
      let end = newline;
      if (end > lineStart && view[end - 1] === CARRIAGE_RETURN) end -= 1;
      if (nextMarker !== -1 && nextMarker < newline) {
        if (handlers.candidate(view, lineStart, end, lineCount) === true) {
          return { endOffset: bufferOffset + newline + 1, lineCount, pendingBytes: 0, paused: true };
        }
        nextMarker = advance(view, markers, next, newline + 1);
      } else {
        checkShape(view, lineStart, end, lineCount, handlers);
      }
      lineStart = newline + 1;
    }

    if (lineStart > 0) {
      buffer.copy(buffer, 0, lineStart, filled);
      filled -= lineStart;
      bufferOffset += lineStart;
    }
  }

  release();
  return { endOffset: bufferOffset, lineCount, pendingBytes: filled, paused: false };
}

/**
 * After an outlier (a line of tens of megabytes grows the buffer to hold it), the buffer goes back
 * to its usual size, so a long-running follower does not keep the outlier's memory.
 */
function release(): void {
  if (shared.length > INITIAL_BUFFER) shared = Buffer.allocUnsafe(INITIAL_BUFFER);
}

/** The size of the buffer scans read into (what a follower keeps between scans). */
export function scanBufferBytes(): number {
  return shared.length;
}

/**
 * Moves each marker's next position past `from` and returns the earliest. A marker already known
 * to be absent from the rest of the chunk (-1) is not searched again: each byte is scanned once
 * per marker, whatever the number of lines.
 */
function advance(view: Buffer, markers: readonly Buffer[], next: number[], from: number): number {
  for (let i = 0; i < markers.length; i++) {
    const at = next[i] as number;
    if (at !== -1 && at < from) next[i] = view.indexOf(markers[i] as Buffer, from);
  }
  return earliest(next);
}

function earliest(positions: readonly number[]): number {
  let best = -1;
  for (const at of positions) if (at !== -1 && (best === -1 || at < best)) best = at;
  return best;
}

/** Whether the byte before `offset` is a newline (the file's lines end there). */
function endsLine(fd: number, offset: number): boolean {
  const byte = Buffer.alloc(1);
  return readSync(fd, byte, 0, 1, offset - 1) === 1 && byte[0] === NEWLINE;
}

function checkShape(view: Buffer, start: number, end: number, lineNumber: number, handlers: ScanHandlers): void {
  let first = start;
  while (first < end && isSpace(view[first] as number)) first += 1;
  if (first === end) return; // blank line
  let last = end - 1;
  while (last > first && isSpace(view[last] as number)) last -= 1;
  if (view[first] !== OPEN_BRACE || view[last] !== CLOSE_BRACE) {
    // A complete record followed by a cut one still holds a record: only a line with none is dropped.
    if (view[first] === OPEN_BRACE && holdsRecord(view, first, end)) return;
    handlers.malformed(lineNumber, 'not a JSON object (truncated or corrupted line)');
  }
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === CARRIAGE_RETURN;
}
