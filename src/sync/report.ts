import type { DroppedRecord } from '../ledger/ledger.js';

export interface SyncReport {
  filesSeen: number;
  filesRead: number;
  /** Bytes of the files this sync examined (from each cursor to where reading stopped): the same on the same input. */
  bytesRead: number;
  inserted: number;
  replaced: number;
  duplicates: number;
  /** Lines or files that could not be used, with the reason. */
  drops: DroppedRecord[];
  /** Files re-read from the start, and why. */
  restarted: { path: string; reason: string }[];
  /**
   * Files whose last line is incomplete (no newline, and not complete JSON records), left for the
   * next sync; `modifiedMs` is the file's modification time.
   */
  pendingTails: { path: string; bytes: number; modifiedMs: number }[];
  /** Models seen in this sync that have no price. */
  unpricedModels: Set<string>;
  /** Threads that read files (1 = the main thread alone). */
  lanes: number;
  durationMs: number;
}

export function emptyReport(): SyncReport {
  return {
    filesSeen: 0,
    filesRead: 0,
    bytesRead: 0,
    inserted: 0,
    replaced: 0,
    duplicates: 0,
    drops: [],
    restarted: [],
    pendingTails: [],
    unpricedModels: new Set(),
    lanes: 1,
    durationMs: 0,
  };
}

/** Adds `part` (a lane's report) into `into`. */
export function mergeReport(into: SyncReport, part: SyncReport): void {
  into.filesRead += part.filesRead;
  into.bytesRead += part.bytesRead;
  into.inserted += part.inserted;
  into.replaced += part.replaced;
  into.duplicates += part.duplicates;
  into.drops.push(...part.drops);
  into.restarted.push(...part.restarted);
  into.pendingTails.push(...part.pendingTails);
  for (const m of part.unpricedModels) into.unpricedModels.add(m);
}

/** A report as plain data, to cross from a worker thread. */
export function toTransfer(report: SyncReport): Omit<SyncReport, 'unpricedModels'> & { unpricedModels: string[] } {
  return { ...report, unpricedModels: [...report.unpricedModels] };
}

export function fromTransfer(data: ReturnType<typeof toTransfer>): SyncReport {
  return { ...data, unpricedModels: new Set(data.unpricedModels) };
}
