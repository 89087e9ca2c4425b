import type { IncomingHttpHeaders } from 'node:http';
import type { MeteredUsage, Prepared } from '../../gateway/provider.js';

/** A whole answer of a fake upstream, as bytes. */
export interface Captured {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Sends one request and keeps the answer's status, headers and bytes (a cut stream: what arrived),
 * asking for an identity-encoded answer as the gateway does.
 */
export async function capture(url: string, init: RequestInit): Promise<Captured> {
  const response = await fetch(url, { ...init, headers: { 'accept-encoding': 'identity', ...(init.headers as Record<string, string>) } });
  const headers: IncomingHttpHeaders = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of response.body ?? []) chunks.push(Buffer.from(chunk));
  } catch {
    // A cut connection: keep what arrived.
  }
  return { status: response.status, headers, body: Buffer.concat(chunks) };
}

/** What a reader makes of `answer` fed in the chunks `cuts` splits it into, and what the client got. */
export function readChunked(prepared: Prepared, answer: Captured, cuts: readonly number[], complete = true): { usage: MeteredUsage | undefined; passed: Buffer } {
  const reader = prepared.reader(answer.status, answer.headers);
  const passed: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, answer.body.length]) {
    passed.push(reader.write(answer.body.subarray(from, cut)));
    from = cut;
  }
  return { usage: reader.end(complete), passed: Buffer.concat(passed) };
}

/** Every way to cut `length` bytes in two, and the byte-by-byte cut. */
export function everySplit(length: number): number[][] {
  const splits: number[][] = [[]];
  for (let i = 1; i < length; i++) splits.push([i]);
  splits.push(Array.from({ length: Math.max(0, length - 1) }, (_, i) => i + 1));
  return splits;
}
