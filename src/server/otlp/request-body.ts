import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import type { ContentCoding } from './otlp-content.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** A request body as read: its bytes (decompressed), or why it was not. */
export type BodyRead =
  | { kind: 'body'; bytes: Uint8Array }
  /** Over the cap on the wire or once decompressed: nothing past the cap was read or inflated. */
  | { kind: 'too-large' }
  /** Not the compression its header names. */
  | { kind: 'bad-coding'; message: string }
  /** The client went away before the body ended. */
  | { kind: 'aborted' };

/**
 * Reads a request body of at most `maxBytes`, both as sent and decompressed (a small gzip body that
 * inflates past the cap is stopped at the cap, so a gzip bomb cannot exhaust memory). A declared
 * `Content-Length` over the cap is refused before anything is read.
 */
export async function readBody(req: IncomingMessage, coding: ContentCoding, maxBytes: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return { kind: 'too-large' };
  const raw = await readRaw(req, maxBytes);
  if (raw.kind !== 'body' || coding === 'identity') return raw;
  try {
    const inflated = await (coding === 'gzip' ? gunzipAsync : inflateAsync)(raw.bytes, { maxOutputLength: maxBytes });
    return { kind: 'body', bytes: inflated };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) return { kind: 'too-large' };
    return { kind: 'bad-coding', message: `the body is not valid ${coding} data (${(error as Error).message})` };
  }
}

function readRaw(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: BodyRead): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('error', onAborted);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        // Read no further: the answer closes the connection.
        req.pause();
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: 'body', bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) });
    const onAborted = (): void => finish({ kind: 'aborted' });
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('aborted', onAborted);
    req.once('error', onAborted);
  });
}
