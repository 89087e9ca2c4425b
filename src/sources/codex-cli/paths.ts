import { basename, join } from 'node:path';
import type { FileList, SourceFile } from '../../core/source.js';
import { fileUnder, walkFiles, type WalkOptions } from '../shared/walk.js';

export function defaultRoots(home: string): string[] {
  return [join(home, '.codex')];
}

const FOLDERS = ['sessions', 'archived_sessions'];
const ROLLOUTS: WalkOptions = { accept: (_rel, name) => (name.endsWith('.jsonl') ? 'jsonl' : undefined) };

/** Rollouts live under `sessions/` and, once archived, `archived_sessions/`. */
export function listFiles(root: string): FileList {
  const list: FileList = { files: [], unreadable: [] };
  for (const folder of FOLDERS) walkFiles(join(root, folder), root, ROLLOUTS, list);
  return list;
}

export function watchFolders(root: string): string[] {
  return FOLDERS.map((folder) => join(root, folder));
}

export function fileAt(root: string, path: string): SourceFile | undefined {
  for (const folder of FOLDERS) {
    const file = fileUnder(join(root, folder), root, ROLLOUTS, path);
    if (file !== undefined) return file;
  }
  return undefined;
}

const UUID_TAIL = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i;

/** `rollout-2025-09-01T10-00-00-<uuid>.jsonl` → the uuid, else the file name without extension. */
export function sessionIdFromPath(path: string): string {
  const match = UUID_TAIL.exec(basename(path));
  return match?.[1] ?? basename(path, '.jsonl');
}
