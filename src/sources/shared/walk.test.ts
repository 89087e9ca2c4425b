import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { walkFiles } from './walk.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokenledger-walk-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const jsonl = { accept: (_rel: string, name: string) => (name.endsWith('.jsonl') ? ('jsonl' as const) : undefined) };
const rel = (paths: { path: string }[]): string[] => paths.map((f) => f.path.slice(dir.length + 1)).sort();

describe('walkFiles', () => {
  it('lists matching files recursively, follows symlinked folders, and ends symlink cycles', () => {
    mkdirSync(join(dir, 'root/a/b'), { recursive: true });
    mkdirSync(join(dir, 'elsewhere'), { recursive: true });
    writeFileSync(join(dir, 'root/a/one.jsonl'), '');
    writeFileSync(join(dir, 'root/a/b/two.jsonl'), '');
    writeFileSync(join(dir, 'root/a/b/notes.txt'), '');
    writeFileSync(join(dir, 'elsewhere/three.jsonl'), '');
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'root/linked'));
    symlinkSync(join(dir, 'root'), join(dir, 'root/a/b/loop'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'root/dangling.jsonl'));
    const list = walkFiles(join(dir, 'root'), join(dir, 'root'), jsonl);
    expect(rel(list.files)).toEqual(['root/a/b/two.jsonl', 'root/a/one.jsonl', 'root/linked/three.jsonl']);
    expect(list.unreadable).toEqual([]);
  });

  it('treats a missing start as no files, and respects descend()', () => {
    expect(walkFiles(join(dir, 'missing'), dir, jsonl)).toEqual({ files: [], unreadable: [] });
    mkdirSync(join(dir, 'x/skip'), { recursive: true });
    writeFileSync(join(dir, 'x/skip/a.jsonl'), '');
    writeFileSync(join(dir, 'x/b.jsonl'), '');
    expect(rel(walkFiles(join(dir, 'x'), dir, { ...jsonl, descend: (r) => r !== 'skip' }).files)).toEqual(['x/b.jsonl']);
  });
});
