import type { OtlpFormat } from '../../intake/otel/decode/index.js';

/** The encoding of a `Content-Type` (parameters such as `charset` allowed); undefined for any other type. */
export function otlpFormat(contentType: string | undefined): OtlpFormat | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/x-protobuf') return 'protobuf';
  return undefined;
}

/** The compressions a request body may come in (the OpenTelemetry exporters send gzip, or nothing). */
export type ContentCoding = 'identity' | 'gzip' | 'deflate';

/** The `Content-Encoding` of a request; undefined for one the receiver cannot read (zstd, br, a chain of two). */
export function contentCoding(header: string | undefined): ContentCoding | undefined {
  const coding = (header ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return 'identity';
  if (coding === 'gzip' || coding === 'x-gzip') return 'gzip';
  if (coding === 'deflate') return 'deflate';
  return undefined;
}
