import { basename, join } from 'node:path';
import type { FileList } from '../../core/source.js';
import { walkFiles } from '../shared/walk.js';

export function defaultRoots(home: string): string[] {
  return [join(home, '.codex')];
}

/** Rollouts live under `sessions/` and, once archived, `archived_sessions/`. */
export function listFiles(root: string): FileList {
  const list: FileList = { files: [], unreadable: [] };
  for (const folder of ['sessions', 'archived_sessions']) {
    walkFiles(join(root, folder), root, { accept: (_rel, name) => (name.endsWith('.jsonl') ? 'jsonl' : undefined) }, list);
  }
  return list;
}

const UUID_TAIL = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;

/** `rollout-2025-09-01T10-00-00-<uuid>.jsonl` → the uuid, else the file name without extension. */
export function sessionIdFromPath(path: string): string {
  const match = UUID_TAIL.exec(basename(path));
  return match?.[1] ?? basename(path, '.jsonl');
}
