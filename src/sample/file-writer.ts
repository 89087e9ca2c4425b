import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Buffered line writer for sample files. */
export class FileWriter {
  readonly #fd: number;
  #parts: string[] = [];
  #pending = 0;
  /** Bytes of the lines written so far (flushed or not). */
  bytes = 0;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.#fd = openSync(path, 'w');
  }

  line(record: unknown): void {
    const text = `${JSON.stringify(record)}\n`;
    this.#parts.push(text);
    this.#pending += text.length;
    this.bytes += Buffer.byteLength(text);
    if (this.#pending > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.#parts.length === 0) return;
    writeSync(this.#fd, this.#parts.join(''));
    this.#parts = [];
    this.#pending = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.#fd);
  }
}
