import type { AnyValue, Attributes, OtlpScope } from '../otlp-record.js';
import { FIXED64, LEN, MAX_DEPTH, VARINT, type WireReader } from './wire-reader.js';

/**
 * The messages of `opentelemetry/proto/common/v1/common.proto` and `resource/v1/resource.proto` the
 * intake reads: AnyValue {1 string, 2 bool, 3 int64, 4 double, 5 ArrayValue, 6 KeyValueList, 7 bytes},
 * ArrayValue {1 values}, KeyValueList {1 values}, KeyValue {1 key, 2 value}, Resource {1 attributes},
 * InstrumentationScope {1 name, 2 version}. Other fields are skipped.
 */

/** A new attributes object: a null prototype, so a key like `__proto__` is an ordinary key. */
export function newAttributes(): Attributes {
  return Object.create(null) as Attributes;
}

/** Reads one `KeyValue` (its fields end at `end`) into `into`; the last of repeated keys wins. */
export function readKeyValue(r: WireReader, end: number, into: Attributes, depth: number): void {
  let key = '';
  let value: AnyValue = null;
  while (r.next(end)) {
    if (r.field === 1) {
      r.expect(LEN, 'KeyValue.key');
      key = r.string(end);
    } else if (r.field === 2) {
      r.expect(LEN, 'KeyValue.value');
      const stop = r.len(end);
      value = readAnyValue(r, stop, depth);
    } else r.skip(end);
  }
  into[key] = value;
}

/** Reads the `KeyValue` whose tag was just read (a repeated attributes field) into `into`. */
export function readAttribute(r: WireReader, end: number, into: Attributes, name: string): void {
  r.expect(LEN, name);
  const stop = r.len(end);
  readKeyValue(r, stop, into, 0);
}

/** Reads an `AnyValue` whose fields end at `end`: null when none is set. */
export function readAnyValue(r: WireReader, end: number, depth: number): AnyValue {
  if (depth >= MAX_DEPTH) throw r.error(r.pos, `values nested deeper than ${MAX_DEPTH}`);
  let value: AnyValue = null;
  while (r.next(end)) {
    switch (r.field) {
      case 1:
        r.expect(LEN, 'AnyValue.string_value');
        value = r.string(end);
        break;
      case 2:
        r.expect(VARINT, 'AnyValue.bool_value');
        value = r.varint(end) !== 0;
        break;
      case 3:
        r.expect(VARINT, 'AnyValue.int_value');
        value = r.int64(end);
        break;
      case 4:
        r.expect(FIXED64, 'AnyValue.double_value');
        value = r.double(end);
        break;
      case 5:
        r.expect(LEN, 'AnyValue.array_value');
        value = readArrayValue(r, r.len(end), depth + 1);
        break;
      case 6:
        r.expect(LEN, 'AnyValue.kvlist_value');
        value = readKeyValueList(r, r.len(end), depth + 1);
        break;
      case 7:
        r.expect(LEN, 'AnyValue.bytes_value');
        value = r.base64(end);
        break;
      default:
        r.skip(end);
    }
  }
  return value;
}

function readArrayValue(r: WireReader, end: number, depth: number): AnyValue[] {
  const values: AnyValue[] = [];
  while (r.next(end)) {
    if (r.field === 1) {
      r.expect(LEN, 'ArrayValue.values');
      const stop = r.len(end);
      values.push(readAnyValue(r, stop, depth));
    } else r.skip(end);
  }
  return values;
}

function readKeyValueList(r: WireReader, end: number, depth: number): Attributes {
  const values = newAttributes();
  while (r.next(end)) {
    if (r.field === 1) {
      r.expect(LEN, 'KeyValueList.values');
      const stop = r.len(end);
      readKeyValue(r, stop, values, depth);
    } else r.skip(end);
  }
  return values;
}

/** Reads a `Resource` (the tag just read) into `into`, which the records of that resource share. */
export function readResource(r: WireReader, end: number, into: Attributes, name: string): void {
  r.expect(LEN, name);
  const stop = r.len(end);
  while (r.next(stop)) {
    if (r.field === 1) readAttribute(r, stop, into, 'Resource.attributes');
    else r.skip(stop);
  }
}

/** Reads an `InstrumentationScope` (the tag just read) into `into`, which the records of that scope share. */
export function readScope(r: WireReader, end: number, into: OtlpScope, name: string): void {
  r.expect(LEN, name);
  const stop = r.len(end);
  while (r.next(stop)) {
    if (r.field === 1) {
      r.expect(LEN, 'InstrumentationScope.name');
      into.name = r.string(stop);
    } else if (r.field === 2) {
      r.expect(LEN, 'InstrumentationScope.version');
      into.version = r.string(stop);
    } else r.skip(stop);
  }
}
