/** Waits after a failure: 1 s, 2 s, 4 s … up to 30 s. */
const MAX_RETRY_MS = 30_000;
export const retryDelayMs = (failures: number): number => Math.min(MAX_RETRY_MS, 500 * 2 ** failures);

export interface SerialRunnerOptions<T> {
  /** Whether there is work to do. */
  pending(): boolean;
  /** Does the work pending now; a throw leaves it pending (the work puts back what it took) and is retried with backoff. */
  work(): Promise<T>;
  /** After work that completed (after `onRecovered`, when it follows trouble). */
  done?(result: T): void;
  onTrouble?(error: unknown, retryInMs: number, attempt: number): void;
  /** The first work that completed after trouble. */
  onRecovered?(): void;
  /** How long `schedule()` waits by default, and between runs while work keeps arriving. */
  debounceMs: number;
}

/**
 * Runs work one at a time, a short while after it is asked for: a timer already set keeps its time
 * (the first change of a burst bounds the delay), work that arrives during a run is done right after
 * it, and a run that fails is tried again with growing pauses. Idle, it holds no timer.
 */
export class SerialRunner<T> {
  readonly #o: SerialRunnerOptions<T>;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #failures = 0;
  #stopped = false;

  constructor(options: SerialRunnerOptions<T>) {
    this.#o = options;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  schedule(ms = this.#o.debounceMs): void {
    if (this.#stopped || this.#running !== undefined || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#once().finally(() => {
        this.#running = undefined;
        if (this.#failures > 0) this.schedule(retryDelayMs(this.#failures));
        else if (this.#o.pending()) this.schedule(this.#o.debounceMs);
      });
    }, ms);
  }

  /** No more runs; waits for one in flight to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  async #once(): Promise<void> {
    if (this.#stopped || !this.#o.pending()) return;
    let result: T;
    try {
      result = await this.#o.work();
    } catch (error) {
      if (this.#stopped) return;
      this.#failures += 1;
      this.#o.onTrouble?.(error, retryDelayMs(this.#failures), this.#failures);
      return;
    }
    if (this.#failures > 0) {
      this.#failures = 0;
      this.#o.onRecovered?.();
    }
    this.#o.done?.(result);
  }
}
