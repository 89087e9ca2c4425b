import { describe, expect, it } from 'vitest';
import { genAiProvider, ledgerProvider } from './gen-ai-provider.js';

describe('provider names in and out of the GenAI conventions', () => {
  it('names the providers the conventions know by their names, and reads them back as the ledger ids', () => {
    expect(['google', 'gemini', 'mistral', 'xai', 'anthropic', 'openai'].map(genAiProvider)).toEqual(['gcp.gemini', 'gcp.gemini', 'mistral_ai', 'x_ai', 'anthropic', 'openai']);
    expect(['gcp.gemini', 'mistral_ai', 'x_ai', 'anthropic', 'openai', 'deepseek'].map(ledgerProvider)).toEqual(['google', 'mistral', 'xai', 'anthropic', 'openai', 'deepseek']);
  });

  it('brings every ledger id back to one the export sends alike', () => {
    for (const id of ['google', 'gemini', 'mistral', 'xai', 'anthropic', 'openrouter']) expect(genAiProvider(ledgerProvider(genAiProvider(id)))).toBe(genAiProvider(id));
  });
});
