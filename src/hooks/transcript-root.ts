import { basename, dirname, isAbsolute } from 'node:path';
import { expandHome } from '../sources/shared/roots.js';

/**
 * The Claude Code root a transcript belongs to: the parent of the nearest folder above it named
 * `projects` (`~/.claude/projects/<project>/<session>.jsonl` → `~/.claude`). Undefined when the
 * path lies in no `projects/` folder, so it is no transcript tokenledger reads.
 */
export function transcriptRoot(transcriptPath: string, home?: string): string | undefined {
  const path = expandHome(transcriptPath, home);
  if (!isAbsolute(path)) return undefined;
  for (let dir = dirname(path); dirname(dir) !== dir; dir = dirname(dir)) {
    if (basename(dir) === 'projects') return dirname(dir);
  }
  return undefined;
}
