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

/**
 * The `Export<Signal>ServiceResponse` in the request's encoding: empty (all accepted) or with
 * `partial_success` (`rejected_log_records`, `rejected_data_points` or `rejected_spans`).
 */
export function exportResponse(_signal: OtlpSignal, _format: OtlpFormat, _partial: PartialSuccess | undefined): EncodedReply {
  throw new Error('not implemented yet');
}

/** A `google.rpc.Status` (code and message) in the request's encoding: the body of a 4xx or 5xx answer. */
export function statusResponse(_format: OtlpFormat, _grpcCode: number, _message: string): EncodedReply {
  throw new Error('not implemented yet');
}
