import type { IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, constants, gunzipSync, inflateSync } from 'node:zlib';
import type { MeteredUsage, UsageReader } from './provider.js';

/**
 * Usage is read from identity-encoded bodies; the gateway asks upstreams for them on metered
 * requests. An upstream that compresses anyway (gzip, deflate, br) is still read: its bytes pass to
 * the client as they came, are kept (bounded), and are decoded once at the end, a cut body as far
 * as it goes. Nothing can then be removed from what the client gets.
 */
export const MAX_ENCODED_BYTES = 32 * 1024 * 1024;

const DECODERS: Readonly<Record<string, (bytes: Buffer) => Buffer>> = {
  gzip: (bytes) => gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: MAX_ENCODED_BYTES }),
  'x-gzip': (bytes) => gunzipSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: MAX_ENCODED_BYTES }),
  deflate: (bytes) => inflateSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: MAX_ENCODED_BYTES }),
  br: (bytes) => brotliDecompressSync(bytes, { finishFlush: constants.BROTLI_OPERATION_FLUSH, maxOutputLength: MAX_ENCODED_BYTES }),
};

/** `make()` reads identity bytes; when the answer is encoded, it reads them decoded at the end. */
export function decodedReader(headers: IncomingHttpHeaders, make: () => UsageReader): UsageReader {
  const encoding = (headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return make();
  const decode = Object.hasOwn(DECODERS, encoding) ? DECODERS[encoding] : undefined;
  return new EncodedReader(decode, make);
}

class EncodedReader implements UsageReader {
  readonly #decode: ((bytes: Buffer) => Buffer) | undefined;
  readonly #make: () => UsageReader;
  #chunks: Buffer[] = [];
  #bytes = 0;

  constructor(decode: ((bytes: Buffer) => Buffer) | undefined, make: () => UsageReader) {
    this.#decode = decode;
    this.#make = make;
  }

  write(chunk: Buffer): Buffer {
    if (this.#decode !== undefined && this.#bytes <= MAX_ENCODED_BYTES) {
      this.#bytes += chunk.length;
      if (this.#bytes > MAX_ENCODED_BYTES) this.#chunks = [];
      else this.#chunks.push(chunk);
    }
    return chunk;
  }

  end(complete: boolean): MeteredUsage | undefined {
    // An unknown encoding, or more than the bound: no usage rather than a guess.
    if (this.#decode === undefined || this.#bytes > MAX_ENCODED_BYTES || this.#bytes === 0) return undefined;
    let plain: Buffer;
    try {
      plain = this.#decode(Buffer.concat(this.#chunks, this.#bytes));
    } catch {
      return undefined;
    }
    this.#chunks = [];
    const reader = this.#make();
    reader.write(plain);
    return reader.end(complete);
  }
}
