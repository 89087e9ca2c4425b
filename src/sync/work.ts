import { statSync } from 'node:fs';
import { describeError } from '../core/errors.js';
import type { Source, SourceFile } from '../core/source.js';
import type { DroppedRecord, FileCursor } from '../ledger/ledger.js';
import { sourceRoots, type Env } from '../sources/shared/roots.js';
import { untouchedSince } from './cursor.js';

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

/** Every source file whose size, times or identity differ from its cursor, largest first. */
export function findWork(sources: readonly Source[], env: Env, cursors: ReadonlyMap<string, FileCursor>): WorkList {
  const list: WorkList = { work: [], filesSeen: 0, drops: [] };
  for (const source of sources) {
    for (const root of sourceRoots(source, env)) {
      const listed = source.listFiles(root);
      for (const { path, reason } of listed.unreadable) list.drops.push({ path, line: 0, reason: `cannot read folder: ${reason}` });
      for (const file of listed.files) consider(list, source, file, cursors);
    }
  }
  return largestFirst(list);
}

/**
 * As `findWork`, but only for `paths` (a hook's transcript, files a watcher saw change): nothing
 * is walked. Paths no source reads are ignored; a path that has gone is no work.
 */
export function findWorkAt(sources: readonly Source[], env: Env, cursors: ReadonlyMap<string, FileCursor>, paths: Iterable<string>): WorkList {
  const list: WorkList = { work: [], filesSeen: 0, drops: [] };
  const roots = sources.map((source) => ({ source, roots: sourceRoots(source, env) }));
  for (const path of new Set(paths)) {
    found: for (const { source, roots: dirs } of roots) {
      for (const root of dirs) {
        const file = source.fileAt(root, path);
        if (file === undefined) continue;
        consider(list, source, file, cursors, true);
        break found;
      }
    }
  }
  return largestFirst(list);
}

function consider(list: WorkList, source: Source, file: SourceFile, cursors: ReadonlyMap<string, FileCursor>, goneIsFine = false): void {
  list.filesSeen += 1;
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(file.path);
  } catch (error) {
    if (goneIsFine && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    list.drops.push({ path: file.path, line: 0, reason: `cannot read file: ${describeError(error)}` });
    return;
  }
  if (!stat.isFile()) return;
  const cursor = cursors.get(file.path);
  if (cursor === undefined || !untouchedSince(cursor, stat)) list.work.push({ sourceId: source.id, file, size: stat.size, cursor });
}

/** Largest first, so parallel lanes finish together. */
function largestFirst(list: WorkList): WorkList {
  list.work.sort((a, b) => b.size - (b.cursor?.offset ?? 0) - (a.size - (a.cursor?.offset ?? 0)));
  return list;
}

/** Bytes the work list has left to read. */
export function bytesToRead(work: readonly Work[]): number {
  return work.reduce((sum, w) => sum + Math.max(0, w.size - (w.cursor?.offset ?? 0)), 0);
}
