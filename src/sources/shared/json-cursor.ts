/**
 * Reads selected members of JSON held in a Buffer without building the rest. Long strings (tool
 * output, file contents) are jumped over with the native `indexOf`, so a transcript line costs a
 * few dozen steps whatever its size. Nothing is allocated per step: the position lives in `pos`,
 * and any malformed input sets `failed` (the caller then falls back to `JSON.parse`, which names
 * the exact problem).
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

export class JsonCursor {
  buf: Buffer = Buffer.alloc(0);
  end = 0;
  pos = 0;
  failed = false;
  /** Quoted bytes (quotes included) of the key `member()` last read. */
  keyStart = 0;
  keyEnd = 0;

  reset(buf: Buffer, start: number, end: number): void {
    this.buf = buf;
    this.end = end;
    this.pos = start;
    this.failed = false;
  }

  fail(): false {
    this.failed = true;
    this.pos = this.end;
    return false;
  }

  skipSpace(): void {
    const buf = this.buf;
    let i = this.pos;
    while (i < this.end) {
      const c = buf[i] as number;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
    this.pos = i;
  }

  /** True when only whitespace is left. */
  atEnd(): boolean {
    this.skipSpace();
    return this.pos === this.end;
  }

  /**
   * At an opening quote: moves past the closing quote. Inside a string a quote is always escaped,
   * so the next unescaped quote is its end: the search costs the string's length.
   */
  skipString(): boolean {
    const buf = this.buf;
    let j = this.pos + 1;
    for (;;) {
      const q = buf.indexOf(QUOTE, j);
      if (q === -1 || q >= this.end) return this.fail();
      let slashes = 0;
      while (buf[q - 1 - slashes] === BACKSLASH) slashes++;
      if (slashes % 2 === 0) {
        this.pos = q + 1;
        return true;
      }
      j = q + 1;
    }
  }

  /** At the first byte of any value: moves past it. */
  skipValue(): boolean {
    const buf = this.buf;
    const c = buf[this.pos];
    if (c === QUOTE) return this.skipString();
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      let depth = 0;
      while (this.pos < this.end) {
        const b = buf[this.pos] as number;
        if (b === QUOTE) {
          if (!this.skipString()) return false;
          continue;
        }
        if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
        else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
          depth--;
          if (depth === 0) {
            this.pos++;
            return true;
          }
        }
        this.pos++;
      }
      return this.fail();
    }
    const start = this.pos;
    while (this.pos < this.end) {
      const b = buf[this.pos] as number;
      if (b === COMMA || b === CLOSE_OBJECT || b === CLOSE_ARRAY || b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) break;
      this.pos++;
    }
    return this.pos > start || this.fail();
  }

  /** At `{`: enters the object. False (and no move) when the value is not an object. */
  openObject(): boolean {
    if (this.buf[this.pos] !== OPEN_OBJECT) return false;
    this.pos++;
    return true;
  }

  /**
   * Reads the next member's key and moves to its value; false when the object ends (moving past
   * its `}`) or is malformed (`failed` set). `first` is true for the first call on an object.
   */
  member(first: boolean): boolean {
    if (this.failed) return false;
    this.skipSpace();
    const buf = this.buf;
    if (buf[this.pos] === CLOSE_OBJECT) {
      this.pos++;
      return false;
    }
    if (!first) {
      if (buf[this.pos] !== COMMA) return this.fail();
      this.pos++;
      this.skipSpace();
    }
    if (buf[this.pos] !== QUOTE) return this.fail();
    this.keyStart = this.pos;
    if (!this.skipString()) return false;
    this.keyEnd = this.pos;
    this.skipSpace();
    if (buf[this.pos] !== COLON) return this.fail();
    this.pos++;
    this.skipSpace();
    return true;
  }

  isString(): boolean {
    return this.buf[this.pos] === QUOTE;
  }

  isObject(): boolean {
    return this.buf[this.pos] === OPEN_OBJECT;
  }

  /** The literal `true`. */
  isTrue(): boolean {
    return this.buf[this.pos] === 0x74;
  }

  /** At a string: its value (escapes decoded when there are any); moves past it. */
  readString(): string | undefined {
    const start = this.pos;
    if (!this.skipString()) return undefined;
    if (hasByte(this.buf, BACKSLASH, start + 1, this.pos - 1)) return JSON.parse(this.buf.toString('utf8', start, this.pos)) as string;
    return this.buf.toString('utf8', start + 1, this.pos - 1);
  }

  /** At a string without escapes: moves past it and returns true; else leaves `pos` unchanged. */
  plainString(): boolean {
    const start = this.pos;
    if (!this.skipString()) return false;
    if (hasByte(this.buf, BACKSLASH, start + 1, this.pos - 1)) {
      this.pos = start;
      return false;
    }
    return true;
  }

  /** At a non-negative integer without fraction or exponent: its value; else undefined (no move). */
  readInteger(): number | undefined {
    const buf = this.buf;
    let j = this.pos;
    let value = 0;
    while (j < this.end) {
      const d = (buf[j] as number) - 0x30;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
      j++;
    }
    const after = buf[j];
    if (j === this.pos || j - this.pos > 15 || after === 0x2e || after === 0x65 || after === 0x45) return undefined;
    this.pos = j;
    return value;
  }

  /** Any value, through `JSON.parse` (for small or unusual values). */
  readValue(): unknown {
    const start = this.pos;
    if (!this.skipValue()) return undefined;
    try {
      return JSON.parse(this.buf.toString('utf8', start, this.pos));
    } catch {
      this.fail();
      return undefined;
    }
  }

  /**
   * A canonical UTC timestamp (`"2025-10-01T10:00:01.123Z"`) as epoch ms, moving past it; any
   * other form is undefined (no move) so the caller can read it as text.
   */
  readIsoUtc(): number | undefined {
    const buf = this.buf;
    const i = this.pos;
    if (this.end - i < 26 || buf[i + 25] !== QUOTE || buf[i + 24] !== 0x5a || buf[i + 20] !== 0x2e || buf[i + 11] !== 0x54) return undefined;
    const year = digits(buf, i + 1, 4);
    const month = digits(buf, i + 6, 2);
    const day = digits(buf, i + 9, 2);
    const hour = digits(buf, i + 12, 2);
    const minute = digits(buf, i + 15, 2);
    const second = digits(buf, i + 18, 2);
    const ms = digits(buf, i + 21, 3);
    if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) {
      return undefined;
    }
    this.pos = i + 26;
    return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  }
}

/**
 * Whether `byte` occurs in `buf[from, to)`. The search never looks past `to`: a string costs its
 * own length, whatever the size of the buffer around it (short ranges byte by byte, long ones
 * natively on a view of just that range).
 */
function hasByte(buf: Buffer, byte: number, from: number, to: number): boolean {
  if (to - from > 64) return buf.subarray(from, to).indexOf(byte) !== -1;
  for (let i = from; i < to; i++) if (buf[i] === byte) return true;
  return false;
}

function digits(buf: Buffer, at: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const d = (buf[at + k] as number) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Member names looked up by their bytes, so no key is ever decoded into a string.
 * `find` returns the name's index in the list, or -1.
 */
export class KeySet {
  readonly #keys: Buffer[];

  constructor(names: readonly string[]) {
    this.#keys = names.map((n) => Buffer.from(`"${n}"`, 'latin1'));
  }

  /** The index of the key the cursor last read, or -1. */
  find(c: JsonCursor): number {
    const buf = c.buf;
    const start = c.keyStart;
    const length = c.keyEnd - start;
    const second = buf[start + 1];
    outer: for (let k = 0; k < this.#keys.length; k++) {
      const key = this.#keys[k] as Buffer;
      if (key.length !== length || key[1] !== second) continue;
      for (let b = 2; b < length - 1; b++) if (key[b] !== buf[start + b]) continue outer;
      return k;
    }
    return -1;
  }
}

/**
 * Remembers the last string read at each slot so a value repeated on every line (session id,
 * working folder, model) is decoded once per file, not once per line.
 */
export class StringReuse {
  readonly #bytes: (Buffer | undefined)[] = [];
  readonly #values: string[] = [];

  /** At a string without escapes: its value, reusing the slot's last one if the bytes are equal. */
  read(slot: number, c: JsonCursor): string | undefined {
    const start = c.pos;
    if (!c.plainString()) return c.readString();
    const buf = c.buf;
    const length = c.pos - start;
    const previous = this.#bytes[slot];
    if (previous !== undefined && previous.length === length && buf.compare(previous, 0, length, start, c.pos) === 0) return this.#values[slot];
    const value = buf.toString('utf8', start + 1, c.pos - 1);
    this.#bytes[slot] = Buffer.from(buf.subarray(start, c.pos));
    this.#values[slot] = value;
    return value;
  }
}
