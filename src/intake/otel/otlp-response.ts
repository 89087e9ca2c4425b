import type { OtlpFormat, OtlpSignal } from './decode/index.js';

/** Records (or data points, or spans) the receiver did not take from one request, and why. */
export interface PartialSuccess {
  rejected: number;
  /** One message for the request (the reasons, counted), as the spec's `error_message`. */
  message: string;
}

export interface EncodedReply {
  body: Uint8Array;
  contentType: string;
}

/** The count field of each signal's `Export<Signal>PartialSuccess` (field 1, int64), by its JSON name. */
const REJECTED_FIELD: Record<OtlpSignal, string> = {
  logs: 'rejectedLogRecords',
  metrics: 'rejectedDataPoints',
  traces: 'rejectedSpans',
};

const JSON_TYPE = 'application/json';
const PROTOBUF_TYPE = 'application/x-protobuf';
const utf8 = new TextEncoder();

/** A protobuf varint of a non-negative integer below 2^53. */
function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = Math.max(0, Math.trunc(value));
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return bytes;
}

/** A varint field (wire type 0), left out at its default 0 as proto3 does. */
function varintField(field: number, value: number): number[] {
  return value === 0 ? [] : [field << 3, ...varint(value)];
}

/** A length-delimited field (wire type 2), left out when empty. */
function bytesField(field: number, bytes: ArrayLike<number>): number[] {
  return bytes.length === 0 ? [] : [(field << 3) | 2, ...varint(bytes.length), ...Array.from(bytes)];
}

/**
 * The `Export<Signal>ServiceResponse` in the request's encoding: empty (all accepted) or with
 * `partial_success` (`rejected_log_records`, `rejected_data_points` or `rejected_spans`). OTLP/JSON
 * writes the int64 count as a decimal string; a partial success with nothing rejected and no message
 * is left out (the spec forbids an empty one).
 */
export function exportResponse(signal: OtlpSignal, format: OtlpFormat, partial: PartialSuccess | undefined): EncodedReply {
  const rejected = partial === undefined ? 0 : Math.max(0, Math.trunc(partial.rejected));
  const message = partial?.message ?? '';
  const empty = rejected === 0 && message === '';
  if (format === 'json') {
    const partialSuccess: Record<string, string> = {};
    if (rejected !== 0) partialSuccess[REJECTED_FIELD[signal]] = String(rejected);
    if (message !== '') partialSuccess.errorMessage = message;
    return { body: utf8.encode(JSON.stringify(empty ? {} : { partialSuccess })), contentType: JSON_TYPE };
  }
  if (empty) return { body: new Uint8Array(0), contentType: PROTOBUF_TYPE };
  const inner = [...varintField(1, rejected), ...bytesField(2, utf8.encode(message))];
  return { body: Uint8Array.from(bytesField(1, inner)), contentType: PROTOBUF_TYPE };
}

/** A `google.rpc.Status` {1 code, 2 message} in the request's encoding: the body of a 4xx or 5xx answer. */
export function statusResponse(format: OtlpFormat, grpcCode: number, message: string): EncodedReply {
  if (format === 'json') return { body: utf8.encode(JSON.stringify({ code: grpcCode, message })), contentType: JSON_TYPE };
  return { body: Uint8Array.from([...varintField(1, grpcCode), ...bytesField(2, utf8.encode(message))]), contentType: PROTOBUF_TYPE };
}
