import { describe, expect, it } from 'vitest';
import { serviceTierRule } from './service-tiers.js';

const multiplier = (tier: string, ...names: string[]): number | undefined => serviceTierRule(tier, names)?.multiplier;

describe('the service tier registry', () => {
  it('prices fast mode at 6x for Opus 4.6 and 4.7 and 2x for Opus 4.8 and Opus 5, however the name is spelled', () => {
    for (const name of ['claude-opus-4-6', 'claude-opus-4-6-20260205', 'global.anthropic.claude-opus-4-6-v1:0', 'claude-opus-4-6@20260205', 'anthropic/claude-opus-4.7', 'claude-opus-4-7']) {
      expect(multiplier('fast', name), name).toBe(6);
    }
    for (const name of ['claude-opus-4-8', 'claude-opus-4-8-20260601', 'claude-opus-5', 'claude-opus-5-20260723', 'us.anthropic.claude-opus-5-v1:0']) {
      expect(multiplier('fast', name), name).toBe(2);
    }
  });

  it('has no fast price for models without fast mode (Sonnet, Opus 4.5, Opus 5.5) rather than a guessed one', () => {
    for (const name of ['claude-sonnet-4-5-20250929', 'claude-opus-4-5', 'claude-opus-5-5', 'claude-opus-5.5', 'claude-opus-4-60']) expect(multiplier('fast', name), name).toBeUndefined();
  });

  it('prices OpenAI flex at half, priority (and Codex fast, which is priority) at twice, batch at half for everyone', () => {
    expect(multiplier('flex', 'gpt-5-codex')).toBe(0.5);
    expect(multiplier('flex', 'o3')).toBe(0.5);
    expect(multiplier('priority', 'gpt-5.4')).toBe(2);
    expect(multiplier('fast', 'gpt-5.5')).toBe(2);
    expect(multiplier('flex', 'claude-opus-4-6')).toBeUndefined();
    expect(multiplier('batch', 'claude-sonnet-4-5')).toBe(0.5);
    expect(multiplier('batch', 'gemini-2.5-pro')).toBe(0.5);
  });

  it('matches the name a model is priced as when the logged name does not say', () => {
    expect(multiplier('fast', 'opus-alias', 'claude-opus-4-6')).toBe(6);
    expect(multiplier('turbo', 'claude-opus-4-6')).toBeUndefined();
  });
});
