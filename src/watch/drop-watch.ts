import { dirname, resolve } from 'node:path';
import { FolderWatch, type WatchFunction } from './folder-watch.js';

export interface DropWatchOptions {
  dir: string;
  /** One pass over the folder; resolves with how many files were left for later (still being written). */
  pass(): Promise<{ waiting: number }>;
  /** A pass failed; the files stay where they are and another pass follows after `retryInMs`. */
  onTrouble?(error: unknown, retryInMs: number, attempt: number): void;
  onRecovered?(): void;
  /** Wait after a change before a pass. Default 30. */
  debounceMs?: number;
  /** A pass that left files waiting is followed by another after this long. Default 1 s. */
  waitingMs?: number;
  watch?: WatchFunction;
}

export interface DropWatch {
  stop(): Promise<void>;
}

const MAX_RETRY_MS = 30_000;

/**
 * Takes the files other tools drop into a folder as they arrive: a pass at start, then one shortly
 * after each change in the folder (its processed/ and rejected/ sub-folders aside), one at a time.
 */
export function startDropWatch(options: DropWatchOptions): DropWatch {
  const dir = resolve(options.dir);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let wanted = true;
  let failures = 0;
  let stopped = false;

  const schedule = (ms: number): void => {
    if (stopped || running !== undefined || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = once().finally(() => {
        running = undefined;
        if (wanted) schedule(failures > 0 ? Math.min(MAX_RETRY_MS, 500 * 2 ** failures) : (options.debounceMs ?? 30));
      });
    }, ms);
  };

  const once = async (): Promise<void> => {
    if (stopped || !wanted) return;
    wanted = false;
    try {
      const { waiting } = await options.pass();
      if (failures > 0) options.onRecovered?.();
      failures = 0;
      if (waiting > 0 && !stopped) {
        // A file still being written: looked at again once it may have settled.
        setTimeout(() => {
          wanted = true;
          schedule(0);
        }, options.waitingMs ?? 1000).unref();
      }
    } catch (error) {
      if (stopped) return;
      wanted = true;
      failures += 1;
      options.onTrouble?.(error, Math.min(MAX_RETRY_MS, 500 * 2 ** failures), failures);
    }
  };

  const folder = new FolderWatch({
    folders: [dir],
    onPaths: (paths) => {
      if (!paths.some((p) => dirname(p) === dir)) return;
      wanted = true;
      schedule(options.debounceMs ?? 30);
    },
    onLost: () => {
      wanted = true;
      schedule(0);
    },
    onDegraded: () => {},
    ...(options.watch === undefined ? {} : { watch: options.watch }),
  });
  schedule(0);

  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      folder.close();
      await running;
    },
  };
}
