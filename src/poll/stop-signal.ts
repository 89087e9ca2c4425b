/**
 * SIGINT and SIGTERM while a loop runs: they ask it to stop (the step under way finishes) instead
 * of killing the process, and `sleep` returns at once when asked. `dispose` gives the signals back.
 */
export class StopSignal {
  #stopped = false;
  #wake: (() => void) | undefined;
  readonly #onSignal = (): void => {
    this.#stopped = true;
    this.#wake?.();
  };

  constructor() {
    process.on('SIGINT', this.#onSignal);
    process.on('SIGTERM', this.#onSignal);
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Waits `ms`, or less when a stop is asked. */
  sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  dispose(): void {
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
  }
}
