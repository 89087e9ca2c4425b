/** Hears of every change of the ledger's position. */
export type ChangeListener = (position: number) => void;

export interface ChangeFeedOptions {
  /** The ledger's change position (`Ledger.changePosition`). */
  position(): Promise<number>;
  /** How often the position is read when nothing says it moved (another process writes). Default 1 s. */
  pollMs?: number;
  /** A read that failed (said once per spell of trouble); the next poll tries again. */
  onTrouble?(error: unknown): void;
}

/**
 * Tells listeners when the ledger changed: it reads the change position every `pollMs`, and at
 * once when `poke()` says a commit happened here (a watch in the same process). A listener hears
 * each new position once, whichever noticed it.
 */
export class ChangeFeed {
  readonly #o: ChangeFeedOptions;
  readonly #listeners = new Set<ChangeListener>();
  #position = 0;
  #timer: NodeJS.Timeout | undefined;
  #reading: Promise<void> | undefined;
  #again = false;
  #troubled = false;

  constructor(options: ChangeFeedOptions) {
    this.#o = options;
  }

  /** The position last read. */
  get position(): number {
    return this.#position;
  }

  /** Reads the position once, then polls. */
  async start(): Promise<void> {
    this.#position = await this.#o.position();
    this.#timer = setInterval(() => this.poke(), this.#o.pollMs ?? 1_000);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#listeners.clear();
  }

  /** Listens until the returned function is called. */
  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reads the position now (after a commit); resolves once read and told. */
  poke(): Promise<void> {
    if (this.#reading !== undefined) {
      this.#again = true;
      return this.#reading;
    }
    this.#reading = this.#read().finally(() => {
      this.#reading = undefined;
      if (this.#again) {
        this.#again = false;
        void this.poke();
      }
    });
    return this.#reading;
  }

  /** Tells every listener of a change the ledger's position does not show (a budget set here). */
  tell(): void {
    for (const listener of [...this.#listeners]) listener(this.#position);
  }

  async #read(): Promise<void> {
    let position: number;
    try {
      position = await this.#o.position();
      this.#troubled = false;
    } catch (error) {
      if (!this.#troubled) this.#o.onTrouble?.(error);
      this.#troubled = true;
      return;
    }
    if (position === this.#position) return;
    this.#position = position;
    this.tell();
  }
}
