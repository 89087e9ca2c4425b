import { describe, expect, it } from 'vitest';
import { suggestModels } from './model-suggestions.js';

const KNOWN = ['claude-sonnet-4-5', 'claude-3-5-sonnet', 'claude-opus-4-1', 'gpt-5', 'gpt-5-mini', 'gemini-2.5-pro', 'claude-sonnet-4-5'];

describe('suggestModels', () => {
  it('suggests names holding a bare family name, shortest first, each once', () => {
    expect(suggestModels('sonnet', KNOWN)).toEqual(['claude-3-5-sonnet', 'claude-sonnet-4-5']);
  });

  it('puts names starting with the text first, and catches typos by edit distance', () => {
    expect(suggestModels('gpt-5', KNOWN)).toEqual(['gpt-5-mini']);
    expect(suggestModels('claude-opus-4-2', KNOWN)).toEqual(['claude-opus-4-1']);
    expect(suggestModels('gemnii-2.5-pro', KNOWN)).toEqual(['gemini-2.5-pro']);
  });

  it('suggests nothing for text close to no name, and at most the limit', () => {
    expect(suggestModels('zzzzzz', KNOWN)).toEqual([]);
    expect(suggestModels('claude', KNOWN, 2)).toHaveLength(2);
  });
});
