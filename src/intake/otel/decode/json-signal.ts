import type { OtlpSignal } from './index.js';

const SIGNAL_OF_KEY: Readonly<Record<string, OtlpSignal>> = {
  resourceLogs: 'logs',
  resource_logs: 'logs',
  resourceMetrics: 'metrics',
  resource_metrics: 'metrics',
  resourceSpans: 'traces',
  resource_spans: 'traces',
};
/** Longer than any key above: a scan never reads further into the body than this. */
const LONGEST_KEY = 20;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * The signal named by the first key of a JSON export request, read from the first bytes of the body
 * (after a byte order mark and white space) without parsing it: the exporters write one top-level key
 * (`{"resourceLogs":[…]}`). A body whose first key is anything else has no signal (the receiver then
 * refuses it); the body is decoded once, afterwards, by `decodeLogs` or `decodeMetrics`.
 */
export function jsonSignalOf(body: Uint8Array): OtlpSignal | undefined {
  let i = 0;
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) i = 3;
  while (i < body.length && isSpace(body[i]!)) i++;
  if (body[i++] !== 0x7b) return undefined;
  while (i < body.length && isSpace(body[i]!)) i++;
  if (body[i++] !== 0x22) return undefined;
  const start = i;
  while (i < body.length && i - start <= LONGEST_KEY && body[i] !== 0x22) i++;
  if (body[i] !== 0x22) return undefined;
  const key = String.fromCharCode(...body.subarray(start, i));
  return Object.hasOwn(SIGNAL_OF_KEY, key) ? SIGNAL_OF_KEY[key] : undefined;
}
