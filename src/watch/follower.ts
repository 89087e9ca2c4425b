import type { SyncReport } from '../sync/sync.js';
import { FolderWatch, type WatchFunction } from './folder-watch.js';
import { SerialRunner } from './serial-runner.js';

export interface FollowerOptions {
  /** Folders followed with everything under them (they may appear later). */
  folders: readonly string[];
  /**
   * Reads the files named into the ledger; every source's files when `only` is absent. `signal`
   * aborts when the follower stops (a sync that can end early may; its commits must stay whole).
   */
  sync(only: readonly string[] | undefined, signal: AbortSignal): Promise<SyncReport>;
  /** After each sync that completed (its commits are in the ledger). */
  onSynced?(report: SyncReport, only: readonly string[] | undefined): void;
  /** A sync failed (a ledger locked by another writer, say): nothing is lost, it is tried again after `retryInMs`. */
  onTrouble?(error: unknown, retryInMs: number, attempt: number): void;
  /** The first sync that completed after trouble. */
  onRecovered?(): void;
  /** Some folder went without a watch (see `FolderWatch`). */
  onDegraded?(message: string): void;
  /** Waits this long after a change before syncing, so a burst of writes is read at once. Default 30. */
  debounceMs?: number;
  /** Every source's files are looked at again this often, in case the kernel dropped an event. Default 5 min. */
  rescanMs?: number;
  /** The same, while some folder has no watch (the watch limit). Default 30 s. */
  degradedRescanMs?: number;
  /** Sync everything at start (catching up on what was written while not watching). Default true. */
  catchUp?: boolean;
  watch?: WatchFunction;
}

export interface Follower {
  readonly folders: FolderWatch;
  /** Stops watching and timers, and waits for a sync in flight to finish (its commits are whole). */
  stop(): Promise<void>;
}

/**
 * Follows agent logs as they are written: changed paths are collected, a short while later synced
 * (only those files), and changes that arrive during a sync are synced right after it. Idle, it is
 * only kernel watches and one slow timer. A failed sync keeps its paths and is retried with backoff.
 */
export function startFollower(options: FollowerOptions): Follower {
  const debounceMs = options.debounceMs ?? 30;
  const pending = new Set<string>();
  let everything = options.catchUp ?? true;
  const stopping = new AbortController();

  const runner = new SerialRunner<{ report: SyncReport; only: readonly string[] | undefined }>({
    debounceMs,
    pending: () => everything || pending.size > 0,
    work: async () => {
      const only = everything ? undefined : [...pending];
      everything = false;
      pending.clear();
      try {
        return { report: await options.sync(only, stopping.signal), only };
      } catch (error) {
        // Nothing of a failed commit is in the ledger: the same paths are read again.
        if (only === undefined) everything = true;
        else for (const path of only) pending.add(path);
        throw error;
      }
    },
    done: ({ report, only }) => {
      try {
        options.onSynced?.(report, only);
      } catch {
        // What a listener does with the news is its own affair: following goes on.
      }
    },
    ...(options.onTrouble === undefined ? {} : { onTrouble: options.onTrouble }),
    ...(options.onRecovered === undefined ? {} : { onRecovered: options.onRecovered }),
  });
  const schedule = (ms: number): void => runner.schedule(ms);

  let rescan: NodeJS.Timeout | undefined;
  let degraded = false;
  const restartRescan = (): void => {
    if (rescan !== undefined) clearInterval(rescan);
    rescan = setInterval(
      () => {
        everything = true;
        schedule(0);
      },
      degraded ? (options.degradedRescanMs ?? 30_000) : (options.rescanMs ?? 300_000),
    );
  };

  const folders = new FolderWatch({
    folders: options.folders,
    onPaths: (paths) => {
      for (const path of paths) pending.add(path);
      schedule(debounceMs);
    },
    onLost: () => {
      everything = true;
      schedule(debounceMs);
    },
    onDegraded: (message) => {
      degraded = true;
      options.onDegraded?.(message);
      if (rescan !== undefined) restartRescan();
    },
    ...(options.watch === undefined ? {} : { watch: options.watch }),
  });

  restartRescan();
  if (everything) schedule(0);

  return {
    folders,
    async stop() {
      // No run starts or retries from here on; the one in flight is told to end early.
      const finished = runner.stop();
      stopping.abort();
      if (rescan !== undefined) clearInterval(rescan);
      folders.close();
      await finished;
    },
  };
}
