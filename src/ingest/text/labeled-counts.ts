import { takeModel } from './model-name.js';
import type { LineReading } from './text-tool.js';
import { parseTokenCount } from './token-count.js';

type Field = 'input' | 'output' | 'total';

/** Count labels, in any case: input/prompt, output/completion, and an optional total that must add up. */
const LABELS: Record<string, Field> = { input: 'input', prompt: 'input', output: 'output', completion: 'output', total: 'total' };

/**
 * `<count> <label>` pairs: the label is a whole word (not `output.txt`), the count is everything
 * between the whitespace before it and the label, less an opening bracket or a `+`, `=`, `:`, `/`
 * or `|` glued to it.
 */
const PAIR = /(?<=^|\s)(\S+)\s+(input|prompt|output|completion|total)(?=$|[\s,;:+)\]}|/=]|\.(?!\w))/gi;
const GLUED = /^[([{+=:/|]+/;

/**
 * Reads what follows a usage marker: `1,234 input, 567 output`, `1,234 prompt + 567 completion =
 * 1,801 total (gpt-4o)`, `567 output tokens, 1,234 input tokens`, in any order and with any
 * separators. Strict: each of input and output exactly once, each an exact count, a total equal
 * to their sum. A label after a word without digits is prose and ignored.
 */
export function readLabeledCounts(afterMarker: string): LineReading {
  const { model, rest } = takeModel(afterMarker);
  const counts: Partial<Record<Field, number>> = {};
  const prose: Partial<Record<Field, string>> = {};
  for (const match of rest.matchAll(PAIR)) {
    const token = (match[1] ?? '').replace(GLUED, '');
    const label = (match[2] ?? '').toLowerCase();
    const field = LABELS[label] as Field;
    if (!/\d/.test(token)) {
      prose[field] ??= `"${token}" before "${label}" is not a token count`;
      continue;
    }
    const value = parseTokenCount(token);
    if (value === undefined) return { kind: 'bad', reason: `"${token}" before "${label}" is not a whole token count` };
    if (counts[field] !== undefined) return { kind: 'bad', reason: `${field} is counted twice` };
    counts[field] = value;
  }
  for (const field of ['input', 'output'] as const) {
    if (counts[field] === undefined) return { kind: 'bad', reason: prose[field] ?? `no ${field} count` };
  }
  const inputTokens = counts.input as number;
  const outputTokens = counts.output as number;
  if (counts.total !== undefined && counts.total !== inputTokens + outputTokens) {
    return { kind: 'bad', reason: `total ${counts.total} is not input ${inputTokens} + output ${outputTokens}` };
  }
  return model === undefined ? { kind: 'usage', inputTokens, outputTokens } : { kind: 'usage', inputTokens, outputTokens, model };
}

/** The tool reader for lines holding `marker`: what follows the marker's first match is read. */
export function markerReader(marker: RegExp): (line: string) => LineReading | undefined {
  return (line) => {
    const match = marker.exec(line);
    return match === null ? undefined : readLabeledCounts(line.slice(match.index + match[0].length));
  };
}
