import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PricedEvent } from '../core/usage-event.js';
import { GATEWAY_AGENT, type Settlement } from '../ledger/gateway-keys.js';
import type { DroppedRecord, FileBatch } from '../ledger/ledger.js';
import { type StreamRange, streamCursor } from './commit-stream.js';
import type { GatewayWrites } from './ledger-writes.js';

/** One metered request whose usage waits to be committed: its priced event and its settlement. */
export interface Settled {
  event: PricedEvent;
  settlement: Settlement;
}

/** The folder under the data folder holding the spill journals of the ledger `ledgerId`. */
export function spillFolderFor(dataFolder: string, ledgerId: string): string {
  return join(dataFolder, 'gateway-spill', ledgerId.replace(/[^A-Za-z0-9._-]/g, '_'));
}

const SUFFIX = '.jsonl';

/**
 * Usage the gateway could not commit in time, kept on disk until a gateway commits it. A journal is
 * one file per spill (`<ms>-<pid>-<random>.jsonl`, one JSON line per request: `{ event, settlement }`),
 * written under a temporary name, synced, then renamed: a journal either is whole or is not there.
 * Requests whose live commit may have reached the ledger (its acknowledgement was lost) are spilled
 * as a journal of their own whose first line names their range of the commit stream
 * (`{ stream: StreamRange }`): replayed, it is committed with the stream's cursor instead of its
 * own, so the ledger skips it if the live commit did land.
 * Files are readable by their owner only. The folder belongs to one ledger (`spillFolderFor`), so a
 * spill is replayed only into the ledger it was meant for.
 */
export class SpillJournal {
  readonly folder: string;

  constructor(folder: string) {
    this.folder = folder;
  }

  /** Writes `items` (of the commit stream's `range`, when given) as a new journal (synced to disk); returns its path. */
  write(items: readonly Settled[], range?: StreamRange): string {
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const name = `${Date.now().toString().padStart(15, '0')}-${process.pid}-${randomBytes(6).toString('hex')}${SUFFIX}`;
    const path = join(this.folder, name);
    const partial = `${path}.partial`;
    const fd = openSync(partial, 'wx', 0o600);
    try {
      const head = range === undefined ? '' : `${JSON.stringify({ stream: range })}\n`;
      const text = head + items.map((item) => `${JSON.stringify(item)}\n`).join('');
      const bytes = Buffer.from(text);
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, path);
    syncFolder(this.folder);
    return path;
  }

  /** The whole journals waiting, oldest first. */
  journals(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .filter((n) => n.endsWith(SUFFIX))
      .sort()
      .map((n) => join(this.folder, n));
  }

  /**
   * Commits every journal, oldest first, and deletes each once its commit succeeded. A journal is
   * committed as a file batch with its own cursor, in one transaction with its events and
   * settlements: replayed again after a crash between the commit and the delete, the ledger skips
   * it (its range is committed), so nothing counts twice. Returns the requests committed; throws
   * when the ledger cannot take a journal (it stays for the next try).
   */
  async replay(writes: GatewayWrites, origin: string): Promise<number> {
    let committed = 0;
    for (const path of this.journals()) {
      // Another gateway on this data folder and ledger may be replaying it too: the ledger's cursor
      // lets only one commit count, and a journal gone meanwhile is done.
      let batch: FileBatch;
      try {
        batch = journalBatch(path, origin);
      } catch (error) {
        if (gone(error)) continue;
        throw error;
      }
      const result = await writes.commit(batch);
      if (result.skipped === 0) committed += batch.settlements?.length ?? 0;
      try {
        unlinkSync(path);
      } catch (error) {
        if (!gone(error)) throw error;
      }
    }
    if (committed > 0) syncFolder(this.folder);
    return committed;
  }
}

/** A journal as one file batch: its events and settlements, and a cursor at its end. */
export function journalBatch(path: string, origin: string): FileBatch {
  const text = readFileSync(path, 'utf8');
  const st = statSync(path);
  const events: PricedEvent[] = [];
  const settlements: Settlement[] = [];
  const drops: DroppedRecord[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const range = streamRangeOf(lines[0]);
  lines.forEach((line, i) => {
    if (i === 0 && range !== undefined) return;
    try {
      const item = JSON.parse(line) as Settled;
      if (typeof item?.event?.dedupKey !== 'string' || typeof item?.settlement?.key !== 'string') throw new Error('not a spilled request');
      events.push(item.event);
      settlements.push(item.settlement);
    } catch (error) {
      drops.push({ path, line: i + 1, reason: `unreadable spilled request from ${origin}: ${error instanceof Error ? error.message : String(error)}` });
    }
  });
  if (range !== undefined)
    return { from: range.fromSeq === 0 ? undefined : streamCursor(range.path, range.fromSeq), to: streamCursor(range.path, range.toSeq), events, rateLimits: [], drops, settlements };
  return {
    from: undefined,
    to: {
      path,
      agent: GATEWAY_AGENT,
      dev: st.dev,
      ino: st.ino,
      size: st.size,
      mtimeMs: st.mtimeMs,
      ctimeMs: st.ctimeMs,
      offset: st.size,
      lineCount: lines.length,
      fingerprint: '',
      state: null,
    },
    events,
    rateLimits: [],
    drops,
    settlements,
  };
}

/** The stream range a journal's first line names, if it names one. */
function streamRangeOf(line: string | undefined): StreamRange | undefined {
  if (line === undefined || !line.startsWith('{"stream":')) return undefined;
  try {
    const { stream } = JSON.parse(line) as { stream?: Partial<StreamRange> };
    const { path, fromSeq, toSeq } = stream ?? {};
    if (typeof path === 'string' && Number.isSafeInteger(fromSeq) && Number.isSafeInteger(toSeq)) return { path, fromSeq: fromSeq as number, toSeq: toSeq as number };
  } catch {
    // Not a range line: read as a request (and dropped as unreadable).
  }
  return undefined;
}

function gone(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Makes a rename or delete in `folder` durable. */
function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
