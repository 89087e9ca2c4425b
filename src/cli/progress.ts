import type { OutStream } from './io.js';

const DELAY_MS = 1_000;
const REDRAW_MS = 100;
const BAR = 28;

/** A progress bar on stderr, shown only on a terminal and only once a sync has run for a second. */
export class ProgressBar {
  readonly #stream: OutStream;
  readonly #started = performance.now();
  #lastDraw = 0;
  #drawn = false;

  constructor(stream: OutStream) {
    this.#stream = stream;
  }

  update(done: number, total: number): void {
    if (this.#stream.isTTY !== true || total === 0) return;
    const now = performance.now();
    if (now - this.#started < DELAY_MS || now - this.#lastDraw < REDRAW_MS) return;
    this.#lastDraw = now;
    const share = Math.min(1, done / total);
    const filled = Math.round(share * BAR);
    const mb = (n: number): string => (n / 1e6).toFixed(0);
    this.#stream.write(`\r\u001b[2Ksyncing [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${(share * 100).toFixed(0)}%  ${mb(done)}/${mb(total)} MB`);
    this.#drawn = true;
  }

  finish(): void {
    if (this.#drawn) this.#stream.write('\r\u001b[2K');
  }
}
