import { randomBytes } from 'node:crypto';
import { GATEWAY_AGENT } from '../ledger/gateway-keys.js';
import type { FileBatch, FileCursor } from '../ledger/ledger.js';
import type { Settled } from './spill-journal.js';

/**
 * The live commits of one gateway process, kept by the ledger as the cursor of a file that is not
 * on any disk: its path names the process (`<origin>:<start ms>-<pid>-<random>`, unique to the
 * ledger), its offset counts the requests this process has committed so far. Every group commit is
 * a file batch of the stream, from the offset it was last committed at to the offset after it: a
 * commit tried again after its acknowledgement was lost (the ledger took it, the gateway never heard)
 * finds its range already held and is skipped whole, settlements included, exactly as a spill
 * journal replayed twice is. One cursor row per gateway process start; sync never lists the path (it
 * names no file), so it is never read, reported as a pending tail, or copied by push and pull.
 */
export interface StreamRange {
  /** The stream's path (`streamPath`). */
  path: string;
  /** Requests of the stream committed before this range. */
  fromSeq: number;
  /** Requests of the stream committed once this range is. */
  toSeq: number;
}

/** A new stream path for the gateway process whose events come from `origin` (`gateway:<listen address>`). */
export function streamPath(origin: string): string {
  return `${origin}:${Date.now()}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** The stream's cursor once `seq` of its requests are committed. */
export function streamCursor(path: string, seq: number): FileCursor {
  return { path, agent: GATEWAY_AGENT, dev: 0, ino: 0, size: seq, mtimeMs: 0, offset: seq, lineCount: seq, fingerprint: '', state: null };
}

/** `items` as the file batch of `range`: events, settlements, and the stream's cursors either side. */
export function streamBatch(range: StreamRange, items: readonly Settled[]): FileBatch {
  return {
    from: range.fromSeq === 0 ? undefined : streamCursor(range.path, range.fromSeq),
    to: streamCursor(range.path, range.toSeq),
    events: items.map((i) => i.event),
    rateLimits: [],
    drops: [],
    settlements: items.map((i) => i.settlement),
  };
}
