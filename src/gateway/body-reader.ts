import type { IncomingMessage } from 'node:http';

/** A request body larger than the gateway accepts. */
export class BodyTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`the request body is larger than the gateway accepts (${limitBytes} bytes)`);
  }
}

/** Reads a request body whole, up to `limitBytes` (a `Content-Length` above it is refused before reading). */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) return Promise.reject(new BodyTooLarge(limitBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limitBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, bytes)));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('the client closed the connection while sending its request')));
  });
}
