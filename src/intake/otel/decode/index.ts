import type { DecodedLogs, DecodedMetrics } from '../otlp-record.js';

/** The two encodings OTLP/HTTP carries: `application/json` and `application/x-protobuf`. */
export type OtlpFormat = 'json' | 'protobuf';

/** The signal an export request carries: the path names it (`/v1/logs`), or a JSON body's top-level key. */
export type OtlpSignal = 'logs' | 'metrics' | 'traces';

/**
 * A body that can never be accepted (not JSON, truncated protobuf, a field of the wrong type): the
 * receiver answers 400 with `message`, which says what is wrong and where (a byte offset or a JSON path).
 */
export class OtlpDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpDecodeError';
  }
}

/** Decodes an `ExportLogsServiceRequest`. Throws `OtlpDecodeError` only. */
export function decodeLogs(_body: Uint8Array, _format: OtlpFormat): DecodedLogs {
  throw new OtlpDecodeError('not implemented yet');
}

/** Decodes an `ExportMetricsServiceRequest`. Throws `OtlpDecodeError` only. */
export function decodeMetrics(_body: Uint8Array, _format: OtlpFormat): DecodedMetrics {
  throw new OtlpDecodeError('not implemented yet');
}

/**
 * The signal of a JSON export request posted to a path that does not name one (Gemini CLI posts
 * every signal to the endpoint as given): its top-level key (`resourceLogs`, `resourceMetrics`,
 * `resourceSpans`), read without parsing the whole body; undefined when none is found.
 */
export function jsonSignal(_body: Uint8Array): OtlpSignal | undefined {
  return undefined;
}
