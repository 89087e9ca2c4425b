import type { PricedEvent } from '../core/usage-event.js';
import type { Settlement } from '../ledger/gateway-keys.js';
import type { GatewayWrites } from './ledger-writes.js';

export interface GroupCommitOptions {
  writes: GatewayWrites;
  /** `gateway:<listen address>`: where the events came from. */
  origin: string;
  windowMs: number;
  /** Attempts per batch before its usage is reported lost (default 6, backing off from 100 ms). */
  attempts?: number;
  retryMs?: number;
  /** A batch committed: how many requests it settled. */
  onCommitted?: (settled: number) => void;
  /** An attempt failed (`willRetry`: it will be tried again), or a batch was given up (`lost`: requests whose usage is not recorded). */
  onFailure?: (error: unknown, willRetry: boolean, lost: number) => void;
}

/**
 * Batches settled usage and released reservations: the request path hands them over and goes on;
 * every `windowMs` (from the first one waiting) they are written as one `OriginBatch` (events with
 * their settlements, one transaction), and releases in one call. One commit at a time; what
 * arrives meanwhile waits for the next. A failed commit is retried with back-off, and only given up
 * (reported through `onFailure`, never silently) after `attempts`.
 */
export class GroupCommit {
  readonly #o: Required<Omit<GroupCommitOptions, 'onCommitted' | 'onFailure'>> & Pick<GroupCommitOptions, 'onCommitted' | 'onFailure'>;
  #events: PricedEvent[] = [];
  #settlements: Settlement[] = [];
  #releases: string[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: GroupCommitOptions) {
    this.#o = { attempts: 6, retryMs: 100, ...options };
  }

  /** Requests waiting to be committed. */
  get pending(): number {
    return this.#settlements.length + this.#releases.length;
  }

  settle(event: PricedEvent, settlement: Settlement): void {
    this.#events.push(event);
    this.#settlements.push(settlement);
    this.#schedule();
  }

  release(reservationId: string): void {
    this.#releases.push(reservationId);
    this.#schedule();
  }

  /** Writes whatever waits now, and waits for it (and any commit under way). */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#running !== undefined || this.pending > 0) {
      if (this.#running === undefined) this.#start();
      await this.#running;
    }
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#running !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#start();
    }, this.#o.windowMs);
  }

  #start(): void {
    const events = this.#events;
    const settlements = this.#settlements;
    const releases = this.#releases;
    this.#events = [];
    this.#settlements = [];
    this.#releases = [];
    this.#running = this.#write(events, settlements, releases).finally(() => {
      this.#running = undefined;
      if (this.pending > 0) this.#schedule();
    });
  }

  async #write(events: PricedEvent[], settlements: Settlement[], releases: string[]): Promise<void> {
    const writes = this.#o.writes;
    await Promise.all([
      settlements.length === 0 ? undefined : this.#retrying(() => writes.commit({ origin: this.#o.origin, events, rateLimits: [], drops: [], settlements }), settlements.length),
      // A release that cannot be written is not lost money: the reservation expires.
      releases.length === 0 ? undefined : this.#retrying(() => writes.releaseReservations(releases), 0),
    ]);
  }

  async #retrying(write: () => Promise<unknown>, settled: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        if (settled > 0) this.#o.onCommitted?.(settled);
        return;
      } catch (error) {
        const willRetry = attempt < this.#o.attempts;
        this.#o.onFailure?.(error, willRetry, willRetry ? 0 : settled);
        if (!willRetry) return;
        await new Promise((resolve) => setTimeout(resolve, this.#o.retryMs * 2 ** (attempt - 1)));
      }
    }
  }
}
