/**
 * Collects a JSON response body as it passes, up to a bound, and parses it once at the end. The
 * chunks are kept as they came (no copy) until then; past `maxBytes` the body is let go, so a huge
 * answer costs no memory and yields no usage rather than failing.
 */
export const MAX_JSON_BODY_BYTES = 32 * 1024 * 1024;

export class JsonBody {
  readonly #maxBytes: number;
  #chunks: Buffer[] = [];
  #bytes = 0;
  #overflow = false;

  constructor(maxBytes = MAX_JSON_BODY_BYTES) {
    this.#maxBytes = maxBytes;
  }

  push(chunk: Buffer): void {
    if (this.#overflow) return;
    this.#bytes += chunk.length;
    if (this.#bytes > this.#maxBytes) {
      this.#overflow = true;
      this.#chunks = [];
      return;
    }
    this.#chunks.push(chunk);
  }

  /** The parsed body, or undefined when it was too large or is not JSON. */
  value(): unknown {
    if (this.#overflow || this.#bytes === 0) return undefined;
    const whole = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks, this.#bytes);
    this.#chunks = [];
    try {
      return JSON.parse(whole.toString('utf8'));
    } catch {
      return undefined;
    }
  }
}
