import type { AnyValue, Attributes, OtlpScope } from '../otlp-record.js';
import { arrayField, boolField, bytesField, doubleField, fieldError, int64Field, itemObject, type JsonObject, nested, objectField, stringField } from './json-fields.js';
import { newAttributes } from './proto-common.js';
import { MAX_DEPTH } from './wire-reader.js';

/**
 * The common messages in OTLP/JSON: AnyValue (`stringValue`, `boolValue`, `intValue`, `doubleValue`,
 * `arrayValue`, `kvlistValue`, `bytesValue`), KeyValue lists, Resource and InstrumentationScope. Each
 * field is read by its lowerCamelCase name, else by the proto's snake_case name.
 */

/** Reads a list of `KeyValue` into `into` (a null-prototype object); the last of repeated keys wins. */
export function readAttributes(list: unknown, name: string, into: Attributes, depth: number): void {
  const items = arrayField(list, name);
  for (let i = 0; i < items.length; i++) {
    const item = itemObject(items[i], name, i);
    let key: string;
    try {
      key = stringField(item.key, 'key');
    } catch (error) {
      nested(`${name}[${i}]`, error);
    }
    const value = item.value;
    if (!isValue(value)) throw fieldError(`${name}[${i}].value`, 'expected an AnyValue object');
    try {
      into[key] = anyValue(value, depth);
    } catch (error) {
      nested(`${name}[${i}].value`, error);
    }
  }
}

/** A fresh attributes object holding the list's `KeyValue`s. */
export function attributesOf(list: unknown, name: string): Attributes {
  const into = newAttributes();
  if (list !== undefined && list !== null) readAttributes(list, name, into, 0);
  return into;
}

/** Whether `value` may be read as an AnyValue: an object, or absent (an empty value). */
function isValue(value: unknown): value is JsonObject | undefined | null {
  return value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value));
}

function anyValue(v: JsonObject | undefined | null, depth: number): AnyValue {
  if (v === undefined || v === null) return null;
  let field: unknown;
  if ((field = v.stringValue ?? v.string_value) !== undefined) return stringField(field, 'stringValue');
  if ((field = v.intValue ?? v.int_value) !== undefined) return int64Field(field, 'intValue', true);
  if ((field = v.doubleValue ?? v.double_value) !== undefined) return doubleField(field, 'doubleValue');
  if ((field = v.boolValue ?? v.bool_value) !== undefined) return boolField(field, 'boolValue');
  if (depth >= MAX_DEPTH) throw fieldError('value', `values nested deeper than ${MAX_DEPTH}`);
  if ((field = v.arrayValue ?? v.array_value) !== undefined) {
    const array = objectField(field, 'arrayValue');
    const items = arrayField(array?.values, 'arrayValue.values');
    const values: AnyValue[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (!isValue(item)) throw fieldError(`arrayValue.values[${i}]`, 'expected an AnyValue object');
      try {
        values[i] = anyValue(item, depth + 1);
      } catch (error) {
        nested(`arrayValue.values[${i}]`, error);
      }
    }
    return values;
  }
  if ((field = v.kvlistValue ?? v.kvlist_value) !== undefined) {
    const kvlist = objectField(field, 'kvlistValue');
    const values = newAttributes();
    if (kvlist !== undefined) readAttributes(kvlist.values, 'kvlistValue.values', values, depth + 1);
    return values;
  }
  if ((field = v.bytesValue ?? v.bytes_value) !== undefined) return bytesField(field, 'bytesValue');
  return null;
}

/** A log record's `body` or any other single AnyValue field. */
export function anyValueField(value: unknown, name: string): AnyValue {
  if (!isValue(value)) throw fieldError(name, 'expected an AnyValue object');
  try {
    return anyValue(value, 0);
  } catch (error) {
    nested(name, error);
  }
}

/** The `resource` of a ResourceLogs or ResourceMetrics: its attributes. */
export function resourceOf(container: JsonObject): Attributes {
  const resource = objectField(container.resource, 'resource');
  if (resource === undefined) return newAttributes();
  try {
    return attributesOf(resource.attributes, 'attributes');
  } catch (error) {
    nested('resource', error);
  }
}

/** The `scope` of a ScopeLogs or ScopeMetrics: its name and version. */
export function scopeOf(container: JsonObject): OtlpScope {
  const scope = objectField(container.scope, 'scope');
  if (scope === undefined) return { name: '', version: '' };
  try {
    return { name: stringField(scope.name, 'name'), version: stringField(scope.version, 'version') };
  } catch (error) {
    nested('scope', error);
  }
}
