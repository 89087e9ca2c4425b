import type { RecordSink } from '../../core/source.js';
import { JsonCursor } from './json-cursor.js';

/**
 * Decodes and parses one line as JSON objects: usually one, but a line can hold several records
 * written back to back (`{…}{…}`), and each that parses is returned. The line is dropped (with the
 * reason) only when no record in it parses.
 */
export function parseObjectRecords(bytes: Buffer, start: number, end: number, sink: RecordSink): Record<string, unknown>[] {
  const text = bytes.toString('utf8', start, end);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const records = recordsBackToBack(bytes, start, end);
    if (records.length === 0) sink.drop('invalid JSON');
    return records;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    sink.drop('not a JSON object');
    return [];
  }
  return [value as Record<string, unknown>];
}

/** Whether the bytes hold one or more complete JSON objects and nothing else. */
export function completeRecords(bytes: Buffer, start: number, end: number): boolean {
  const { spans, whole } = objectSpans(bytes, start, end);
  return whole && spans.length > 0 && spans.every(([from, to]) => parsedObject(bytes.toString('utf8', from, to)) !== undefined);
}

/** Whether any object written back to back in the bytes parses (a line keeps what it can). */
export function holdsRecord(bytes: Buffer, start: number, end: number): boolean {
  return recordsBackToBack(bytes, start, end).length > 0;
}

/** The objects of a line holding several back to back; those that do not parse are left out. */
function recordsBackToBack(bytes: Buffer, start: number, end: number): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const [from, to] of objectSpans(bytes, start, end).spans) {
    const record = parsedObject(bytes.toString('utf8', from, to));
    if (record !== undefined) records.push(record);
  }
  return records;
}

/**
 * The spans of the objects written back to back from `start` (balanced braces, strings skipped),
 * up to the first thing that is not one; `whole` when they reach `end` with nothing else after.
 */
function objectSpans(bytes: Buffer, start: number, end: number): { spans: [number, number][]; whole: boolean } {
  const spans: [number, number][] = [];
  const cursor = new JsonCursor();
  cursor.reset(bytes, start, end);
  for (;;) {
    if (cursor.atEnd()) return { spans, whole: true };
    if (!cursor.isObject()) return { spans, whole: false };
    const at = cursor.pos;
    if (!cursor.skipValue()) return { spans, whole: false };
    spans.push([at, cursor.pos]);
  }
}

function parsedObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
