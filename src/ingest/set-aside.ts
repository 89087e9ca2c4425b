import { linkSync, mkdirSync, renameSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';

/**
 * Moves `path` into the folder `into` under its own name, or `name.1.json`, `name.2.json`, … when
 * that is taken (nothing there is ever overwritten). `before` runs with the chosen path before the
 * file moves (the reject reason is written there). Returns the new path, or undefined when the file
 * was already gone (another pass moved it).
 */
export function setAside(path: string, into: string, before?: (target: string) => void): string | undefined {
  mkdirSync(into, { recursive: true });
  const name = basename(path);
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 0; ; n++) {
    const target = join(into, n === 0 ? name : `${stem}.${n}${ext}`);
    if (existsSync(target)) continue;
    before?.(target);
    try {
      // A hard link fails rather than replace a file that appeared meanwhile.
      linkSync(path, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code === 'ENOENT') return undefined;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'EMLINK') throw error;
      // A file system without hard links: rename (the name was free a moment ago).
      try {
        renameSync(path, target);
      } catch (renameError) {
        if ((renameError as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw renameError;
      }
      return target;
    }
    removeFile(path);
    return target;
  }
}

/** Removes a file; one already gone is fine. */
export function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Moves a refused file into `rejected/` with `<name>.reason` beside it; returns the new path. */
export function reject(path: string, rejectedDir: string, reason: string, at: number): string | undefined {
  return setAside(path, rejectedDir, (target) => writeFileSync(`${target}.reason`, `tokenledger refused ${basename(path)} at ${new Date(at).toISOString()}:\n${reason}\n`));
}
