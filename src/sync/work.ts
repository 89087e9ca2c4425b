import { statSync } from 'node:fs';
import { describeError } from '../core/errors.js';
import type { Source, SourceFile } from '../core/source.js';
import type { DroppedRecord, FileCursor } from '../ledger/ledger.js';
import { sourceRoots, type Env } from '../sources/shared/roots.js';

/** One file to read, in a form that can be handed to a worker thread. */
export interface Work {
  sourceId: string;
  file: SourceFile;
  size: number;
  cursor: FileCursor | undefined;
}

export interface WorkList {
  work: Work[];
  filesSeen: number;
  drops: DroppedRecord[];
}

/** Every source file whose size, time or identity differs from its cursor, largest first. */
export function findWork(sources: readonly Source[], env: Env, cursors: ReadonlyMap<string, FileCursor>): WorkList {
  const list: WorkList = { work: [], filesSeen: 0, drops: [] };
  for (const source of sources) {
    for (const root of sourceRoots(source, env)) {
      const listed = source.listFiles(root);
      for (const { path, reason } of listed.unreadable) list.drops.push({ path, line: 0, reason: `cannot read folder: ${reason}` });
      for (const file of listed.files) {
        list.filesSeen += 1;
        let stat;
        try {
          stat = statSync(file.path);
        } catch (error) {
          list.drops.push({ path: file.path, line: 0, reason: `cannot read file: ${describeError(error)}` });
          continue;
        }
        const cursor = cursors.get(file.path);
        const same =
          cursor !== undefined &&
          cursor.dev === stat.dev &&
          cursor.ino === stat.ino &&
          cursor.size === stat.size &&
          cursor.mtimeMs === Math.trunc(stat.mtimeMs);
        if (!same) list.work.push({ sourceId: source.id, file, size: stat.size, cursor });
      }
    }
  }
  // Largest first, so parallel lanes finish together.
  list.work.sort((a, b) => b.size - (b.cursor?.offset ?? 0) - (a.size - (a.cursor?.offset ?? 0)));
  return list;
}

/** Bytes the work list has left to read. */
export function bytesToRead(work: readonly Work[]): number {
  return work.reduce((sum, w) => sum + Math.max(0, w.size - (w.cursor?.offset ?? 0)), 0);
}
