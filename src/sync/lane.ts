import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { describeError } from '../core/errors.js';
import type { FileParser, RecordSink, Source } from '../core/source.js';
import type { PricedEvent, RateLimitSnapshot, UsageEvent } from '../core/usage-event.js';
import type { CommitBatch, CommitResult, DroppedRecord, FileCursor } from '../ledger/ledger.js';
import { settleCopies } from '../ledger/commit-plan.js';
import type { Pricer } from '../pricing/pricer.js';
import { scanLines } from '../sources/shared/line-scanner.js';
import { fingerprintAt, startPoint } from './cursor.js';
import { emptyReport, type SyncReport } from './report.js';
import type { Work } from './work.js';

export interface LaneOptions {
  sources: readonly Source[];
  /** The ledger partition new events are recorded into. */
  namespace: string;
  pricer: Pricer;
  /** Id of the price version events are priced with. */
  priceVersionId: number;
  /**
   * Commits batches of priced events with their cursors in one transaction and returns what
   * happened. With `wait` false it may instead answer `'busy'` (another lane is committing):
   * the lane then reads on and offers the batches again, with more, at its next flush.
   */
  commit: (batches: CommitBatch[], wait: boolean) => Promise<CommitResult | 'busy'>;
  /** Events per transaction (several small files share one). */
  batchSize: number;
  /** Called with the bytes just read. */
  progressed: (bytes: number) => void;
  /** Called after a commit with how many files it finished (their last cursor committed). */
  committedFiles?: (files: number) => void;
}

/** What one file produced since its last committed cursor. */
interface Pending {
  from: FileCursor | undefined;
  to: FileCursor;
  events: UsageEvent[];
  rateLimits: RateLimitSnapshot[];
  drops: DroppedRecord[];
  /** Whether this is the file's last part this sync (its reading finished, not paused). */
  last: boolean;
}

const markerCache = new WeakMap<readonly string[], Buffer[]>();

/**
 * Reads files handed out by `claim` until there are none left. Each file is read from its cursor,
 * and its events are committed in the same transaction as the cursor that follows them: a sync
 * stopped at any point resumes exactly where its last commit left off.
 */
export class Lane {
  readonly report: SyncReport = emptyReport();
  readonly #options: LaneOptions;
  readonly #sources: Map<string, Source>;
  #queue: Pending[] = [];
  #queuedEvents = 0;
  /** Priced batches waiting for the write lock, in reading order. */
  #ready: CommitBatch[] = [];
  #readyEvents = 0;
  /** Files whose last part is among the ready batches. */
  #readyFiles = 0;

  constructor(options: LaneOptions) {
    this.#options = options;
    this.#sources = new Map(options.sources.map((s) => [s.id, s]));
  }

  async drain(claim: () => Work | undefined): Promise<SyncReport> {
    for (let work = claim(); work !== undefined; work = claim()) {
      try {
        await this.#readFile(work);
      } catch (error) {
        this.report.drops.push({ path: work.file.path, line: 0, reason: `cannot read file: ${describeError(error)}` });
      }
    }
    await this.#flush(true);
    return this.report;
  }

  async #readFile(work: Work): Promise<void> {
    const { file } = work;
    const source = this.#sources.get(work.sourceId);
    if (source === undefined) throw new Error(`no source named ${work.sourceId}`);
    const fd = openSync(file.path, 'r');
    try {
      const stat = fstatSync(fd);
      const start = file.format === 'jsonl' ? startPoint(work.cursor, stat, fd) : { offset: 0, lineCount: 0, state: null, restartReason: undefined };
      if (start.restartReason !== undefined) this.report.restarted.push({ path: file.path, reason: start.restartReason });
      this.report.filesRead += 1;
      const parser = source.openParser(file, start.state);
      let pending = this.#newPending(work.cursor);
      let line = 0;
      const sink: RecordSink = {
        usage: (event) => pending.events.push(event),
        rateLimits: (snapshot) => pending.rateLimits.push(snapshot),
        drop: (reason) => pending.drops.push({ path: file.path, line, reason }),
      };
      // `size` is how much of the file this cursor has examined: all of it once a scan reaches the
      // end (a pending last line included), only up to `offset` when a batch paused mid-file, so
      // that the next sync sees the file as changed and reads on.
      const cursorAt = (offset: number, lineCount: number, finished: boolean): FileCursor => ({
        path: file.path,
        agent: source.id,
        dev: stat.dev,
        ino: stat.ino,
        size: finished ? stat.size : offset,
        mtimeMs: Math.trunc(stat.mtimeMs),
        ctimeMs: Math.trunc(stat.ctimeMs),
        offset,
        lineCount,
        fingerprint: file.format === 'jsonl' ? fingerprintAt(fd, offset) : '',
        state: parser.state(),
      });

      if (file.format === 'json') {
        const text = readFileSync(fd, 'utf8');
        this.report.bytesRead += stat.size;
        this.#options.progressed(stat.size);
        if (!parser.document(text, sink)) {
          // A document that does not parse is usually being rewritten: report it, read it again next time.
          this.report.drops.push(...pending.drops);
          return;
        }
        pending.to = cursorAt(stat.size, 0, true);
        pending.last = true;
        await this.#enqueue(pending);
        return;
      }

      const markers = markersOf(parser);
      let offset = start.offset;
      let lineCount = start.lineCount;
      for (;;) {
        const result = scanLines(fd, offset, lineCount, markers, {
          candidate: (bytes, begin, end, lineNumber) => {
            line = lineNumber;
            parser.line(bytes, begin, end, sink);
            return this.#queuedEvents + pending.events.length >= this.#options.batchSize;
          },
          malformed: (lineNumber, reason) => {
            line = lineNumber;
            sink.drop(reason);
          },
        });
        // The bytes this scan examined: up to where it paused, or to the end (an incomplete last line
        // included). Not what it read from disk: bytes read ahead of a pause are read again from the
        // pause on, and where a batch pauses depends on the other lanes' timing.
        this.report.bytesRead += result.endOffset - offset + (result.paused ? 0 : result.pendingBytes);
        this.#options.progressed(result.endOffset - offset);
        pending.to = cursorAt(result.endOffset, result.lineCount, !result.paused);
        pending.last = !result.paused;
        const next = this.#newPending(pending.to);
        await this.#enqueue(pending);
        pending = next;
        offset = result.endOffset;
        lineCount = result.lineCount;
        if (!result.paused) {
          if (result.pendingBytes > 0) this.report.pendingTails.push({ path: file.path, bytes: result.pendingBytes, modifiedMs: stat.mtimeMs });
          return;
        }
      }
    } finally {
      closeSync(fd);
    }
  }

  #newPending(from: FileCursor | undefined): Pending {
    return { from, to: undefined as unknown as FileCursor, events: [], rateLimits: [], drops: [], last: false };
  }

  async #enqueue(pending: Pending): Promise<void> {
    this.#queue.push(pending);
    this.#queuedEvents += pending.events.length;
    if (this.#queuedEvents >= this.#options.batchSize) await this.#flush();
  }

  /**
   * Prices everything queued and commits it, with whatever earlier batches still wait, in one
   * transaction. While another lane holds the write lock the lane reads on, up to twice a batch
   * waiting; then, and at the end (`final`), it waits for the lock.
   */
  async #flush(final = false): Promise<void> {
    if (this.#queue.length > 0) {
      const queue = this.#queue;
      this.#queue = [];
      this.#queuedEvents = 0;
      const { pricer, priceVersionId } = this.#options;
      const batches: CommitBatch[] = [];
      for (const p of queue) {
        for (const e of p.events) e.namespace = this.#options.namespace;
        const events: PricedEvent[] = p.events.length > 0 ? await pricer.priceAll(p.events, priceVersionId) : [];
        batches.push({ from: p.from, to: p.to, events, rateLimits: p.rateLimits, drops: p.drops });
        if (p.last) this.#readyFiles += 1;
        this.report.drops.push(...p.drops);
        for (const e of events) if (e.unpriced) this.report.unpricedModels.add(e.model);
      }
      // Copies of one request (streamed lines, subagent progress) are settled here by the
      // ledger's own ranking, so only one of them reaches SQL.
      this.report.duplicates += settleCopies(batches);
      for (const b of batches) {
        this.#ready.push(b);
        this.#readyEvents += b.events.length;
      }
    }
    if (this.#ready.length === 0) return;
    const result = await this.#options.commit(this.#ready, final || this.#readyEvents >= 2 * this.#options.batchSize);
    if (result === 'busy') return;
    this.#ready = [];
    this.#readyEvents = 0;
    this.#options.committedFiles?.(this.#readyFiles);
    this.#readyFiles = 0;
    addCommit(this.report, result);
  }
}

/** Adds what a commit did to a report. */
export function addCommit(report: SyncReport, result: CommitResult): void {
  report.inserted += result.inserted;
  report.replaced += result.replaced;
  report.duplicates += result.duplicates;
}

function markersOf(parser: FileParser): Buffer[] {
  let markers = markerCache.get(parser.markers);
  if (markers === undefined) {
    markers = parser.markers.map((m) => Buffer.from(m));
    markerCache.set(parser.markers, markers);
  }
  return markers;
}
