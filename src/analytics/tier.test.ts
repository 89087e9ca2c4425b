import { describe, expect, it } from 'vitest';
import { tierOf } from './tier.js';

describe('tierOf', () => {
  it('names model families', () => {
    const cases: [string, string][] = [
      ['claude-opus-4-5-20251101', 'opus'],
      ['claude-sonnet-4-5-20250929', 'sonnet'],
      ['claude-3-5-sonnet-20241022', 'sonnet'],
      ['claude-3-haiku-20240307', 'haiku'],
      ['anthropic/claude-haiku-4-5', 'haiku'],
      ['us.anthropic.claude-opus-4-1-20250805-v1:0', 'opus'],
      ['claude-fable-5', 'fable'],
      ['gpt-5-codex', 'gpt-5'],
      ['gpt-5.1-mini', 'gpt-5'],
      ['openai/gpt-4o', 'gpt-4'],
      ['gpt-4.1', 'gpt-4'],
      ['o3-mini', 'o3'],
      ['o4', 'o4'],
      ['gemini-2.5-pro', 'gemini'],
      ['models/gemini-2.5-flash', 'gemini'],
      ['gemma-3-27b', 'gemma'],
      ['grok-4', 'grok'],
      ['deepseek-chat', 'deepseek'],
      ['openrouter/qwen/qwen3-coder', 'qwen'],
      ['us.meta.llama3-70b', 'llama'],
      ['<synthetic>', 'unknown'],
      ['', 'unknown'],
      ['4711', 'unknown'],
    ];
    for (const [model, tier] of cases) expect(tierOf(model), model).toBe(tier);
  });
});
