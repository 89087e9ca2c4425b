import { describe, expect, it } from 'vitest';
import { cleanLine } from './clean-line.js';
import { findTextTool, TEXT_TOOLS } from './index.js';
import { parseTokenCount } from './token-count.js';

const read = (tool: string, line: string) => findTextTool(tool).read(cleanLine(line));
const usage = (inputTokens: number, outputTokens: number, model?: string) => ({ kind: 'usage', inputTokens, outputTokens, ...(model === undefined ? {} : { model }) });

describe('token counts', () => {
  it('reads plain and consistently grouped counts only', () => {
    expect(parseTokenCount('1234')).toBe(1234);
    expect(parseTokenCount('1,234,567')).toBe(1234567);
    expect(parseTokenCount('1_234')).toBe(1234);
    expect(parseTokenCount("1'234")).toBe(1234);
    expect(parseTokenCount('0')).toBe(0);
    for (const bad of ['1,23', '1,2345', '1,234_567', '1.2k', '12a', '-5', '', '1,', ',123', '1.234']) expect(parseTokenCount(bad), bad).toBeUndefined();
  });
});

describe('gemini', () => {
  it('reads the issue example, with Gemini CLI default model left to the caller', () => {
    expect(read('gemini', 'Token count: 1,234 input, 567 output')).toEqual(usage(1234, 567));
  });
  it('tolerates case, no separators, "tokens", order, colour, CR, surrounding text and a model', () => {
    expect(read('gemini', 'token COUNT: 1234 Input tokens, 567 Output tokens')).toEqual(usage(1234, 567));
    expect(read('gemini', '\u001b[2m✦ Token count:\u001b[0m \u001b[1m567\u001b[0m output, \u001b[1m1,234\u001b[0m input\r')).toEqual(usage(1234, 567));
    expect(read('gemini', '[12:00:01] Token count: 1_234 input; 567 output (gemini-2.5-flash) done.')).toEqual(usage(1234, 567, 'gemini-2.5-flash'));
    expect(read('gemini', 'progress 50%\rToken count: 10 input, 2 output')).toEqual(usage(10, 2));
    expect(read('gemini', 'Token count: 10 input, 2 output, model: gemini-2.5-pro')).toEqual(usage(10, 2, 'gemini-2.5-pro'));
  });
  it('drops near misses that look like usage, with a reason', () => {
    expect(read('gemini', 'Token count: abc input, 567 output')).toEqual({ kind: 'bad', reason: '"abc" before "input" is not a token count' });
    expect(read('gemini', 'Token count: 1,23 input, 567 output')).toMatchObject({ kind: 'bad', reason: expect.stringContaining('"1,23"') });
    expect(read('gemini', 'Token count: 1.2k input, 567 output')).toMatchObject({ kind: 'bad' });
    expect(read('gemini', 'Token count: 1,234 input')).toEqual({ kind: 'bad', reason: 'no output count' });
    expect(read('gemini', 'Token count: 1 input, 2 input, 3 output')).toEqual({ kind: 'bad', reason: 'input is counted twice' });
  });
  it('ignores lines without the marker, and label words in prose or file names', () => {
    expect(read('gemini', 'the input had 1,234 tokens')).toBeUndefined();
    expect(read('gemini', 'Tokens used: 1 prompt + 2 completion')).toBeUndefined();
    expect(read('gemini', 'Token count: 5 input, 6 output written to output.txt')).toEqual(usage(5, 6));
  });
});

describe('openai', () => {
  it('reads the issue example', () => {
    expect(read('openai', 'Tokens used: 1,234 prompt + 567 completion (gpt-4o)')).toEqual(usage(1234, 567, 'gpt-4o'));
  });
  it('reads input/output words, a total that adds up, brackets and no model', () => {
    expect(read('openai', 'tokens used: 1234 input + 567 output = 1801 total [gpt-4.1]')).toEqual(usage(1234, 567, 'gpt-4.1'));
    expect(read('openai', '> Tokens used 1,234 prompt + 567 completion')).toEqual(usage(1234, 567));
    expect(read('openai', 'Tokens used: 1,234 prompt + 567 completion = 1,800 total')).toEqual({ kind: 'bad', reason: 'total 1800 is not input 1234 + output 567' });
    expect(read('openai', 'tokens used: 12,345')).toEqual({ kind: 'bad', reason: 'no input count' });
  });
  it('reads usage objects printed by the SDKs or as JSON', () => {
    expect(read('openai', 'CompletionUsage(completion_tokens=567, prompt_tokens=1234, total_tokens=1801, prompt_tokens_details=PromptTokensDetails(cached_tokens=0))')).toEqual(usage(1234, 567));
    expect(read('openai', '{"model":"gpt-4o-mini","usage":{"input_tokens":1234,"output_tokens":567,"total_tokens":1801}}')).toEqual(usage(1234, 567, 'gpt-4o-mini'));
    expect(read('openai', 'usage: prompt_tokens=1,234 completion_tokens=5')).toMatchObject({ kind: 'bad', reason: expect.stringContaining('comma') });
    expect(read('openai', 'prompt_tokens=12 completion_tokens=x')).toMatchObject({ kind: 'bad' });
    expect(read('openai', 'prompt_tokens_details=PromptTokensDetails(cached_tokens=0)')).toBeUndefined();
  });
});

describe('minimax', () => {
  it('reads the issue example and variants', () => {
    expect(read('minimax', 'MiniMax usage: 1,234 input tokens, 567 output tokens (MiniMax-M2)')).toEqual(usage(1234, 567, 'MiniMax-M2'));
    expect(read('minimax', 'MINIMAX USAGE: 1234 prompt + 567 completion = 1801 total')).toEqual(usage(1234, 567));
    expect(read('minimax', 'MiniMax usage: 1,234 input tokens, 567 output tokens (see docs)')).toEqual(usage(1234, 567));
    expect(read('minimax', 'MiniMax usage: 1,234 input tokens, -5 output tokens')).toMatchObject({ kind: 'bad' });
  });
});

describe('registry', () => {
  it('has unique ids, every example reads as usage, and an unknown tool lists the known ones', () => {
    expect(new Set(TEXT_TOOLS.map((t) => t.id)).size).toBe(TEXT_TOOLS.length);
    for (const tool of TEXT_TOOLS) for (const example of tool.examples) expect(tool.read(example), example).toMatchObject({ kind: 'usage' });
    expect(() => findTextTool('claude')).toThrow(/unknown text tool "claude"/);
    try {
      findTextTool('claude');
    } catch (error) {
      expect((error as { hint: string }).hint).toBe('known tools: gemini, openai, minimax');
    }
    expect(findTextTool(' Gemini ').id).toBe('gemini');
  });
});
