import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { describeError } from '../../core/errors.js';
import type { FileList, SourceFile } from '../../core/source.js';

export interface WalkOptions {
  /** Which files to take, by path relative to the walk's start. */
  accept(relativePath: string, name: string): SourceFile['format'] | undefined;
  /** Whether to descend into a folder (relative path, `''` is the start). Default: always. */
  descend?(relativePath: string, depth: number): boolean;
}

/**
 * Lists files under `start` recursively, following symlinked folders once. A missing start is an
 * empty list (the agent is not installed); an unreadable folder is reported, not thrown.
 */
export function walkFiles(start: string, root: string, options: WalkOptions, into?: FileList): FileList {
  const list: FileList = into ?? { files: [], unreadable: [] };
  const seen = new Set<string>();

  // `real` is the folder's path with symlinks resolved: the root's is asked once, a plain
  // subfolder's is its parent's plus its name, and only a symlink needs asking again.
  const visit = (dir: string, real: string, relative: string, depth: number): void => {
    if (seen.has(real)) return;
    seen.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') list.unreadable.push({ path: dir, reason: describeError(error) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const rel = relative === '' ? entry.name : `${relative}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let childReal = join(real, entry.name);
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(path);
          isDir = target.isDirectory();
          isFile = target.isFile();
          if (isDir) childReal = realpathSync(path);
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) {
        if (options.descend === undefined || options.descend(rel, depth + 1)) visit(path, childReal, rel, depth + 1);
      } else if (isFile) {
        const format = options.accept(rel, entry.name);
        if (format !== undefined) list.files.push({ path, root, format });
      }
    }
  };

  let startReal: string;
  try {
    startReal = realpathSync(start);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') list.unreadable.push({ path: start, reason: describeError(error) });
    return list;
  }
  visit(start, startReal, '', 0);
  return list;
}

/**
 * The file at `path` as `walkFiles(start, root, options)` would list it, without walking: for
 * following one file (a hook's transcript, a watched change). Undefined when the walk would not
 * take it (outside `start`, in a folder it skips, a name it ignores).
 */
export function fileUnder(start: string, root: string, options: WalkOptions, path: string): SourceFile | undefined {
  const rel = relative(start, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  const parts = rel.split(sep);
  for (let depth = 1; depth < parts.length; depth++) {
    if (options.descend !== undefined && !options.descend(parts.slice(0, depth).join('/'), depth)) return undefined;
  }
  const format = options.accept(parts.join('/'), parts[parts.length - 1] as string);
  return format === undefined ? undefined : { path, root, format };
}
