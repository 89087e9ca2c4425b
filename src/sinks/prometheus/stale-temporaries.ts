import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A temporary file this old is abandoned whoever wrote it: writing a textfile takes seconds. */
export const STALE_AFTER_MS = 10 * 60_000;

/** `.<name>.<pid>.<12 hex>.tmp`: how `writeTextfileAtomic` names its temporary files. */
export function temporaryName(name: string, pid: number, suffix: string): string {
  return `.${name}.${pid}.${suffix}.tmp`;
}

/**
 * Removes the temporary files that earlier writes of the textfile `name` left in `folder` when they
 * were killed (a killed export can leave a file as large as the textfile, and nothing else would
 * ever remove it): those whose writer is no longer running, and any older than `STALE_AFTER_MS`
 * (its pid may have been reused). Only names of our own pattern for this textfile are touched.
 * Best effort: a file that cannot be removed is left for the next write.
 */
export function removeStaleTemporaries(folder: string, name: string, now = Date.now()): void {
  const prefix = `.${name}.`;
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const match = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(entry.slice(prefix.length));
    if (match === null) continue;
    const path = join(folder, entry);
    try {
      const pid = Number(match[1]);
      if (pid !== process.pid && !running(pid)) rmSync(path, { force: true });
      else if (now - statSync(path).mtimeMs > STALE_AFTER_MS) rmSync(path, { force: true });
    } catch {
      // Gone already, or not ours to remove: the next write looks again.
    }
  }
}

/** Whether a process with this pid exists (one of another user counts: it may be writing). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
