import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { CatalogSnapshot, MatchLogic } from './catalog-data.js';
import { catalogPath } from './catalog-path.js';
import { matches, resolveModel } from './model-match.js';

type Genai = typeof import('@pydantic/genai-prices');
type GenaiProvider = NonNullable<Awaited<ReturnType<Genai['waitForUpdate']>>>[number];

let genai: Genai;
let theirProviders: GenaiProvider[];
let snapshot: CatalogSnapshot;

beforeAll(async () => {
  genai = await import('@pydantic/genai-prices');
  theirProviders = (await genai.waitForUpdate()) ?? [];
  snapshot = JSON.parse(readFileSync(catalogPath(), 'utf8')) as CatalogSnapshot;
});

const HINTS = [undefined, 'anthropic', 'openai', 'google'] as const;

/** Names people and agents actually log. */
const REALISTIC_NAMES = [
  'claude-sonnet-4-20250514',
  'claude-sonnet-4@20250514',
  'claude-sonnet-4-5',
  'claude-sonnet-4-5-20250929',
  'claude-sonnet-4-5@20250929',
  'claude-opus-4-1-20250805',
  'claude-opus-4-20250514',
  'claude-opus-4-6',
  'claude-haiku-4-5-20251001',
  'claude-3-5-haiku-20241022',
  'claude-3-5-sonnet-20241022',
  'claude-3-7-sonnet-20250219',
  'claude-3-haiku-20240307',
  'claude-3-opus-20240229',
  'Claude-Sonnet-4-5',
  '  claude-sonnet-4-5  ',
  'anthropic/claude-sonnet-4-5',
  'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'gpt-5',
  'gpt-5-codex',
  'gpt-5-codex-mini',
  'gpt-5-mini',
  'gpt-5-nano',
  'gpt-5-20250807',
  'gpt-5-2025-08-07',
  'gpt-5-20250231',
  'gpt-5.1-codex',
  'gpt-5.1-codex-max',
  'gpt-4o-20240513',
  'gpt-4o-20241120',
  'gpt-4.1',
  'o3',
  'o4-mini',
  'openai/gpt-5',
  'gemini-2.5-pro',
  'gemini-2.5-pro-preview-06-05',
  'gemini-2.5-flash',
  'gemini-2.5-flash-lite',
  'gemini-2.0-flash',
  'gemini-3-pro-preview',
  'google/gemini-2.5-pro',
  'deepseek-chat',
  'grok-4',
  'kimi-k2',
  'glm-4.6',
  'mistral-large-latest',
  'no-such-model',
  '',
];

function matchStrings(logic: MatchLogic, out: string[]): void {
  if ('or' in logic) for (const l of logic.or) matchStrings(l, out);
  else if ('and' in logic) for (const l of logic.and) matchStrings(l, out);
  else if ('equals' in logic) out.push(logic.equals);
  else if ('starts_with' in logic) out.push(logic.starts_with, `${logic.starts_with}-20250514`, `${logic.starts_with}@20250514`);
  else if ('contains' in logic) out.push(logic.contains);
  else if ('ends_with' in logic) out.push(logic.ends_with);
}

/** Every catalog model id, every literal of its match rules (plus dated forms of prefixes), and the realistic names. */
function allNames(): string[] {
  const names: string[] = [];
  for (const provider of theirProviders) {
    for (const model of provider.models) {
      names.push(model.id);
      matchStrings(model.match as MatchLogic, names);
    }
  }
  return [...new Set([...names, ...REALISTIC_NAMES])];
}

/** The package's answer, or undefined when it throws for these usage numbers. */
function theirs(name: string, hint: string | undefined): ReturnType<Genai['calcPrice']> | undefined {
  try {
    return genai.calcPrice({ input_tokens: 1, output_tokens: 1 }, name, hint === undefined ? {} : { providerId: hint });
  } catch {
    return undefined;
  }
}

describe('resolveModel conforms to @pydantic/genai-prices calcPrice', () => {
  it('the snapshot holds the same providers and models as the installed package', () => {
    expect(snapshot.providers.map((p) => p.id)).toEqual(theirProviders.map((p) => p.id));
    for (const [i, provider] of theirProviders.entries()) {
      expect(snapshot.providers[i]?.models.map((m) => m.id)).toEqual(provider.models.map((m) => m.id));
    }
  });

  it('picks the same model for every catalog name, match literal and realistic name, with each provider hint', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const mismatches: string[] = [];
    let compared = 0;
    let fromFallback = 0;
    try {
      for (const name of allNames()) {
        for (const hint of HINTS) {
          const result = theirs(name, hint);
          if (result === undefined) continue; // calcPrice threw: nothing to compare with
          compared++;
          const mine = resolveModel(snapshot.providers, name, hint);
          const label = `${JSON.stringify(name)} hint ${hint ?? 'none'}`;
          if (result === null) {
            if (mine !== undefined) mismatches.push(`${label}: package finds nothing, tokenledger ${mine.provider.id}/${mine.model.id}`);
            continue;
          }
          if (mine === undefined) {
            mismatches.push(`${label}: package ${result.provider.id}/${result.model.id}, tokenledger nothing`);
            continue;
          }
          if (mine.model.id !== result.model.id) mismatches.push(`${label}: model ${result.model.id} vs ${mine.model.id}`);
          // The package reports the provider it started from even when the model came from one of its
          // fallback providers; tokenledger reports the provider whose price applies.
          const ownModel = result.provider.models.includes(result.model);
          if (ownModel) {
            if (mine.provider.id !== result.provider.id) mismatches.push(`${label}: provider ${result.provider.id} vs ${mine.provider.id}`);
          } else {
            fromFallback++;
            const owner = theirProviders.find((p) => (result.provider.fallback_model_providers ?? []).includes(p.id) && p.models.includes(result.model));
            if (owner === undefined || mine.provider.id !== owner.id) mismatches.push(`${label}: fallback provider ${owner?.id ?? '?'} vs ${mine.provider.id}`);
          }
        }
      }
    } finally {
      warn.mockRestore();
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(5_000);
    expect(fromFallback).toBeGreaterThan(0);
  });

  it('reports the fallback provider whose price applies, where the package reports the one it started from', () => {
    // Google (Vertex AI) lists some Claude models itself and falls back to Anthropic for the others.
    expect(theirProviders.find((p) => p.id === 'google')?.fallback_model_providers).toContain('anthropic');
    for (const name of ['claude-haiku-4-5-20251001', 'claude-2.1']) {
      const result = genai.calcPrice({ input_tokens: 1, output_tokens: 1 }, name, { providerId: 'google' });
      const mine = resolveModel(snapshot.providers, name, 'google');
      expect(result?.provider.id, name).toBe('google');
      expect(mine?.provider.id, name).toBe('anthropic');
      expect(mine?.model.id, name).toBe(result?.model.id);
    }
    // A Claude model Google lists itself is Google's, for both.
    expect(resolveModel(snapshot.providers, 'claude-sonnet-4-5', 'google')?.provider.id).toBe('google');
    expect(genai.calcPrice({ input_tokens: 1, output_tokens: 1 }, 'claude-sonnet-4-5', { providerId: 'google' })?.provider.id).toBe('google');
  });
});

describe('resolveModel', () => {
  const resolve = (name: string, hint?: string): string | undefined => {
    const found = resolveModel(snapshot.providers, name, hint);
    return found === undefined ? undefined : `${found.provider.id}/${found.model.id}`;
  };

  it('finds the provider from the name when no hint is given', () => {
    expect(resolve('claude-sonnet-4-20250514')).toBe('anthropic/claude-sonnet-4-0');
    expect(resolve('claude-sonnet-4@20250514')).toBe('anthropic/claude-sonnet-4-0');
    expect(resolve('gpt-5-codex')).toBe('openai/gpt-5');
    expect(resolve('gemini-2.5-pro')).toBe('google/gemini-2.5-pro');
  });

  it('spells compact dates with dashes when the plain name is unknown, valid dates only', () => {
    expect(resolve('gpt-5-20250807')).toBe('openai/gpt-5');
    expect(resolve('gpt-4o-20240513')).toBe('openai/gpt-4o-2024-05-13');
    expect(resolve('gpt-4o-20241120')).toBe('openai/gpt-4o');
    expect(resolve('gpt-5-20250231')).not.toBe('openai/gpt-5');
  });

  it('is case- and space-insensitive in names and hints', () => {
    expect(resolve('  CLAUDE-SONNET-4-5 ')).toBe('anthropic/claude-sonnet-4-5');
    expect(resolve('claude-sonnet-4-5', ' Anthropic ')).toBe('anthropic/claude-sonnet-4-5');
  });

  it('looks only in the hinted provider and its fallbacks', () => {
    expect(resolve('claude-sonnet-4-5', 'openai')).toBeUndefined();
    expect(resolve('gpt-5', 'anthropic')).toBeUndefined();
    expect(resolve('claude-sonnet-4-5', 'no-such-provider')).toBeUndefined();
  });

  it('returns undefined when no provider claims the name', () => {
    expect(resolve('no-such-model')).toBeUndefined();
  });
});

describe('matches', () => {
  it('implements every rule kind, case-insensitively except regex', () => {
    expect(matches({ equals: 'GPT-5' }, 'gpt-5')).toBe(true);
    expect(matches({ equals: 'gpt-5' }, 'gpt-5-mini')).toBe(false);
    expect(matches({ starts_with: 'Claude-' }, 'claude-x')).toBe(true);
    expect(matches({ ends_with: '-Latest' }, 'x-latest')).toBe(true);
    expect(matches({ contains: 'GEMINI' }, 'models/gemini-2.5')).toBe(true);
    expect(matches({ regex: '^o[134]' }, 'o3-mini')).toBe(true);
    expect(matches({ regex: '^o[134]' }, 'O3-mini')).toBe(false);
    expect(matches({ or: [{ equals: 'a' }, { equals: 'b' }] }, 'b')).toBe(true);
    expect(matches({ and: [{ starts_with: 'a' }, { ends_with: 'z' }] }, 'abz')).toBe(true);
    expect(matches({ and: [{ starts_with: 'a' }, { ends_with: 'z' }] }, 'aby')).toBe(false);
    expect(matches({ or: [] }, 'x')).toBe(false);
    expect(matches({ and: [] }, 'x')).toBe(true);
    expect(matches({} as MatchLogic, 'x')).toBe(false);
  });
});
