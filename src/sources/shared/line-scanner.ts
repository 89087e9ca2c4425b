import { readSync } from 'node:fs';

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
  /** Bytes read by this scan. */
  bytesRead: number;
  /** True when a handler paused the scan before the end of the file. */
  paused: boolean;
}

let shared = Buffer.allocUnsafe(INITIAL_BUFFER);

/**
 * Reads complete lines of an append-only file from `fromOffset` on. Lines without any marker are
 * checked for shape but not decoded; a last line without its newline is never consumed.
 *
 * Markers are searched over the raw bytes with `Buffer.indexOf` (a native scan), so a file whose
 * bulk is tool output is skimmed at memory speed and only the lines that can carry usage are parsed.
 */
export function scanLines(
  fd: number,
  fromOffset: number,
  linesBefore: number,
  markers: readonly Buffer[],
  handlers: ScanHandlers,
): ScanResult {
  let buffer = shared;
  let bufferOffset = fromOffset; // file offset of buffer[0]
  let filled = 0;
  let lineCount = linesBefore;
  let bytesRead = 0;

  for (;;) {
    if (filled === buffer.length) {
      const grown = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(grown, 0, 0, filled);
      buffer = grown;
      shared = grown;
    }
    const n = readSync(fd, buffer, filled, buffer.length - filled, bufferOffset + filled);
    if (n === 0) break;
    bytesRead += n;
    filled += n;

    const view = buffer.subarray(0, filled);
    let lineStart = 0;
    const next = markers.map((m) => view.indexOf(m, 0));
    let nextMarker = earliest(next);
    for (;;) {
      const newline = view.indexOf(NEWLINE, lineStart);
      if (newline === -1) break;
      lineCount += 1;
      let end = newline;
      if (end > lineStart && view[end - 1] === CARRIAGE_RETURN) end -= 1;
      if (nextMarker !== -1 && nextMarker < newline) {
        if (handlers.candidate(view, lineStart, end, lineCount) === true) {
          return { endOffset: bufferOffset + newline + 1, lineCount, pendingBytes: 0, bytesRead, paused: true };
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

  return { endOffset: bufferOffset, lineCount, pendingBytes: filled, bytesRead, paused: false };
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

function checkShape(view: Buffer, start: number, end: number, lineNumber: number, handlers: ScanHandlers): void {
  let first = start;
  while (first < end && isSpace(view[first] as number)) first += 1;
  if (first === end) return; // blank line
  let last = end - 1;
  while (last > first && isSpace(view[last] as number)) last -= 1;
  if (view[first] !== OPEN_BRACE || view[last] !== CLOSE_BRACE) {
    handlers.malformed(lineNumber, 'not a JSON object (truncated or corrupted line)');
  }
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === CARRIAGE_RETURN;
}
