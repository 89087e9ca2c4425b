import type { PricedEvent } from '../core/usage-event.js';
import type { Settlement } from '../ledger/gateway-keys.js';
import { type StreamRange, streamBatch, streamPath } from './commit-stream.js';
import type { GatewayWrites } from './ledger-writes.js';
import type { Settled, SpillJournal } from './spill-journal.js';

export interface GroupCommitOptions {
  writes: GatewayWrites;
  /** `gateway:<listen address>`: where the events came from. */
  origin: string;
  /** The path of this process's commit stream (`commit-stream.ts`; default: a new one for `origin`). */
  stream?: string;
  windowMs: number;
  /** Where usage goes that the ledger cannot take in time (absent: it is reported lost instead). */
  spill?: SpillJournal;
  /** First wait before a failed commit is tried again (default 100 ms), doubling up to `maxRetryMs` (default 30 s). */
  retryMs?: number;
  maxRetryMs?: number;
  /** Past this many requests waiting, the oldest are spilled (default 100,000). */
  maxPending?: number;
  /** Past this many bytes waiting (as the journal would hold them), the oldest are spilled (default 64 MiB). */
  maxPendingBytes?: number;
  /** Requests committed at once when catching up after failures (default 2,000). */
  maxPerCommit?: number;
  /** A batch committed: how many requests it settled. */
  onCommitted?: (settled: number) => void;
  /** A commit attempt failed; it is tried again after `retryInMs` (undefined: a release, not tried again, its reservation expires). */
  onFailure?: (error: unknown, retryInMs: number | undefined) => void;
  /** Spilled journals were committed once the ledger was back (requests). */
  onReplayed?: (settled: number) => void;
  /** Requests written to the spill journal (`path`), or (no journal, or it failed: `error`) lost. */
  onSpilled?: (count: number, path: string | undefined, error?: unknown) => void;
}

interface Batch {
  items: Settled[];
  /** Bytes as the spill journal would hold them; counted only while commits fail. */
  bytes: number;
}

/**
 * Batches settled usage and released reservations: the request path hands them over and goes on;
 * every `windowMs` (from the first one waiting) they are written as one file batch of the process's
 * commit stream (events with their settlements and the stream's cursor, one transaction:
 * `commit-stream.ts`), and releases in one call. A commit whose outcome is unknown (the connection
 * broke before the ledger answered) is tried again with exactly the same range, so the ledger skips
 * it if it had taken it: nothing settles twice. One commit at a time; what arrives
 * meanwhile waits for the next. Nothing settled is given up while the gateway runs: a failed commit
 * is tried again with capped exponential back-off for as long as it takes, batches waiting in order
 * (and merged, up to `maxPerCommit`, once the ledger is back). Memory stays bounded: past
 * `maxPending` requests or `maxPendingBytes`, the oldest batches not being written go to the spill
 * journal. `drain()` gives up waiting at a deadline and spills what is left.
 */
export class GroupCommit {
  readonly #o: GroupCommitOptions & Required<Pick<GroupCommitOptions, 'retryMs' | 'maxRetryMs' | 'maxPending' | 'maxPendingBytes' | 'maxPerCommit'>>;
  #open: Settled[] = [];
  #releases: string[] = [];
  #queue: Batch[] = [];
  #queued = 0;
  #queuedBytes = 0;
  #failing = false;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #draining = false;
  #spilledRunning = false;
  #spilledOnDrain = 0;
  /**
   * Queued batches (from the head) the commit under way writes, or whose last commit failed: the
   * ledger may hold them (a lost acknowledgement), so they go again as the same range, never spilled
   * while the gateway runs.
   */
  #inFlight = 0;
  readonly #stream: string;
  /** Requests of the stream the ledger has acknowledged. */
  #committedSeq = 0;

  constructor(options: GroupCommitOptions) {
    this.#o = { retryMs: 100, maxRetryMs: 30_000, maxPending: 100_000, maxPendingBytes: 64 * 1024 * 1024, maxPerCommit: 2_000, ...options };
    this.#stream = options.stream ?? streamPath(options.origin);
  }

  /** Requests (and releases) waiting to be committed. */
  get pending(): number {
    return this.#open.length + this.#queued + this.#releases.length;
  }

  /** Requests whose usage waits to be committed. */
  get pendingSettlements(): number {
    return this.#open.length + this.#queued;
  }

  settle(event: PricedEvent, settlement: Settlement): void {
    this.#open.push({ event, settlement });
    // While the ledger is away (a commit failed, or one hangs), memory stays bounded.
    if (this.#failing && this.#open.length + this.#queued > this.#o.maxPending) {
      this.#seal();
      this.#bound();
    }
    this.#schedule();
  }

  release(reservationId: string): void {
    this.#releases.push(reservationId);
    this.#schedule();
  }

  /** Writes whatever waits now, and waits for it (however many tries it takes). */
  async flush(): Promise<void> {
    this.#clearTimer();
    while (this.#running !== undefined || this.pending > 0) {
      if (this.#running === undefined) this.#start();
      await this.#running;
    }
  }

  /**
   * Like `flush`, but waits only until `deadline` (epoch ms): what the ledger has not taken by then
   * is written to the spill journal (a commit under way is waited for; it may still succeed).
   * Returns how many requests were spilled (or lost, without a journal).
   */
  async drain(deadline: number): Promise<number> {
    const bound = setTimeout(() => this.#giveUp(), Math.max(0, deadline - Date.now()));
    try {
      await this.flush();
    } finally {
      clearTimeout(bound);
    }
    return this.#spilledOnDrain;
  }

  #giveUp(): void {
    this.#draining = true;
    this.#wake?.();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#running !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#start();
    }, this.#o.windowMs);
  }

  #start(): void {
    this.#seal();
    const releases = this.#releases;
    this.#releases = [];
    this.#running = this.#write(releases).finally(() => {
      this.#running = undefined;
      if (this.pending > 0 && !this.#draining) this.#schedule();
    });
  }

  /** Moves the settlements arriving since the last commit into the queue, as one batch. */
  #seal(): void {
    if (this.#open.length === 0) return;
    const items = this.#open;
    this.#open = [];
    const bytes = this.#failing ? journalBytes(items) : 0;
    this.#queue.push({ items, bytes });
    this.#queued += items.length;
    this.#queuedBytes += bytes;
  }

  async #write(releases: string[]): Promise<void> {
    await Promise.all([this.#commitQueue(), releases.length === 0 ? undefined : this.#releaseOnce(releases)]);
  }

  /** A release that cannot be written is not lost money: the reservation expires. */
  async #releaseOnce(ids: string[]): Promise<void> {
    try {
      await this.#o.writes.releaseReservations(ids);
    } catch (error) {
      this.#o.onFailure?.(error, undefined);
    }
  }

  async #commitQueue(): Promise<void> {
    let waitMs = this.#o.retryMs;
    while (this.#queue.length > 0) {
      if (this.#draining) {
        this.#seal();
        // Batches the ledger may hold keep their range: a replay of them is skipped if it does.
        const unknown = this.#inFlight;
        this.#inFlight = 0;
        this.#spilledOnDrain += this.#spillRange(0, unknown, this.#range(unknown));
        this.#spilledOnDrain += this.#spillRange(0, this.#queue.length);
        return;
      }
      // After failures the queue may be long: several batches go at once, oldest first; but batches
      // whose last commit failed go again alone, as the same range.
      let take = this.#inFlight;
      if (take === 0) {
        take = 1;
        let count = this.#queue[0]?.items.length ?? 0;
        while (take < this.#queue.length && count + (this.#queue[take]?.items.length ?? 0) <= this.#o.maxPerCommit) count += this.#queue[take++]?.items.length ?? 0;
      }
      const taken = this.#queue.slice(0, take);
      const items = taken.flatMap((b) => b.items);
      const range = this.#range(take);
      this.#inFlight = take;
      try {
        await this.#o.writes.commit(streamBatch(range, items));
      } catch (error) {
        this.#failing = true;
        this.#o.onFailure?.(error, waitMs);
        this.#seal();
        this.#bound();
        await this.#pause(waitMs);
        waitMs = Math.min(waitMs * 2, this.#o.maxRetryMs);
        continue;
      }
      this.#inFlight = 0;
      this.#committedSeq = range.toSeq;
      this.#queue.splice(0, take);
      this.#queued -= items.length;
      for (const b of taken) this.#queuedBytes -= b.bytes;
      this.#o.onCommitted?.(items.length);
      waitMs = this.#o.retryMs;
      if (this.#failing) {
        // Catching up: what arrived meanwhile goes now, and journals spilled meanwhile follow.
        this.#seal();
        if (this.#queue.length === 0) {
          this.#failing = false;
          if (this.#spilledRunning) await this.#replay();
        }
      }
    }
  }

  /** The stream range of the first `n` queued batches: it follows the last one the ledger acknowledged. */
  #range(n: number): StreamRange {
    let count = 0;
    for (let i = 0; i < n; i++) count += this.#queue[i]?.items.length ?? 0;
    return { path: this.#stream, fromSeq: this.#committedSeq, toSeq: this.#committedSeq + count };
  }

  /** Commits the journals spilled while the gateway ran (tried again after the next failure otherwise). */
  async #replay(): Promise<void> {
    const journal = this.#o.spill;
    if (journal === undefined) return;
    try {
      const settled = await journal.replay(this.#o.writes, this.#o.origin);
      this.#spilledRunning = false;
      if (settled > 0) this.#o.onReplayed?.(settled);
    } catch (error) {
      this.#failing = true;
      this.#o.onFailure?.(error, this.#o.retryMs);
    }
  }

  /** Spills the oldest batches (never those a commit is writing now) while past the caps. */
  #bound(): void {
    const inFlight = this.#inFlight;
    let n = 0;
    let count = this.#queued;
    let bytes = this.#queuedBytes;
    while (inFlight + n < this.#queue.length && (count > this.#o.maxPending || bytes > this.#o.maxPendingBytes)) {
      const b = this.#queue[inFlight + n] as Batch;
      count -= b.items.length;
      bytes -= b.bytes;
      n++;
    }
    if (n > 0) this.#spillRange(inFlight, n);
  }

  /** Writes `n` queued batches from `from` to the journal and takes them out of the queue; returns how many requests. */
  #spillRange(from: number, n: number, range?: StreamRange): number {
    const gone = this.#queue.splice(from, n);
    const items = gone.flatMap((b) => b.items);
    this.#queued -= items.length;
    for (const b of gone) this.#queuedBytes -= b.bytes;
    if (items.length === 0) return 0;
    const journal = this.#o.spill;
    if (journal === undefined) {
      this.#o.onSpilled?.(items.length, undefined, new Error('no spill folder'));
      return items.length;
    }
    try {
      // Written before it is reported: an absent `onSpilled` would skip its arguments.
      const path = journal.write(items, range);
      this.#spilledRunning = true;
      this.#o.onSpilled?.(items.length, path);
    } catch (error) {
      this.#o.onSpilled?.(items.length, undefined, error);
    }
    return items.length;
  }

  /** Waits `ms`, or less when `drain` gives up. */
  #pause(ms: number): Promise<void> {
    if (this.#draining) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }
}

/** Bytes `items` take as journal lines. */
function journalBytes(items: readonly Settled[]): number {
  let bytes = 0;
  for (const item of items) bytes += Buffer.byteLength(JSON.stringify(item)) + 1;
  return bytes;
}
