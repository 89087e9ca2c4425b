/**
 * Splits a Server-Sent Events stream into events as its bytes arrive, in chunks cut anywhere
 * (inside a line, between `\r` and `\n`, inside a UTF-8 character). A line lying inside one chunk is
 * decoded straight from it; only a line cut across chunks is joined first. `data` of events the
 * caller does not want is never decoded, and one event's data is bounded: past `maxEventBytes` it
 * is dropped (the event is still reported, with `oversized` set) rather than held.
 */
export interface SseEvent {
  /** The `event:` field; `message` when the event named none. */
  type: string;
  /** The `data:` lines joined by `\n` (empty when not wanted or oversized). */
  data: string;
  /** Byte offsets in the whole stream: the event's first field line and the byte after its blank line. */
  start: number;
  end: number;
  oversized: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const DATA = Buffer.from('data');
const EVENT = Buffer.from('event');

export const MAX_SSE_EVENT_BYTES = 8 * 1024 * 1024;

export class SseSplitter {
  readonly #wants: (type: string) => boolean;
  readonly #maxEventBytes: number;
  /** Offset in the stream of the current chunk's first byte. */
  #offset = 0;
  /** Pieces of a line cut across chunks. */
  #pieces: Buffer[] = [];
  #pieceBytes = 0;
  /** The previous chunk ended with `\r`: a leading `\n` belongs to that line end. */
  #pendingCr = false;
  #lineTooLong = false;
  #type = '';
  #data: string[] = [];
  #dataBytes = 0;
  #oversized = false;
  #hasData = false;
  /** Offset of the current line's first byte, and of the current event's first field line (-1: none yet). */
  #lineStart = 0;
  #fieldStart = -1;
  /** The offset just past the last blank line: everything before it forms whole events. */
  boundary = 0;

  constructor(wants: (type: string) => boolean = () => true, maxEventBytes = MAX_SSE_EVENT_BYTES) {
    this.#wants = wants;
    this.#maxEventBytes = maxEventBytes;
  }

  push(chunk: Buffer, each: (event: SseEvent) => void): void {
    const n = chunk.length;
    if (n === 0) return;
    let start = 0;
    if (this.#pendingCr) {
      // The last chunk ended with `\r`: its line ends here, with this `\n` when one follows.
      this.#pendingCr = false;
      start = chunk[0] === LF ? 1 : 0;
      this.#endLine(chunk, 0, 0, this.#offset + start, each);
    }
    let i = start;
    while (i < n) {
      const c = chunk[i];
      if (c !== LF && c !== CR) {
        i++;
        continue;
      }
      if (c === CR && i + 1 === n) {
        this.#piece(chunk.subarray(start, i));
        this.#pendingCr = true;
        this.#offset += n;
        return;
      }
      const next = c === CR && chunk[i + 1] === LF ? i + 2 : i + 1;
      this.#endLine(chunk, start, i, this.#offset + next, each);
      start = next;
      i = next;
    }
    if (start < n) this.#piece(chunk.subarray(start, n));
    this.#offset += n;
  }

  /** A line ended: its bytes are the held pieces, then `chunk[start, end)`. */
  #endLine(chunk: Buffer, start: number, end: number, after: number, each: (event: SseEvent) => void): void {
    if (this.#lineTooLong) {
      // The line was dropped as it arrived; it can only have been content.
      this.#lineTooLong = false;
      this.#oversized = true;
      this.#hasData = true;
      if (this.#fieldStart === -1) this.#fieldStart = this.#lineStart;
    } else if (this.#pieces.length > 0) {
      this.#piece(chunk.subarray(start, end));
      const line = Buffer.concat(this.#pieces, this.#pieceBytes);
      this.#pieces = [];
      this.#pieceBytes = 0;
      if (this.#lineTooLong) this.#endLine(chunk, 0, 0, after, each);
      else this.#line(line, 0, line.length, after, each);
    } else {
      this.#line(chunk, start, end, after, each);
    }
    this.#lineStart = after;
  }

  #piece(piece: Buffer): void {
    if (piece.length === 0 || this.#lineTooLong) return;
    // A line longer than any event may be is content, never usage: keep only that it was too long.
    if (this.#pieceBytes + piece.length > this.#maxEventBytes) {
      this.#lineTooLong = true;
      this.#pieces = [];
      this.#pieceBytes = 0;
      return;
    }
    this.#pieces.push(piece);
    this.#pieceBytes += piece.length;
  }

  #line(buf: Buffer, start: number, end: number, after: number, each: (event: SseEvent) => void): void {
    if (start === end) {
      if (this.#hasData) {
        each({ type: this.#type === '' ? 'message' : this.#type, data: this.#data.join('\n'), start: this.#fieldStart, end: after, oversized: this.#oversized });
      }
      this.#type = '';
      this.#data = [];
      this.#dataBytes = 0;
      this.#oversized = false;
      this.#hasData = false;
      this.#fieldStart = -1;
      this.boundary = after;
      return;
    }
    // A comment (keep-alive) is no part of the event after it.
    if (buf[start] === COLON) return;
    if (this.#fieldStart === -1) this.#fieldStart = this.#lineStart;
    // The field name ends at the first colon of the line (never searched past the line).
    let colon = start;
    while (colon < end && buf[colon] !== COLON) colon++;
    let value = colon < end ? colon + 1 : end;
    if (value < end && buf[value] === SPACE) value++;
    if (isField(buf, start, colon, DATA)) {
      this.#hasData = true;
      if (this.#oversized || !this.#wants(this.#type === '' ? 'message' : this.#type)) return;
      this.#dataBytes += end - value;
      if (this.#dataBytes > this.#maxEventBytes) {
        this.#oversized = true;
        this.#data = [];
        return;
      }
      this.#data.push(buf.toString('utf8', value, end));
    } else if (isField(buf, start, colon, EVENT)) {
      this.#type = buf.toString('utf8', value, end);
    }
  }
}

function isField(buf: Buffer, start: number, end: number, name: Buffer): boolean {
  return end - start === name.length && buf.compare(name, 0, name.length, start, end) === 0;
}
