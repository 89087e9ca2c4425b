/**
 * The little of the protobuf wire format an OTLP metrics request needs: varints, fixed 64-bit
 * integers and doubles, and length-delimited fields (strings, nested messages, packed lists).
 */
export class ProtobufWriter {
  private buffer = new Uint8Array(1024);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** Field `field` as a nested message written by `write`, its length prefixed once known. */
  message(field: number, write: (w: ProtobufWriter) => void): void {
    const nested = new ProtobufWriter();
    write(nested);
    this.lengthDelimited(field, nested.bytes());
  }

  string(field: number, value: string): void {
    this.lengthDelimited(field, TEXT.encode(value));
  }

  /** A varint field (wire type 0): enums, bools, non-negative integers below 2^53. */
  varint(field: number, value: number): void {
    this.tag(field, 0);
    this.rawVarint(value);
  }

  /** A `fixed64` field (wire type 1). */
  fixed64(field: number, value: bigint): void {
    this.tag(field, 1);
    this.reserve(8);
    this.view.setBigUint64(this.length, value, true);
    this.length += 8;
  }

  /** An `sfixed64` field (wire type 1): integers sent as `as_int`. */
  sfixed64(field: number, value: number): void {
    this.fixed64(field, BigInt.asUintN(64, BigInt(value)));
  }

  double(field: number, value: number): void {
    this.tag(field, 1);
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** A packed `repeated fixed64`. */
  packedFixed64(field: number, values: readonly number[]): void {
    this.tag(field, 2);
    this.rawVarint(values.length * 8);
    this.reserve(values.length * 8);
    for (const v of values) {
      this.view.setBigUint64(this.length, BigInt(v), true);
      this.length += 8;
    }
  }

  /** A packed `repeated double`. */
  packedDouble(field: number, values: readonly number[]): void {
    this.tag(field, 2);
    this.rawVarint(values.length * 8);
    this.reserve(values.length * 8);
    for (const v of values) {
      this.view.setFloat64(this.length, v, true);
      this.length += 8;
    }
  }

  private lengthDelimited(field: number, bytes: Uint8Array): void {
    this.tag(field, 2);
    this.rawVarint(bytes.length);
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  private rawVarint(value: number): void {
    this.reserve(10);
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buffer[this.length++] = v;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}

const TEXT = new TextEncoder();
