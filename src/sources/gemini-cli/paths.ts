import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { FileList, SourceFile } from '../../core/source.js';
import { fileUnder, walkFiles, type WalkOptions } from '../shared/walk.js';

export function defaultRoots(home: string): string[] {
  return [join(home, '.gemini', 'tmp')];
}

/**
 * `<project>/chats/session-*.json` (whole documents, older releases) and `<project>/chats/**.jsonl`
 * (append-only records, newer releases; subagent chats sit in `chats/<parent-session>/`).
 */
const CHATS: WalkOptions = {
  descend: (rel, depth) => depth === 1 || rel.split('/')[1] === 'chats',
  accept: (rel, name) => {
    const parts = rel.split('/');
    if (parts.length < 3 || parts[1] !== 'chats') return undefined;
    if (name.endsWith('.jsonl')) return 'jsonl';
    if (parts.length === 3 && name.startsWith('session-') && name.endsWith('.json')) return 'json';
    return undefined;
  },
};

export function listFiles(root: string): FileList {
  return walkFiles(root, root, CHATS);
}

export function fileAt(root: string, path: string): SourceFile | undefined {
  return fileUnder(root, root, CHATS, path);
}

export interface GeminiPathFacts {
  /** Folder under the root: a project hash (older) or slug (newer). */
  projectFolder: string;
  /** Parent session of a subagent chat (`chats/<parent>/<id>.jsonl`), if this is one. */
  parentSessionId: string | undefined;
  fileStem: string;
}

export function pathFacts(root: string, file: string): GeminiPathFacts {
  const parts = relative(root, file).split(sep);
  return {
    projectFolder: parts[0] ?? '',
    parentSessionId: parts.length === 4 ? parts[2] : undefined,
    fileStem: basename(file).replace(/\.jsonl?$/, ''),
  };
}

const projectCache = new Map<string, string>();

/**
 * The project path of a Gemini project folder: its `.project_root` file, else the registry
 * `~/.gemini/projects.json` (path → slug; older folders are named by the SHA-256 of the path),
 * else the folder name itself.
 */
export function projectOf(root: string, projectFolder: string): string {
  const cacheKey = `${root}\0${projectFolder}`;
  const cached = projectCache.get(cacheKey);
  if (cached !== undefined) return cached;
  let project = readProjectRoot(join(root, projectFolder)) ?? registry(root).get(projectFolder) ?? projectFolder;
  project = project.trim() || projectFolder;
  projectCache.set(cacheKey, project);
  return project;
}

function readProjectRoot(folder: string): string | undefined {
  try {
    const text = readFileSync(join(folder, '.project_root'), 'utf8').trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

const registries = new Map<string, Map<string, string>>();

/** Folder name (slug or path hash) → project path, from the registry beside the root. */
function registry(root: string): Map<string, string> {
  let map = registries.get(root);
  if (map !== undefined) return map;
  map = new Map();
  // Loaded here, not at start-up: only a Gemini project folder ever needs a hash.
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  try {
    const parsed = JSON.parse(readFileSync(join(dirname(root), 'projects.json'), 'utf8')) as { projects?: Record<string, unknown> };
    for (const [path, slug] of Object.entries(parsed.projects ?? {})) {
      if (typeof slug === 'string') map.set(slug, path);
      map.set(createHash('sha256').update(path).digest('hex'), path);
    }
  } catch {
    // No registry (older releases).
  }
  // A hash folder may be a copy of a slug folder whose .project_root names the path.
  try {
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = readProjectRoot(join(root, entry.name));
      if (path !== undefined) map.set(createHash('sha256').update(path).digest('hex'), path);
    }
  } catch {
    // An unreadable root is reported by the walk.
  }
  registries.set(root, map);
  return map;
}
