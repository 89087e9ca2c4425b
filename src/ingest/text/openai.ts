import { markerReader } from './labeled-counts.js';
import type { LineReading, TextTool } from './text-tool.js';
import { parseTokenCount } from './token-count.js';

const TOKENS_USED = markerReader(/\btokens used\b\s*:?/i);

/**
 * A usage object printed on one line, as the OpenAI SDKs' objects print themselves or as JSON:
 * `CompletionUsage(completion_tokens=567, prompt_tokens=1234, total_tokens=1801)`,
 * `{"input_tokens":1234,"output_tokens":567}`. `prompt_tokens_details` and the like are other words;
 * a comma separates fields, so a value with a comma in it (`prompt_tokens=1,234`) is refused.
 */
const KEY = /\b(prompt_tokens|completion_tokens|input_tokens|output_tokens|total_tokens)\b["']?\s*[:=]\s*([^\s,;)}\]]*)(,\d)?/g;
const FIELD: Record<string, 'input' | 'output' | 'total'> = {
  prompt_tokens: 'input',
  input_tokens: 'input',
  completion_tokens: 'output',
  output_tokens: 'output',
  total_tokens: 'total',
};
const MODEL_KEY = /\bmodel\b["']?\s*[:=]\s*["']([A-Za-z][\w.:/-]*)["']/;

function readUsageObject(line: string): LineReading | undefined {
  const found = [...line.matchAll(KEY)];
  if (!found.some((m) => FIELD[m[1] as string] === 'input')) return undefined;
  const counts: Partial<Record<'input' | 'output' | 'total', number>> = {};
  for (const [, key, raw, glued] of found) {
    if (glued !== undefined) return { kind: 'bad', reason: `${key} "${raw}${glued}…" is not a whole token count (a comma inside a value)` };
    const field = FIELD[key as string] as 'input' | 'output' | 'total';
    const value = parseTokenCount(raw as string);
    if (value === undefined) return { kind: 'bad', reason: `${key} "${raw}" is not a whole token count` };
    if (counts[field] !== undefined) return { kind: 'bad', reason: `${field} is counted twice` };
    counts[field] = value;
  }
  if (counts.output === undefined) return { kind: 'bad', reason: 'no completion_tokens or output_tokens' };
  const inputTokens = counts.input as number;
  const outputTokens = counts.output;
  if (counts.total !== undefined && counts.total !== inputTokens + outputTokens) {
    return { kind: 'bad', reason: `total_tokens ${counts.total} is not ${inputTokens} + ${outputTokens}` };
  }
  const model = MODEL_KEY.exec(line)?.[1];
  return model === undefined ? { kind: 'usage', inputTokens, outputTokens } : { kind: 'usage', inputTokens, outputTokens, model };
}

/** `Tokens used: 1,234 prompt + 567 completion (gpt-4o)`, or a printed usage object; no default model. */
export const openaiText: TextTool = {
  id: 'openai',
  label: 'OpenAI (printed token usage)',
  provider: 'openai',
  examples: [
    'Tokens used: 1,234 prompt + 567 completion (gpt-4o)',
    'tokens used: 1234 input + 567 output = 1801 total [gpt-4.1]',
    'CompletionUsage(completion_tokens=567, prompt_tokens=1234, total_tokens=1801)',
  ],
  read: (line) => TOKENS_USED(line) ?? readUsageObject(line),
};
