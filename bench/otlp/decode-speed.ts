import { decodeLogs } from '../../src/intake/otel/decode/index.js';
import type { Bodies, Format } from './bodies.js';

export interface DecodeSpeed {
  recordsPerSecond: number;
  megabytesPerSecond: number;
  records: number;
}

/** Decodes the bodies over and over for about `ms` milliseconds (after a warm-up pass): records per second. */
export function decodeSpeed(bodies: Bodies, format: Format, ms: number): DecodeSpeed {
  const list = bodies[format];
  for (const body of list) decodeLogs(body, format);
  let records = 0;
  let bytes = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (const body of list) {
      records += decodeLogs(body, format).records.length;
      bytes += body.byteLength;
    }
    elapsed = performance.now() - started;
  }
  return { recordsPerSecond: (records / elapsed) * 1000, megabytesPerSecond: bytes / 1_048_576 / (elapsed / 1000), records };
}
