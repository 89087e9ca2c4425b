import type { RecordSink } from '../../core/source.js';

/**
 * Decodes and parses one line as a JSON object; drops it (with the reason) and returns undefined
 * when it is not one.
 */
export function parseObjectLine(bytes: Buffer, start: number, end: number, sink: RecordSink): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8', start, end));
  } catch {
    sink.drop('invalid JSON');
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    sink.drop('not a JSON object');
    return undefined;
  }
  return value as Record<string, unknown>;
}
