import type { Source } from '../core/source.js';
import { sourceRoots, type Env } from '../sources/shared/roots.js';

/** A folder a source keeps its files in, and whose root it is under. */
export interface WatchedFolder {
  source: Source;
  root: string;
  folder: string;
}

/** The folders to follow for every source: each root's `watchFolders`, else the root itself. */
export function watchedFolders(sources: readonly Source[], env: Env): WatchedFolder[] {
  const out: WatchedFolder[] = [];
  for (const source of sources) {
    for (const root of sourceRoots(source, env)) {
      for (const folder of source.watchFolders?.(root) ?? [root]) out.push({ source, root, folder });
    }
  }
  return out;
}
