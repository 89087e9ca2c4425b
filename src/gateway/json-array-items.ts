/**
 * Splits a JSON array arriving in chunks (Gemini's stream without `alt=sse`: `[{…},\r\n{…}]`) into
 * its items as each one completes, so a stream cut midway still yields the items before the cut.
 * Only the bytes of the item in progress are held, up to `maxItemBytes`; a larger item is skipped
 * (reported as undefined). Anything that is not an array of values yields nothing, never throws.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

export const MAX_ARRAY_ITEM_BYTES = 8 * 1024 * 1024;

export class JsonArrayItems {
  readonly #maxItemBytes: number;
  /** 0: before `[`; 1: inside the array; more: inside an item. */
  #depth = 0;
  #inString = false;
  #escaped = false;
  #pieces: Buffer[] = [];
  #pieceBytes = 0;
  #tooLarge = false;
  #failed = false;

  constructor(maxItemBytes = MAX_ARRAY_ITEM_BYTES) {
    this.#maxItemBytes = maxItemBytes;
  }

  /** Feeds a chunk; `each` gets every object item completed in it, parsed (undefined when unreadable). */
  push(chunk: Buffer, each: (item: unknown) => void): void {
    if (this.#failed) return;
    let itemStart = this.#depth > 1 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as number;
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === BACKSLASH) this.#escaped = true;
        else if (c === QUOTE) this.#inString = false;
        continue;
      }
      if (c === QUOTE) {
        this.#inString = true;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (this.#depth === 0 && c !== OPEN_ARRAY) {
          this.#failed = true;
          return;
        }
        if (this.#depth === 1) itemStart = i;
        this.#depth++;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        this.#depth--;
        if (this.#depth === 1 && itemStart !== -1) {
          this.#keep(chunk.subarray(itemStart, i + 1));
          each(this.#item());
          itemStart = -1;
        } else if (this.#depth < 1) {
          this.#depth = 0;
        }
      }
    }
    if (itemStart !== -1) this.#keep(chunk.subarray(itemStart));
  }

  #keep(piece: Buffer): void {
    if (this.#tooLarge) return;
    if (this.#pieceBytes + piece.length > this.#maxItemBytes) {
      this.#tooLarge = true;
      this.#pieces = [];
      this.#pieceBytes = 0;
      return;
    }
    this.#pieces.push(piece);
    this.#pieceBytes += piece.length;
  }

  #item(): unknown {
    const tooLarge = this.#tooLarge;
    const whole = this.#pieces.length === 1 ? (this.#pieces[0] as Buffer) : Buffer.concat(this.#pieces, this.#pieceBytes);
    this.#pieces = [];
    this.#pieceBytes = 0;
    this.#tooLarge = false;
    if (tooLarge) return undefined;
    try {
      return JSON.parse(whole.toString('utf8'));
    } catch {
      return undefined;
    }
  }
}
