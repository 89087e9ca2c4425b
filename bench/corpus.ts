import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCorpus, type Corpus } from '../src/sample/corpus.js';
import { DEFAULT_SHAPE, shapeNamed } from './shapes.js';

/** The benchmark's log corpus, generated once per size, shape and seed and kept under .bench/. */
export function benchCorpus(root: string, megabytes: number, shapeName = DEFAULT_SHAPE): Corpus & { dir: string } {
  const shape = shapeNamed(shapeName);
  const dir = join(root, shape.name === DEFAULT_SHAPE ? `corpus-${megabytes}mb-v2` : `corpus-${megabytes}mb-${shape.name}-v2`);
  const done = join(dir, 'corpus.json');
  if (existsSync(done)) return { ...(JSON.parse(readFileSync(done, 'utf8')) as Corpus), dir };
  rmSync(dir, { recursive: true, force: true });
  const total = megabytes * 1_000_000;
  const corpus = writeCorpus(dir, {
    seed: 42,
    endAt: Date.UTC(2025, 10, 20),
    days: 60,
    claudeBytes: Math.round(total * 0.94),
    codexBytes: Math.round(total * 0.06),
    geminiSessions: 20,
    claudeSessionBytes: 1_600_000,
    codexSessionBytes: 600_000,
    ...shape.options(total),
  });
  writeFileSync(done, JSON.stringify(corpus));
  return { ...corpus, dir };
}

export function listFiles(dir: string, ext: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext)) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/**
 * Appends about `share` of the corpus as new lines to its Claude Code transcripts (lines taken
 * from another generated corpus, so every message is new), and returns a function that cuts the
 * files back to their original sizes.
 */
export function appendShare(corpus: Corpus, extra: Corpus, share: number): { bytes: number; restore: () => void } {
  const targets = listFiles(corpus.claudeRoot, '.jsonl').filter((p) => !p.includes('/subagents/'));
  const sources = listFiles(extra.claudeRoot, '.jsonl').filter((p) => !p.includes('/subagents/'));
  const want = corpus.bytes * share;
  const sizes = new Map<string, number>();
  let bytes = 0;
  for (let i = 0; bytes < want && i < sources.length; i++) {
    const target = targets[(i * 7) % targets.length] as string;
    if (!sizes.has(target)) sizes.set(target, statSync(target).size);
    const text = readFileSync(sources[i] as string, 'utf8');
    const cut = text.slice(0, Math.min(text.length, Math.ceil(want - bytes)));
    const chunk = cut.slice(0, cut.lastIndexOf('\n') + 1);
    appendFileSync(target, chunk);
    bytes += chunk.length;
  }
  const restore = (): void => {
    for (const [path, size] of sizes) truncateSync(path, size);
  };
  return { bytes, restore };
}
