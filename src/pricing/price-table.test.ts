import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { picosPerTokenToUsdPerMTok } from '../core/money.js';
import { emptyTokens, type TokenCounts } from '../core/usage-event.js';
import type { CatalogSnapshot } from './catalog-data.js';
import { catalogPath } from './catalog-path.js';
import { periodIndex } from './catalog.js';
import { costNanos } from './cost.js';
import { catalogVersion } from './genai-version.js';
import type { ModelPrice, Rates } from './model-price.js';
import { PriceOverrides } from './overrides.js';
import { PriceTable } from './price-table.js';

const BEFORE_OPUS_4_6_CHANGE = Date.UTC(2026, 2, 12, 23, 59, 59, 999);
const OPUS_4_6_CHANGE = Date.UTC(2026, 2, 13);
const AT = Date.UTC(2025, 10, 1);

/** Rates back in USD per million tokens: [input, output, cache write 5m, cache write 1h, cache read]. */
function usd(rates: Rates | undefined): number[] {
  if (rates === undefined) return [];
  return [rates.input, rates.output, rates.cacheWrite5m, rates.cacheWrite1h, rates.cacheRead].map(picosPerTokenToUsdPerMTok);
}

/** Base rates and each tier as [aboveTokens, ...rates in USD per million tokens]. */
function shape(price: ModelPrice | undefined): { pricedAs?: string; provider?: string; base: number[]; tiers: number[][] } {
  if (price === undefined) return { base: [], tiers: [] };
  return { pricedAs: price.pricedAs, provider: price.provider, base: usd(price.base), tiers: price.tiers.map((t) => [t.aboveTokens, ...usd(t.rates)]) };
}

function tokens(counts: Partial<TokenCounts>): TokenCounts {
  return { ...emptyTokens(), ...counts };
}

let table: PriceTable;
beforeAll(async () => {
  table = await PriceTable.load(new PriceOverrides());
});

describe('the bundled catalog snapshot', () => {
  it('is the one of the installed @pydantic/genai-prices (else loading would rewrite it)', () => {
    const snapshot = JSON.parse(readFileSync(catalogPath(), 'utf8')) as CatalogSnapshot;
    expect(snapshot.version).toBe(catalogVersion());
    expect(table.version).toBe(`genai-prices ${catalogVersion()}; corrections 2; overrides none`);
  });
});

describe('published prices', () => {
  it('Claude Sonnet 4.5, with its 200k long-context tier', () => {
    expect(shape(table.price('claude-sonnet-4-5', 'anthropic', AT))).toEqual({
      pricedAs: 'claude-sonnet-4-5',
      provider: 'anthropic',
      base: [3, 15, 3.75, 6, 0.3],
      tiers: [[200_000, 6, 22.5, 7.5, 12, 0.6]],
    });
    expect(shape(table.price('claude-sonnet-4-5-20250929', 'anthropic', AT))).toEqual(shape(table.price('claude-sonnet-4-5', 'anthropic', AT)));
  });

  it('Claude Sonnet 4: same as 4.5, the 200k tier coming from tokenledger’s correction', () => {
    for (const name of ['claude-sonnet-4-20250514', 'claude-sonnet-4@20250514', 'claude-sonnet-4-0', 'claude-sonnet-4']) {
      const price = table.price(name, 'anthropic', AT);
      expect(shape(price), name).toEqual({
        pricedAs: 'claude-sonnet-4-0',
        provider: 'anthropic',
        base: [3, 15, 3.75, 6, 0.3],
        tiers: [[200_000, 6, 22.5, 7.5, 12, 0.6]],
      });
      expect(price?.origin).toContain('tokenledger correction: Sonnet 4 long-context tier above 200k prompt tokens');
    }
    expect(table.price('claude-sonnet-4-5', 'anthropic', AT)?.origin).not.toContain('correction');
  });

  it('Claude Opus 4.1 and Haiku 4.5', () => {
    expect(shape(table.price('claude-opus-4-1-20250805', 'anthropic', AT))).toEqual({ pricedAs: 'claude-opus-4-1', provider: 'anthropic', base: [15, 75, 18.75, 30, 1.5], tiers: [] });
    expect(shape(table.price('claude-haiku-4-5-20251001', 'anthropic', AT))).toEqual({ pricedAs: 'claude-haiku-4-5', provider: 'anthropic', base: [1, 5, 1.25, 2, 0.1], tiers: [] });
  });

  it('Claude Opus 4.6: tiered at 200k before 2026-03-13, flat from that day', () => {
    const before = table.price('claude-opus-4-6', 'anthropic', BEFORE_OPUS_4_6_CHANGE);
    expect(shape(before)).toEqual({ pricedAs: 'claude-opus-4-6', provider: 'anthropic', base: [5, 25, 6.25, 10, 0.5], tiers: [[200_000, 10, 37.5, 12.5, 20, 1]] });
    expect(before?.validFrom).toBeUndefined();
    const after = table.price('claude-opus-4-6', 'anthropic', OPUS_4_6_CHANGE);
    expect(shape(after)).toEqual({ pricedAs: 'claude-opus-4-6', provider: 'anthropic', base: [5, 25, 6.25, 10, 0.5], tiers: [] });
    expect(after?.validFrom).toBe('2026-03-13');
    // Asking again for the earlier date still gives the earlier period (periods are cached apart).
    expect(table.price('claude-opus-4-6', 'anthropic', AT)).toBe(before);
  });

  it('GPT-5 and GPT-5 Codex: input 1.25, output 10, cache read 0.125; cache writes at the input price', () => {
    for (const name of ['gpt-5', 'gpt-5-codex', 'gpt-5-2025-08-07']) {
      for (const hint of ['openai', undefined]) {
        expect(shape(table.price(name, hint, AT)), `${name} ${hint}`).toEqual({ pricedAs: 'gpt-5', provider: 'openai', base: [1.25, 10, 1.25, 1.25, 0.125], tiers: [] });
      }
    }
  });

  it('Gemini 2.5 Pro, with its 200k tier', () => {
    expect(shape(table.price('gemini-2.5-pro', 'google', AT))).toEqual({
      pricedAs: 'gemini-2.5-pro',
      provider: 'google',
      base: [1.25, 10, 1.25, 1.25, 0.125],
      tiers: [[200_000, 2.5, 15, 2.5, 2.5, 0.25]],
    });
  });

  it('one-hour cache writes of an Anthropic model without a 1h price cost twice the input price', () => {
    // claude-2 lists no cache prices at all: 5m writes and reads default to input, 1h writes to 2 × input.
    expect(shape(table.price('claude-2', 'anthropic', AT))).toEqual({ pricedAs: 'claude-2', provider: 'anthropic', base: [8, 24, 8, 16, 8], tiers: [] });
  });
});

describe('costs with catalog prices', () => {
  it('the Sonnet 4.5 example costs 12,144,000 nanos', () => {
    const price = table.price('claude-sonnet-4-5-20250929', 'anthropic', AT);
    expect(price && costNanos(price, tokens({ inputTokens: 3, outputTokens: 159, cacheWrite5mTokens: 1_000, cacheReadTokens: 20_000 }))).toBe(12_144_000);
  });

  it('a 250k-prompt request is billed entirely at the tier, for Sonnet 4.5 and (corrected) Sonnet 4', () => {
    const counts = tokens({ inputTokens: 50_000, cacheReadTokens: 200_000, outputTokens: 1_000 });
    // 50,000 × $6 + 200,000 × $0.60 + 1,000 × $22.50 per million tokens = $0.4425
    for (const name of ['claude-sonnet-4-5', 'claude-sonnet-4-20250514']) {
      const price = table.price(name, 'anthropic', AT);
      expect(price && costNanos(price, counts), name).toBe(442_500_000);
    }
    // The same tokens on flat Opus 4.6 (after 2026-03-13): 50,000 × $5 + 200,000 × $0.50 + 1,000 × $25.
    const opus = table.price('claude-opus-4-6', 'anthropic', OPUS_4_6_CHANGE);
    expect(opus && costNanos(opus, counts)).toBe(375_000_000);
  });

  it('Gemini 2.5 Pro above 200k prompt tokens', () => {
    const price = table.price('gemini-2.5-pro', 'google', AT);
    // 210,000 × $2.50 + 1,000 × $15 per million tokens
    expect(price && costNanos(price, tokens({ inputTokens: 210_000, outputTokens: 1_000 }))).toBe(540_000_000);
  });

  it('a single claude-3-haiku cache-read token still costs 30 nanos', () => {
    const price = table.price('claude-3-haiku-20240307', 'anthropic', AT);
    expect(price?.base.cacheRead).toBe(30_000);
    expect(price && costNanos(price, tokens({ cacheReadTokens: 1 }))).toBe(30);
  });
});

describe('name resolution', () => {
  it('aliases gpt-5-codex-mini to gpt-5-mini', () => {
    const mini = shape(table.price('gpt-5-mini', 'openai', AT));
    expect(mini.base).toEqual([0.25, 2, 0.25, 0.25, 0.025]);
    expect(shape(table.price('gpt-5-codex-mini', 'openai', AT))).toEqual(mini);
    expect(shape(table.price('gpt-5-codex-mini', undefined, AT))).toEqual(mini);
  });

  it('tries gateway and cloud spellings of a name', () => {
    const sonnet = shape(table.price('claude-sonnet-4-5', 'anthropic', AT));
    for (const name of ['anthropic/claude-sonnet-4-5', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-sonnet-4-5-20250929-v1:0']) {
      expect(shape(table.price(name, 'anthropic', AT)), name).toEqual(sonnet);
      expect(shape(table.price(name, undefined, AT)), name).toEqual(sonnet);
    }
    expect(shape(table.price('eu.anthropic.claude-sonnet-4-20250514-v1:0', undefined, AT))).toEqual(shape(table.price('claude-sonnet-4-20250514', 'anthropic', AT)));
    expect(shape(table.price('google/gemini-2.5-pro', undefined, AT))).toEqual(shape(table.price('gemini-2.5-pro', 'google', AT)));
    expect(shape(table.price('openai/gpt-5', undefined, AT))).toEqual(shape(table.price('gpt-5', 'openai', AT)));
  });

  it('matches names case-insensitively', () => {
    expect(shape(table.price('CLAUDE-SONNET-4-5', undefined, AT))).toEqual(shape(table.price('claude-sonnet-4-5', 'anthropic', AT)));
  });

  it('finds the model in another provider when the hint’s provider lacks it or is unknown', () => {
    expect(table.price('claude-sonnet-4-5', 'openai', AT)?.provider).toBe('anthropic');
    expect(table.price('claude-sonnet-4-5', 'no-such-provider', AT)?.provider).toBe('anthropic');
    expect(table.price('gpt-5', 'anthropic', AT)?.provider).toBe('openai');
  });

  it('returns undefined for an unknown model, whatever the hint', () => {
    for (const hint of [undefined, 'anthropic', 'openai', 'google']) {
      expect(table.price('no-such-model-xyz', hint, AT)).toBeUndefined();
      expect(table.price('', hint, AT)).toBeUndefined();
    }
  });

  it('answers repeated questions from its cache with the same object', () => {
    const first = table.price('claude-haiku-4-5', 'anthropic', AT);
    expect(table.price('claude-haiku-4-5', 'anthropic', AT + 1)).toBe(first);
  });
});

describe('config overrides', () => {
  it('come before the catalog: exact name, then patterns, whatever the date', async () => {
    const withOverrides = await PriceTable.load(
      new PriceOverrides({
        'claude-sonnet-4-5': { input: 1, output: 2 },
        'claude-*': { input: 10, output: 20, cacheRead: 1 },
        'my-local-model': { input: 0, output: 0 },
      }),
    );
    expect(shape(withOverrides.price('claude-sonnet-4-5', 'anthropic', AT))).toEqual({ pricedAs: 'claude-sonnet-4-5', provider: 'config', base: [1, 2, 1, 1, 1], tiers: [] });
    expect(shape(withOverrides.price('claude-opus-4-6', 'anthropic', BEFORE_OPUS_4_6_CHANGE))).toEqual({ pricedAs: 'claude-*', provider: 'config', base: [10, 20, 10, 10, 1], tiers: [] });
    expect(withOverrides.price('claude-opus-4-6', 'anthropic', OPUS_4_6_CHANGE)?.pricedAs).toBe('claude-*');
    expect(withOverrides.price('my-local-model', undefined, AT)?.origin).toBe('config override "my-local-model"');
    // Models no override names still come from the catalog.
    expect(shape(withOverrides.price('gpt-5', 'openai', AT))).toEqual(shape(table.price('gpt-5', 'openai', AT)));
    expect(withOverrides.version).toMatch(/^genai-prices \S+; corrections 2; overrides [0-9a-f]{16}$/);
  });
});

describe('price periods match @pydantic/genai-prices', () => {
  it('picks the same period as calcPrice for every dated model at many instants', async () => {
    const genai = await import('@pydantic/genai-prices');
    const providers = (await genai.waitForUpdate()) ?? [];
    const snapshot = JSON.parse(readFileSync(catalogPath(), 'utf8')) as CatalogSnapshot;
    const days = ['2024-01-01', '2025-06-15', '2026-03-12', '2026-03-13', '2026-08-16', '2026-08-17', '2027-01-01'];
    const instants: number[] = [];
    for (const day of days) for (let second = 0; second < 86_400; second += 1_800) for (const delta of [-1, 0, 1]) instants.push(Date.parse(`${day}T00:00:00Z`) + (second + delta) * 1000);
    let compared = 0;
    for (const provider of providers) {
      for (const model of provider.models) {
        if (!Array.isArray(model.prices)) continue;
        const mine = snapshot.providers.find((p) => p.id === provider.id)?.models.find((m) => m.id === model.id);
        expect(mine, `${provider.id}/${model.id}`).toBeDefined();
        if (mine === undefined) continue;
        for (const at of instants) {
          const result = genai.calcPrice({ input_tokens: 1, output_tokens: 1 }, model.id, { provider, timestamp: new Date(at) });
          if (result === null || result.model.id !== model.id) continue;
          const theirs = model.prices.findIndex((period) => period.prices === result.model_price);
          expect(periodIndex(mine, at), `${provider.id}/${model.id} at ${new Date(at).toISOString()}`).toBe(theirs);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1_000);
  });
});

describe('names and clouds (regressions)', () => {
  it('applies aliases to any spelling: gateway prefix, upper case', () => {
    const mini = table.price('gpt-5-codex-mini', 'openai', AT);
    expect(mini).toBeDefined();
    expect(table.price('openai/gpt-5-codex-mini', 'openai', AT)?.base).toEqual(mini?.base);
    expect(table.price('GPT-5-CODEX-MINI', 'openai', AT)?.base).toEqual(mini?.base);
  });

  it('bills Claude one-hour cache writes at 2× input and keeps the Sonnet 4 tier whichever cloud entry prices it', () => {
    const viaGoogle = table.price('claude-sonnet-4-20250514', 'google', AT);
    expect(viaGoogle?.tiers.map((t) => t.aboveTokens)).toEqual([200_000]);
    const sonnet45 = table.price('claude-sonnet-4-5', 'google', AT);
    expect(sonnet45?.base.cacheWrite1h).toBe(2 * (sonnet45?.base.input ?? 0));
  });
});
