import { Throttle } from './throttle.js';

export interface PusherOptions {
  /** One push: sends what the remote lacks (from where the last one that succeeded ended). */
  push(): Promise<void>;
  /** After a push that failed, once per spell of trouble (the next change or `retryMs` tries again). */
  onTrouble(error: unknown): void;
  /** The first push that succeeds after trouble. */
  onRecovered(): void;
  /** Least time between two pushes: changes within it are pushed together. */
  gapMs: number;
  /** After a failed push, the next is tried this long after, if no change asks sooner. */
  retryMs: number;
}

/**
 * Pushes after recorded changes (`request`), debounced, at most one push at a time. A push that
 * fails is said once and tried again on the next change, or after `retryMs`: nothing is lost,
 * since each push sends everything after the last position the remote committed.
 */
export class Pusher {
  readonly #options: PusherOptions;
  readonly #throttle: Throttle;
  #failing = false;
  #retry: NodeJS.Timeout | undefined;

  constructor(options: PusherOptions) {
    this.#options = options;
    this.#throttle = new Throttle(() => this.#push(), options.gapMs);
  }

  request(): void {
    this.#throttle.request();
  }

  /** No more pushes; waits for one in flight. */
  async stop(): Promise<void> {
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.#retry = undefined;
    await this.#throttle.stop();
  }

  async #push(): Promise<void> {
    if (this.#retry !== undefined) clearTimeout(this.#retry);
    this.#retry = undefined;
    try {
      await this.#options.push();
      if (this.#failing) this.#options.onRecovered();
      this.#failing = false;
    } catch (error) {
      if (!this.#failing) this.#options.onTrouble(error);
      this.#failing = true;
      this.#retry = setTimeout(() => this.request(), this.#options.retryMs);
    }
  }
}
