import { OtlpDecodeError } from './otlp-decode-error.js';

/** The protobuf wire types. */
export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const START_GROUP = 3;
export const END_GROUP = 4;
export const FIXED32 = 5;

const TWO_32 = 4294967296;
/** Deeper nesting than this (of values in values, or of groups) is refused rather than recursed into. */
export const MAX_DEPTH = 64;

/**
 * A cursor over one protobuf body. Every read is bounded by the end of the message being read (never
 * only by the end of the body), and anything that would cross it throws `OtlpDecodeError` with the
 * byte offset. Messages are read in place: a nested message is the range up to the end `len()` returns.
 */
export class WireReader {
  readonly bytes: Buffer;
  private readonly view: DataView;
  pos = 0;
  /** The field number and wire type of the tag `next()` read last. */
  field = 0;
  wireType = 0;
  private tagAt = 0;

  constructor(body: Uint8Array) {
    this.bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    this.view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  }

  /** Reads the next field's tag of the message ending at `end`; false at its end. */
  next(end: number): boolean {
    if (this.pos >= end) return false;
    this.tagAt = this.pos;
    const tag = this.varint(end);
    this.field = Math.floor(tag / 8);
    this.wireType = tag % 8;
    if (this.field === 0) throw this.error(this.tagAt, 'a field numbered 0');
    return true;
  }

  /** Throws unless the field just read has wire type `wireType` (`name` names the field in the message). */
  expect(wireType: number, name: string): void {
    if (this.wireType !== wireType) throw this.error(this.tagAt, `${name} (field ${this.field}) has wire type ${this.wireType}, expected ${wireType}`);
  }

  /** An unsigned varint as a number (exact below 2^53). */
  varint(end: number): number {
    const bytes = this.bytes;
    let pos = this.pos;
    if (pos < end) {
      const first = bytes[pos]!;
      if (first < 0x80) {
        this.pos = pos + 1;
        return first;
      }
    }
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw this.error(pos, 'a varint cut off by the end of its message');
      const b = bytes[pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
      scale *= 128;
    }
    throw this.error(this.pos, 'a varint longer than 10 bytes');
  }

  /** A varint `int64` (two's complement, 10 bytes when negative) as the nearest number. */
  int64(end: number): number {
    const bytes = this.bytes;
    const start = this.pos;
    let pos = start;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw this.error(pos, 'a varint cut off by the end of its message');
      const b = bytes[pos++]! & 0xff;
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28;
        hi = bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (b < 0x80) {
        this.pos = pos;
        return (hi | 0) * TWO_32 + (lo >>> 0);
      }
    }
    throw this.error(start, 'a varint longer than 10 bytes');
  }

  /** A `fixed64` as a bigint (times in nanoseconds). */
  fixed64Big(end: number): bigint {
    const at = this.take(8, end);
    return this.view.getBigUint64(at, true);
  }

  /** A `fixed64` as the nearest number (counts). */
  fixed64(end: number): number {
    const at = this.take(8, end);
    return this.view.getUint32(at + 4, true) * TWO_32 + this.view.getUint32(at, true);
  }

  /** An `sfixed64` as the nearest number. */
  sfixed64(end: number): number {
    const at = this.take(8, end);
    return this.view.getInt32(at + 4, true) * TWO_32 + this.view.getUint32(at, true);
  }

  double(end: number): number {
    const at = this.take(8, end);
    return this.view.getFloat64(at, true);
  }

  /** The end offset of the length-delimited field whose length comes next (its bytes start at `pos`). */
  len(end: number): number {
    const at = this.pos;
    const length = this.varint(end);
    const stop = this.pos + length;
    if (stop > end) throw this.error(at, `a field of ${length} bytes running past the end of its message (byte ${end})`);
    return stop;
  }

  string(end: number): string {
    const stop = this.len(end);
    const start = this.pos;
    this.pos = stop;
    return start === stop ? '' : this.bytes.toString('utf8', start, stop);
  }

  /** A `bytes` field as base64 text. */
  base64(end: number): string {
    const stop = this.len(end);
    const start = this.pos;
    this.pos = stop;
    return this.bytes.toString('base64', start, stop);
  }

  /** Skips the field whose tag was just read, of any wire type (a group up to its end tag). */
  skip(end: number, depth = 0): void {
    switch (this.wireType) {
      case VARINT:
        this.int64(end);
        return;
      case FIXED64:
        this.take(8, end);
        return;
      case LEN:
        this.pos = this.len(end);
        return;
      case FIXED32:
        this.take(4, end);
        return;
      case START_GROUP:
        this.skipGroup(end, depth);
        return;
      case END_GROUP:
        throw this.error(this.tagAt, `the end of group ${this.field}, which was never started`);
      default:
        throw this.error(this.tagAt, `wire type ${this.wireType}, which does not exist`);
    }
  }

  /** Skips a (deprecated) group: its fields up to the end tag of the same number. */
  private skipGroup(end: number, depth: number): void {
    if (depth >= MAX_DEPTH) throw this.error(this.tagAt, `groups nested deeper than ${MAX_DEPTH}`);
    const group = this.field;
    const at = this.tagAt;
    while (this.next(end)) {
      if (this.wireType === END_GROUP) {
        if (this.field !== group) throw this.error(this.tagAt, `the end of group ${this.field} inside group ${group}`);
        return;
      }
      this.skip(end, depth + 1);
    }
    throw this.error(at, `group ${group} not ended before the end of its message`);
  }

  /** An `OtlpDecodeError` that names the byte offset. */
  error(at: number, what: string): OtlpDecodeError {
    return new OtlpDecodeError(`protobuf body: ${what} at byte ${at}`);
  }

  private take(count: number, end: number): number {
    const at = this.pos;
    if (at + count > end) throw this.error(at, `a ${count}-byte field cut off by the end of its message (byte ${end})`);
    this.pos = at + count;
    return at;
  }
}
