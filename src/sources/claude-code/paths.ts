import { basename, join, relative, sep } from 'node:path';
import type { FileList, SourceFile } from '../../core/source.js';
import { fileUnder, walkFiles, type WalkOptions } from '../shared/walk.js';

/** Claude Code keeps its config in `~/.claude` (newer builds: `~/.config/claude`). */
export function defaultRoots(home: string): string[] {
  return [join(home, '.config', 'claude'), join(home, '.claude')];
}

/** A root may be the config folder or its `projects/` folder. */
export function projectsDir(root: string): string {
  return basename(root) === 'projects' ? root : join(root, 'projects');
}

/** Every `*.jsonl` under `projects/`, recursively (subagent transcripts included). */
const TRANSCRIPTS: WalkOptions = { accept: (_rel, name) => (name.endsWith('.jsonl') ? 'jsonl' : undefined) };

export function listFiles(root: string): FileList {
  return walkFiles(projectsDir(root), root, TRANSCRIPTS);
}

export function fileAt(root: string, path: string): SourceFile | undefined {
  return fileUnder(projectsDir(root), root, TRANSCRIPTS, path);
}

export interface PathFacts {
  /** Folder under `projects/` (the encoded working directory). */
  projectFolder: string;
  /** Session id implied by the path: the file name, or the parent session of a subagent file. */
  sessionId: string;
}

/** `projects/<P>/<S>.jsonl` → (P, S); `projects/<P>/<S>/subagents/agent-x.jsonl` → (P, S). */
export function pathFacts(root: string, file: string): PathFacts {
  const parts = relative(projectsDir(root), file).split(sep);
  const projectFolder = parts.length > 1 ? (parts[0] as string) : '';
  const subagents = parts.lastIndexOf('subagents');
  const sessionId = subagents > 0 ? (parts[subagents - 1] as string) : basename(file, '.jsonl');
  return { projectFolder, sessionId };
}
