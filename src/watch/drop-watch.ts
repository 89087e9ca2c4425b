import { dirname, resolve } from 'node:path';
import { FolderWatch, type WatchFunction } from './folder-watch.js';
import { SerialRunner } from './serial-runner.js';

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

/**
 * Takes the files other tools drop into a folder as they arrive: a pass at start, then one shortly
 * after each change in the folder (its processed/ and rejected/ sub-folders aside), one at a time.
 */
export function startDropWatch(options: DropWatchOptions): DropWatch {
  const dir = resolve(options.dir);
  let wanted = true;
  const runner = new SerialRunner<{ waiting: number }>({
    debounceMs: options.debounceMs ?? 30,
    pending: () => wanted,
    work: async () => {
      wanted = false;
      try {
        return await options.pass();
      } catch (error) {
        wanted = true;
        throw error;
      }
    },
    done: ({ waiting }) => {
      if (waiting === 0 || runner.stopped) return;
      // A file still being written: looked at again once it may have settled.
      setTimeout(() => {
        wanted = true;
        runner.schedule(0);
      }, options.waitingMs ?? 1000).unref();
    },
    ...(options.onTrouble === undefined ? {} : { onTrouble: options.onTrouble }),
    ...(options.onRecovered === undefined ? {} : { onRecovered: options.onRecovered }),
  });
  const schedule = (ms?: number): void => runner.schedule(ms);

  const folder = new FolderWatch({
    folders: [dir],
    onPaths: (paths) => {
      if (!paths.some((p) => dirname(p) === dir)) return;
      wanted = true;
      schedule();
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
      folder.close();
      await runner.stop();
    },
  };
}
