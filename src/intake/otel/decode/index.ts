import type { DecodedLogs, DecodedMetrics } from '../otlp-record.js';
import { jsonLogs } from './json-logs.js';
import { jsonMetrics } from './json-metrics.js';
import { jsonSignalOf } from './json-signal.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { protoLogs } from './proto-logs.js';
import { protoMetrics } from './proto-metrics.js';

export { OtlpDecodeError };

/** The two encodings OTLP/HTTP carries: `application/json` and `application/x-protobuf`. */
export type OtlpFormat = 'json' | 'protobuf';

/** The signal an export request carries: the path names it (`/v1/logs`), or a JSON body's top-level key. */
export type OtlpSignal = 'logs' | 'metrics' | 'traces';

/**
 * Runs a decoder so that it throws `OtlpDecodeError` only: a body nested past what the stack holds
 * (JSON.parse's own limit) is a body that can never be accepted too.
 */
function decoding<T>(decode: (body: Uint8Array) => T, body: Uint8Array): T {
  try {
    return decode(body);
  } catch (error) {
    if (error instanceof RangeError) throw new OtlpDecodeError(`body too deeply nested or too large: ${error.message}`);
    throw error;
  }
}

/** Decodes an `ExportLogsServiceRequest`. Throws `OtlpDecodeError` only. */
export function decodeLogs(body: Uint8Array, format: OtlpFormat): DecodedLogs {
  return decoding(format === 'json' ? jsonLogs : protoLogs, body);
}

/** Decodes an `ExportMetricsServiceRequest`. Throws `OtlpDecodeError` only. */
export function decodeMetrics(body: Uint8Array, format: OtlpFormat): DecodedMetrics {
  return decoding(format === 'json' ? jsonMetrics : protoMetrics, body);
}

/**
 * The signal of a JSON export request posted to a path that does not name one (Gemini CLI posts
 * every signal to the endpoint as given): its top-level key (`resourceLogs`, `resourceMetrics`,
 * `resourceSpans`), read from at most the first few dozen bytes, without parsing the body (see
 * `jsonSignalOf`); undefined when none is found.
 */
export function jsonSignal(body: Uint8Array): OtlpSignal | undefined {
  return jsonSignalOf(body);
}
