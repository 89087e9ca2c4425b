import type { ServerResponse } from 'node:http';
import type { OtlpFormat, OtlpSignal } from '../../intake/otel/decode/index.js';
import { exportResponse, type PartialSuccess, statusResponse } from '../../intake/otel/otlp-response.js';

/** The `google.rpc.Code` an HTTP refusal carries in its Status body. */
const GRPC_CODE: Readonly<Record<number, number>> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  404: 5, // NOT_FOUND
  405: 12, // UNIMPLEMENTED
  413: 8, // RESOURCE_EXHAUSTED
  415: 3, // INVALID_ARGUMENT
  429: 8, // RESOURCE_EXHAUSTED
  500: 13, // INTERNAL
  503: 14, // UNAVAILABLE
};

/** What the receiver answers instead of taking a request. */
export interface Refusal {
  status: number;
  /** One line, for the Status body and the log; never a token or body content. */
  message: string;
  /** Seconds before retrying (429 and 503: the exporter retries then, and the dedup keys make the retry count once). */
  retryAfterS?: number;
  /** Extra headers (`Allow` of a 405). */
  headers?: Readonly<Record<string, string>>;
  /** Close the connection after answering (a body over the cap is not read to its end). */
  close?: boolean;
}

/** 200 with the `Export…ServiceResponse` in the request's encoding (empty, or with `partialSuccess`). */
export function sendExport(res: ServerResponse, signal: OtlpSignal, format: OtlpFormat, partial: PartialSuccess | undefined): void {
  const reply = exportResponse(signal, format, partial);
  res.writeHead(200, { 'Content-Type': reply.contentType, 'Content-Length': reply.body.byteLength });
  res.end(reply.body);
}

/** A refusal: its status, a `google.rpc.Status` body in the request's encoding (JSON when the request's is unknown: readable by whoever sent it). */
export function sendRefusal(res: ServerResponse, refusal: Refusal, format: OtlpFormat | undefined): void {
  const reply = statusResponse(format ?? 'json', GRPC_CODE[refusal.status] ?? 2, refusal.message);
  const headers: Record<string, string | number> = { 'Content-Type': reply.contentType, 'Content-Length': reply.body.byteLength, ...refusal.headers };
  if (refusal.retryAfterS !== undefined) headers['Retry-After'] = String(refusal.retryAfterS);
  if (refusal.close === true) headers.Connection = 'close';
  res.writeHead(refusal.status, headers);
  res.end(reply.body);
}
