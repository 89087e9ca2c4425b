import { OtlpDecodeError } from './otlp-decode-error.js';

/**
 * The scalar and container fields of OTLP/JSON, each checked where it is read. A field that is absent
 * or null reads as its proto3 default. Errors name the field; `nested` prefixes the path of the object
 * or array element around it, so the receiver's message reads `resourceLogs[0].scopeLogs[1].logRecords[3].timeUnixNano: …`.
 */

export type JsonObject = Record<string, unknown>;

const NO_ITEMS: readonly unknown[] = [];
const UNSIGNED = /^[0-9]+$/;
const SIGNED = /^-?[0-9]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

export function fieldError(name: string, what: string): OtlpDecodeError {
  return new OtlpDecodeError(`${name}: ${what}`);
}

/** Rethrows `error` with `prefix` put before its path. */
export function nested(prefix: string, error: unknown): never {
  if (error instanceof OtlpDecodeError) throw new OtlpDecodeError(`${prefix}.${error.message}`);
  throw error;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}

export function objectField(value: unknown, name: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw fieldError(name, `expected an object, got ${shown(value)}`);
  return value as JsonObject;
}

export function arrayField(value: unknown, name: string): readonly unknown[] {
  if (value === undefined || value === null) return NO_ITEMS;
  if (!Array.isArray(value)) throw fieldError(name, `expected an array, got ${shown(value)}`);
  return value;
}

/** An element of an array field, which must be an object. */
export function itemObject(value: unknown, name: string, index: number): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fieldError(`${name}[${index}]`, `expected an object, got ${shown(value)}`);
  return value as JsonObject;
}

export function stringField(value: unknown, name: string): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  throw fieldError(name, `expected a string, got ${shown(value)}`);
}

export function boolField(value: unknown, name: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return false;
  throw fieldError(name, `expected true or false, got ${shown(value)}`);
}

/** A `fixed64` time: a decimal string (as the spec writes int64) or a non-negative integer number. */
export function timeField(value: unknown, name: string): bigint {
  if (typeof value === 'string' && UNSIGNED.test(value)) {
    const nanos = BigInt(value);
    if (nanos < 2n ** 64n) return nanos;
  } else if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 64) return BigInt(value);
  else if (value === undefined || value === null) return 0n;
  throw fieldError(name, `expected an unsigned 64-bit integer (a decimal string or a number), got ${shown(value)}`);
}

/** A signed or unsigned 64-bit integer as the nearest number: a decimal string or an integer number. */
export function int64Field(value: unknown, name: string, signed: boolean): number {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && (signed || value >= 0)) return value;
  } else if (typeof value === 'string') {
    if ((signed ? SIGNED : UNSIGNED).test(value)) return Number(value);
  } else if (value === undefined || value === null) return 0;
  throw fieldError(name, `expected ${signed ? 'a' : 'an unsigned'} 64-bit integer (a decimal string or a number), got ${shown(value)}`);
}

/** A double: a number, or the strings proto3 JSON allows (`"NaN"`, `"Infinity"`, `"-Infinity"`, a decimal). */
export function doubleField(value: unknown, name: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === 'NaN') return Number.NaN;
    const number = value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isNaN(number)) return number;
  } else if (value === undefined || value === null) return 0;
  throw fieldError(name, `expected a number, got ${shown(value)}`);
}

/** An enum: its number, or its name in `names` (proto3 JSON writes names; OTLP/JSON writes numbers). */
export function enumField(value: unknown, name: string, names: Readonly<Record<string, number>>): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && names[value] !== undefined) return names[value]!;
  if (value === undefined || value === null) return 0;
  throw fieldError(name, `expected an enum number, got ${shown(value)}`);
}

/** A `bytes` field as canonical base64 text (the protobuf decoder writes the same). */
export function bytesField(value: unknown, name: string): string {
  if (typeof value === 'string' && BASE64.test(value)) return Buffer.from(value, 'base64').toString('base64');
  if (value === undefined || value === null) return '';
  throw fieldError(name, `expected base64 text, got ${shown(value)}`);
}
