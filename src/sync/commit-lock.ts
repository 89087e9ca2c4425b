/**
 * A mutex over shared memory: lanes of one sync take turns at the ledger without ever meeting
 * SQLite's busy handler (which sleeps in steps of milliseconds).
 */
export class CommitLock {
  readonly #cell: Int32Array;
  readonly #index: number;

  constructor(cell: Int32Array, index: number) {
    this.#cell = cell;
    this.#index = index;
  }

  async hold<T>(work: () => Promise<T>): Promise<T> {
    while (Atomics.compareExchange(this.#cell, this.#index, 0, 1) !== 0) Atomics.wait(this.#cell, this.#index, 1, 100);
    try {
      return await work();
    } finally {
      Atomics.store(this.#cell, this.#index, 0);
      Atomics.notify(this.#cell, this.#index, 1);
    }
  }
}
