/**
 * Hand-built protobuf bytes for decoder tests: each function returns one encoded field, and
 * `message` joins fields into a body. Enough of the wire format to write what no exporter sends
 * (unknown fields of every wire type, groups, wrong wire types, hostile keys, deep nesting).
 */
export type Bytes = number[];

function varintBytes(value: bigint): Bytes {
  let rest = BigInt.asUintN(64, value);
  const bytes: Bytes = [];
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

function tag(field: number, wireType: number): Bytes {
  return varintBytes(BigInt(field * 8 + wireType));
}

export function varint(field: number, value: number | bigint): Bytes {
  return [...tag(field, 0), ...varintBytes(BigInt(value))];
}

export function fixed64(field: number, value: bigint): Bytes {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, value));
  return [...tag(field, 1), ...bytes];
}

export function double(field: number, value: number): Bytes {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value);
  return [...tag(field, 1), ...bytes];
}

export function fixed32(field: number, value: number): Bytes {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return [...tag(field, 5), ...bytes];
}

/** A length-delimited field: a string (UTF-8), or the concatenated fields of a nested message. */
export function len(field: number, ...content: (string | Bytes)[]): Bytes {
  const bytes = content.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part)] : part));
  return [...tag(field, 2), ...varintBytes(BigInt(bytes.length)), ...bytes];
}

export function group(field: number, ...content: Bytes[]): Bytes {
  return [...tag(field, 3), ...content.flat(), ...tag(field, 4)];
}

export function message(...fields: Bytes[]): Uint8Array {
  return Uint8Array.from(fields.flat());
}
