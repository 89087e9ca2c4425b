/**
 * Failed authentications per client address: after `maxFailures` within `windowMs`, the address is
 * refused without looking at its credentials until the window has passed, so secrets cannot be
 * guessed at speed. Addresses are forgotten once their window is over (the map stays bounded by
 * the addresses that failed recently).
 */
export class AuthThrottle {
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #failures = new Map<string, { count: number; since: number }>();

  constructor(maxFailures = 10, windowMs = 60_000) {
    this.#maxFailures = maxFailures;
    this.#windowMs = windowMs;
  }

  blocked(address: string, now: number): boolean {
    const entry = this.#failures.get(address);
    if (entry === undefined) return false;
    if (now - entry.since >= this.#windowMs) {
      this.#failures.delete(address);
      return false;
    }
    return entry.count >= this.#maxFailures;
  }

  failed(address: string, now: number): void {
    const entry = this.#failures.get(address);
    if (entry === undefined || now - entry.since >= this.#windowMs) {
      if (this.#failures.size > 100_000) this.#sweep(now);
      this.#failures.set(address, { count: 1, since: now });
    } else entry.count++;
  }

  #sweep(now: number): void {
    for (const [address, entry] of this.#failures) if (now - entry.since >= this.#windowMs) this.#failures.delete(address);
  }
}
