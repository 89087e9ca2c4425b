import type { CorpusOptions } from '../src/sample/corpus.js';

/**
 * The corpus shapes the cold sync is timed on. Each changes one thing about the default mix (94%
 * Claude Code, 6% Codex, 20 Gemini sessions, ~1.6 MB transcripts, text full of escapes), because
 * each stresses another part of the reading: the escape handling, the copies of one response,
 * another agent's parser, the per-file costs.
 */
export interface CorpusShape {
  name: string;
  /** What the shape is, for the bench table. */
  label: string;
  /** Overrides of the default mix, for a corpus of `totalBytes`. */
  options: (totalBytes: number) => Partial<CorpusOptions>;
}

export const DEFAULT_SHAPE = 'escaped';

export const SHAPES: readonly CorpusShape[] = [
  { name: 'escaped', label: 'text full of escapes', options: () => ({}) },
  { name: 'plain', label: 'text without escapes', options: () => ({ text: 'plain' }) },
  { name: 'streamed', label: '3 streamed lines per response', options: () => ({ streamedLines: 3 }) },
  { name: 'codex', label: 'Codex-heavy (80% Codex)', options: (total) => ({ claudeBytes: Math.round(total * 0.2), codexBytes: Math.round(total * 0.8) }) },
  { name: 'small', label: 'small sessions (~100 KB each)', options: (total) => ({ claudeSessionBytes: Math.round(total / 5_000 / 8), codexSessionBytes: Math.round(total / 5_000 / 8) }) },
];

export function shapeNamed(name: string): CorpusShape {
  const shape = SHAPES.find((s) => s.name === name);
  if (shape === undefined) throw new Error(`no corpus shape named ${name} (shapes: ${SHAPES.map((s) => s.name).join(', ')})`);
  return shape;
}
