import type { IncomingHttpHeaders } from 'node:http';
import { decodedReader } from './encoded-body.js';
import { JsonBody } from './json-body.js';
import type { MeteredUsage, UsageReader } from './provider.js';
import { type SseEvent, SseSplitter } from './sse-lines.js';

/** How a provider reads one answer: its JSON body, or its event stream. */
export interface ResponseFormat {
  /** Usage from a whole JSON body (an object, or Gemini's array of stream chunks). */
  json(body: unknown): MeteredUsage | undefined;
  /** Reads an event stream; absent: streams are read as JSON too. */
  sse?(): StreamUsage;
}

/** Follows one event stream. */
export interface StreamUsage {
  /** The event types whose data it reads (others are never decoded). */
  wants(type: string): boolean;
  /**
   * Reads one event. Only when `strips`: false removes it from what the client gets, and a string
   * replaces it with the event `data: <string>` (for streams whose events are single data lines).
   */
  event(event: SseEvent): boolean | string;
  /** Whether some events may be removed (then a partial event is held until it is whole). */
  readonly strips: boolean;
  /** The usage read, once the stream ended. */
  end(complete: boolean): MeteredUsage | undefined;
}

/**
 * The reader of one upstream answer: an error status yields no usage; `text/event-stream` is
 * split into events; anything else is collected (bounded) and parsed as JSON at the end. An encoded
 * answer is read decoded, at its end (`encoded-body.ts`).
 */
export function readResponse(status: number, headers: IncomingHttpHeaders, format: ResponseFormat): UsageReader {
  if (status < 200 || status >= 300) return PASS;
  const sse = format.sse;
  if (sse !== undefined && isEventStream(headers)) return decodedReader(headers, () => new SseReader(sse()));
  return decodedReader(headers, () => new JsonReader(format));
}

/** Whether the answer is an event stream (`text/event-stream`). */
export function isEventStream(headers: IncomingHttpHeaders): boolean {
  return (headers['content-type'] ?? '').toLowerCase().startsWith('text/event-stream');
}

const PASS: UsageReader = {
  write: (chunk) => chunk,
  end: () => undefined,
};

class JsonReader implements UsageReader {
  readonly #body = new JsonBody();
  readonly #format: ResponseFormat;

  constructor(format: ResponseFormat) {
    this.#format = format;
  }

  write(chunk: Buffer): Buffer {
    this.#body.push(chunk);
    return chunk;
  }

  end(): MeteredUsage | undefined {
    const body = this.#body.value();
    if (body === undefined) return undefined;
    try {
      return this.#format.json(body);
    } catch {
      return undefined;
    }
  }
}

const EMPTY = Buffer.alloc(0);

class SseReader implements UsageReader {
  readonly #usage: StreamUsage;
  readonly #splitter: SseSplitter;
  /** Strip mode: bytes not yet given to the client, from stream offset `#sent`. */
  #held: Buffer[] = [];
  #sent = 0;
  /** Byte ranges of the stream to remove, each with what replaces it, if anything. */
  #cuts: [number, number, Buffer | undefined][] = [];
  #broken = false;

  constructor(usage: StreamUsage) {
    this.#usage = usage;
    this.#splitter = new SseSplitter((type) => usage.wants(type));
  }

  write(chunk: Buffer): Buffer {
    if (this.#broken) return chunk;
    const usage = this.#usage;
    try {
      if (!usage.strips) {
        this.#splitter.push(chunk, (event) => usage.event(event));
        return chunk;
      }
      this.#held.push(chunk);
      this.#splitter.push(chunk, (event) => {
        const kept = usage.event(event);
        if (kept === false) this.#cuts.push([event.start, event.end, undefined]);
        else if (typeof kept === 'string') this.#cuts.push([event.start, event.end, Buffer.from(`data: ${kept}\n\n`)]);
      });
      return this.#release();
    } catch {
      // A reader that failed reads nothing more; the client still gets every byte.
      this.#broken = true;
      return usage.strips ? this.#releaseAll() : chunk;
    }
  }

  /** The whole events held so far, minus the cut ones; a partial event stays held. */
  #release(): Buffer {
    const upTo = this.#splitter.boundary;
    if (upTo === this.#sent) return EMPTY;
    const out: Buffer[] = [];
    let at = this.#sent;
    const keep = (from: number, to: number): void => {
      // Copy out [from, to) of the held pieces, which start at stream offset `#sent`.
      let pieceStart = this.#sent;
      for (const piece of this.#held) {
        const pieceEnd = pieceStart + piece.length;
        const a = Math.max(from, pieceStart);
        const b = Math.min(to, pieceEnd);
        if (a < b) out.push(a === pieceStart && b === pieceEnd ? piece : piece.subarray(a - pieceStart, b - pieceStart));
        pieceStart = pieceEnd;
      }
    };
    for (const [from, to, replacement] of this.#cuts) {
      if (from > at) keep(at, from);
      if (replacement !== undefined) out.push(replacement);
      at = to;
    }
    if (upTo > at) keep(at, upTo);
    this.#cuts = [];
    this.#drop(upTo);
    return out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
  }

  /** Forgets the held bytes before stream offset `upTo`. */
  #drop(upTo: number): void {
    let pieceStart = this.#sent;
    const rest: Buffer[] = [];
    for (const piece of this.#held) {
      const pieceEnd = pieceStart + piece.length;
      if (pieceEnd > upTo) rest.push(pieceStart >= upTo ? piece : piece.subarray(upTo - pieceStart));
      pieceStart = pieceEnd;
    }
    this.#held = rest;
    this.#sent = upTo;
  }

  #releaseAll(): Buffer {
    const out = Buffer.concat(this.#held);
    this.#held = [];
    return out;
  }

  end(complete: boolean): MeteredUsage | undefined {
    if (this.#broken) return undefined;
    try {
      return this.#usage.end(complete);
    } catch {
      return undefined;
    }
  }
}
