import { describe, expect, it } from 'vitest';
import { picosPerTokenToUsdPerMTok } from '../core/money.js';
import type { Rates } from './model-price.js';
import { PriceOverrides, type PriceOverrideConfig } from './overrides.js';

function usd(rates: Rates | undefined): number[] {
  if (rates === undefined) return [];
  return [rates.input, rates.output, rates.cacheWrite5m, rates.cacheWrite1h, rates.cacheRead].map(picosPerTokenToUsdPerMTok);
}

const flat = (input: number): PriceOverrideConfig => ({ input, output: input * 2 });

describe('PriceOverrides.find precedence', () => {
  const overrides = new PriceOverrides({
    '*': flat(1),
    'claude-*': flat(2),
    'claude-sonnet-*': flat(3),
    '*-sonnet-4-5': flat(4),
    'claude-sonnet-4-5': flat(5),
    'gpt-5.1': flat(6),
  });
  const which = (model: string): string | undefined => overrides.find(model)?.pricedAs;

  it('an exact name beats every pattern', () => {
    expect(which('claude-sonnet-4-5')).toBe('claude-sonnet-4-5');
  });

  it('the pattern with the longest fixed text wins', () => {
    expect(which('claude-sonnet-4-5-20250929')).toBe('claude-sonnet-*'); // 14 fixed characters against 7 and 0
    expect(which('us.claude-sonnet-4-5')).toBe('*-sonnet-4-5');
    expect(which('claude-opus-4-1')).toBe('claude-*');
    expect(which('gpt-5')).toBe('*');
  });

  it('matches exact names and patterns case-insensitively', () => {
    expect(which('CLAUDE-SONNET-4-5')).toBe('claude-sonnet-4-5');
    expect(which('Claude-Sonnet-4')).toBe('claude-sonnet-*');
    const upper = new PriceOverrides({ 'GPT-5': flat(1), 'GEMINI-*': flat(2) });
    expect(upper.find('gpt-5')?.pricedAs).toBe('GPT-5');
    expect(upper.find('gemini-2.5-pro')?.pricedAs).toBe('GEMINI-*');
  });

  it('treats only * as special: dots and other regex characters are literal', () => {
    expect(which('gpt-5.1')).toBe('gpt-5.1');
    expect(which('gpt-5x1')).toBe('*');
    const special = new PriceOverrides({ 'm(1)+[x]?': flat(1), 'a.*': flat(2) });
    expect(special.find('m(1)+[x]?')?.pricedAs).toBe('m(1)+[x]?');
    expect(special.find('a.b')?.pricedAs).toBe('a.*');
    expect(special.find('ab')).toBeUndefined();
  });

  it('anchors patterns at both ends', () => {
    const anchored = new PriceOverrides({ 'claude-*': flat(1) });
    expect(anchored.find('xclaude-sonnet')).toBeUndefined();
    expect(anchored.find('claude-')?.pricedAs).toBe('claude-*');
  });

  it('does not depend on the order of the config keys', () => {
    const entries = Object.entries({ 'a*': flat(1), '*a': flat(2), 'ab*': flat(3), '*b': flat(4) });
    const forward = new PriceOverrides(Object.fromEntries(entries));
    const backward = new PriceOverrides(Object.fromEntries(entries.reverse()));
    for (const model of ['ab', 'aa', 'ba', 'abb', 'xb']) expect(backward.find(model)?.pricedAs, model).toBe(forward.find(model)?.pricedAs);
    expect(forward.find('abb')?.pricedAs).toBe('ab*');
  });

  it('finds nothing without overrides or without a match', () => {
    expect(new PriceOverrides().find('claude-sonnet-4-5')).toBeUndefined();
    expect(new PriceOverrides({ 'gpt-5': flat(1) }).find('gpt-5-mini')).toBeUndefined();
  });
});

describe('compiled override prices', () => {
  it('converts USD per million tokens to integer picos and names its origin', () => {
    const price = new PriceOverrides({ 'my-model': { input: 3, output: 15, cacheWrite5m: 3.75, cacheWrite1h: 6, cacheRead: 0.3 } }).find('my-model');
    expect(price).toEqual({
      pricedAs: 'my-model',
      provider: 'config',
      base: { input: 3_000_000, output: 15_000_000, cacheWrite5m: 3_750_000, cacheWrite1h: 6_000_000, cacheRead: 300_000 },
      tiers: [],
      origin: 'config override "my-model"',
    });
  });

  it('defaults cache prices to the input price, and one-hour writes to the five-minute price', () => {
    const overrides = new PriceOverrides({
      plain: { input: 2, output: 8 },
      'write-5m': { input: 2, output: 8, cacheWrite5m: 2.5 },
      'read-only': { input: 2, output: 8, cacheRead: 0.2 },
      'write-1h': { input: 2, output: 8, cacheWrite1h: 4 },
    });
    expect(usd(overrides.find('plain')?.base)).toEqual([2, 8, 2, 2, 2]);
    expect(usd(overrides.find('write-5m')?.base)).toEqual([2, 8, 2.5, 2.5, 2]);
    expect(usd(overrides.find('read-only')?.base)).toEqual([2, 8, 2, 2, 0.2]);
    expect(usd(overrides.find('write-1h')?.base)).toEqual([2, 8, 2, 4, 2]);
  });

  it('sorts tiers by threshold and applies the same defaults inside each tier', () => {
    const price = new PriceOverrides({
      tiered: {
        input: 1,
        output: 2,
        tiers: [
          { aboveTokens: 1_000_000, input: 4, output: 8 },
          { aboveTokens: 200_000, input: 2, output: 4, cacheRead: 0.2, cacheWrite5m: 2.5 },
        ],
      },
    }).find('tiered');
    expect(price?.tiers.map((t) => [t.aboveTokens, ...usd(t.rates)])).toEqual([
      [200_000, 2, 4, 2.5, 2.5, 0.2],
      [1_000_000, 4, 8, 4, 4, 4],
    ]);
  });
});

describe('fingerprint', () => {
  const config = { 'claude-*': { input: 3, output: 15 }, 'gpt-5': { input: 1.25, output: 10, cacheRead: 0.125 } };

  it('is undefined without overrides', () => {
    expect(new PriceOverrides().fingerprint).toBeUndefined();
    expect(new PriceOverrides({}).fingerprint).toBeUndefined();
  });

  it('is a 16-digit hex digest, stable for the same config', () => {
    const a = new PriceOverrides(config).fingerprint;
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(new PriceOverrides(structuredClone(config)).fingerprint).toBe(a);
  });

  it('does not depend on the order of the models', () => {
    const reversed = Object.fromEntries(Object.entries(config).reverse());
    expect(new PriceOverrides(reversed).fingerprint).toBe(new PriceOverrides(config).fingerprint);
  });

  it('changes when a price, a model or a tier changes', () => {
    const base = new PriceOverrides(config).fingerprint;
    const variants: Record<string, PriceOverrideConfig>[] = [
      { ...config, 'gpt-5': { input: 1.25, output: 10, cacheRead: 0.13 } },
      { ...config, 'gpt-5-mini': { input: 0.25, output: 2 } },
      { 'claude-*': config['claude-*'] },
      { ...config, 'claude-*': { input: 3, output: 15, tiers: [{ aboveTokens: 200_000, input: 6, output: 22.5 }] } },
      { 'Claude-*': config['claude-*'], 'gpt-5': config['gpt-5'] },
    ];
    const prints = variants.map((v) => new PriceOverrides(v).fingerprint);
    for (const print of prints) expect(print).not.toBe(base);
    expect(new Set(prints).size).toBe(prints.length);
  });
});
