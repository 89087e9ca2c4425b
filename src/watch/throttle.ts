/**
 * Runs a task at most once per `gapMs`: a request within the gap is served at its end, and requests
 * made while the task runs are served by one more run. Runs never overlap.
 */
export class Throttle {
  readonly #task: () => Promise<void>;
  readonly #gapMs: number;
  #lastStart = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #wanted = false;
  #stopped = false;

  constructor(task: () => Promise<void>, gapMs: number) {
    this.#task = task;
    this.#gapMs = gapMs;
  }

  request(): void {
    if (this.#stopped) return;
    this.#wanted = true;
    if (this.#running !== undefined || this.#timer !== undefined) return;
    const wait = this.#lastStart + this.#gapMs - performance.now();
    if (wait <= 0) this.#run();
    else this.#timer = setTimeout(() => this.#run(), wait);
  }

  /** Runs the task now (after one in flight), whatever the gap. */
  async now(): Promise<void> {
    await this.#running;
    this.#wanted = true;
    this.#run();
    await this.#running;
  }

  /** No more runs; waits for one in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #run(): void {
    this.#timer = undefined;
    if (!this.#wanted || this.#running !== undefined) return;
    this.#wanted = false;
    this.#lastStart = performance.now();
    // The task reports its own failures; one that throws anyway must not become an unhandled rejection.
    this.#running = this.#task()
      .catch(() => undefined)
      .finally(() => {
        this.#running = undefined;
        if (this.#wanted && !this.#stopped) this.request();
      });
  }
}
