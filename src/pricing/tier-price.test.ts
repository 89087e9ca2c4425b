import { beforeAll, describe, expect, it } from 'vitest';
import { emptyTokens, type TokenCounts } from '../core/usage-event.js';
import { PriceOverrides, type PriceOverrideConfig } from './overrides.js';
import { priceEvent, type PriceableEvent } from './price-event.js';
import { PriceTable } from './price-table.js';
import { scaleRate } from './tier-price.js';

const APRIL_2026 = Date.UTC(2026, 3, 1);
const FEB_2026 = Date.UTC(2026, 1, 20);

const event = (model: string, serviceTier: string | undefined, counts: Partial<TokenCounts>, occurredAt = APRIL_2026): PriceableEvent => ({
  ...emptyTokens(),
  ...counts,
  model,
  provider: 'anthropic',
  occurredAt,
  serviceTier,
});

let table: PriceTable;
beforeAll(async () => {
  table = await PriceTable.load(new PriceOverrides());
});
const withOverrides = (prices: Record<string, PriceOverrideConfig>): Promise<PriceTable> => PriceTable.load(new PriceOverrides(prices));

describe('scaleRate', () => {
  it('scales integer picos exactly, rounding a half pico up', () => {
    expect(scaleRate(5_000_000, 6000)).toBe(30_000_000);
    expect(scaleRate(125_000, 500)).toBe(62_500);
    expect(scaleRate(3, 500)).toBe(2);
    expect(scaleRate(1_234_567, 1750)).toBe(2_160_492);
  });
});

describe('prices at a service tier', () => {
  it('multiplies every bucket of Opus 4.6 by 6 in fast mode: $30/$150, 5m writes $37.50, 1h writes $60, reads $3', () => {
    const fast = table.priceAt('claude-opus-4-6', 'anthropic', APRIL_2026, 'fast');
    expect(fast?.known).toBe(true);
    expect(fast?.price.base).toEqual({ input: 30_000_000, output: 150_000_000, cacheWrite5m: 37_500_000, cacheWrite1h: 60_000_000, cacheRead: 3_000_000 });
    expect(fast?.price.origin).toContain('fast: 6x standard');
  });

  it('multiplies the long-context rates too (Opus 4.6 before 2026-03-13, prompt above 200k)', () => {
    const fast = table.priceAt('claude-opus-4-6', 'anthropic', FEB_2026, 'fast');
    expect(fast?.price.tiers).toEqual([{ aboveTokens: 200_000, rates: { input: 60_000_000, output: 225_000_000, cacheWrite5m: 75_000_000, cacheWrite1h: 120_000_000, cacheRead: 6_000_000 } }]);
    // 1,000 × $60 + 1,000 × $225 + 250,000 × $6 per million
    expect(priceEvent(table, event('claude-opus-4-6', 'fast', { inputTokens: 1000, outputTokens: 1000, cacheReadTokens: 250_000 }, FEB_2026)).costNanos).toBe(1_785_000_000);
  });

  it('costs nothing extra at standard speed, and prices an unknown tier at standard rates, flagged', () => {
    const tokens = { inputTokens: 2, outputTokens: 20 };
    // Sonnet 4.5: 2 × $3 + 20 × $15 per million
    expect(priceEvent(table, event('claude-sonnet-4-5', undefined, tokens))).toEqual({ costNanos: 306_000, unpriced: false, unpricedTier: undefined });
    expect(priceEvent(table, event('claude-sonnet-4-5', 'fast', tokens))).toEqual({ costNanos: 306_000, unpriced: false, unpricedTier: 'fast' });
    expect(priceEvent(table, event('no-such-model', 'fast', tokens))).toEqual({ costNanos: 0, unpriced: true, unpricedTier: undefined });
  });

  it('halves OpenAI rates at the flex tier (gpt-5: $0.625 in, $5 out, $0.0625 cached reads)', () => {
    const flex = priceEvent(table, { ...event('gpt-5', 'flex', { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 10_000 }), provider: 'openai' });
    // 1,000 × $0.625 + 100 × $5 + 10,000 × $0.0625 per million
    expect(flex).toEqual({ costNanos: 625_000 + 500_000 + 625_000, unpriced: false, unpricedTier: undefined });
  });

  it('lets a config override set a tier as a multiplier, without touching the catalog prices', async () => {
    const t = await withOverrides({ 'claude-sonnet-4-5*': { serviceTiers: { fast: 3 } }, 'claude-opus-4-6': { serviceTiers: { fast: 2.5 } } });
    expect(t.price('claude-sonnet-4-5', 'anthropic', APRIL_2026)?.provider).toBe('anthropic');
    // 3 × (2 × $3 + 20 × $15 per million)
    expect(priceEvent(t, event('claude-sonnet-4-5-20250929', 'fast', { inputTokens: 2, outputTokens: 20 })).costNanos).toBe(918_000);
    // An override beats the registry: 2.5 × $5 = $12.50 input
    expect(t.priceAt('claude-opus-4-6', 'anthropic', APRIL_2026, 'fast')?.price.base.input).toBe(12_500_000);
  });

  it('lets a config override give a tier flat rates of its own, beside its own standard prices', async () => {
    const t = await withOverrides({ 'my-model': { input: 1, output: 2, serviceTiers: { fast: { input: 4, output: 8, cacheRead: 0.4 } } } });
    // 1,000 × $4 + 100 × $8 + 10,000 × $0.40 per million; standard: 1,000 × $1 + 100 × $2 + 10,000 × $1
    expect(priceEvent(t, event('my-model', 'fast', { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 10_000 })).costNanos).toBe(4_000_000 + 800_000 + 4_000_000);
    expect(priceEvent(t, event('my-model', undefined, { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 10_000 })).costNanos).toBe(1_000_000 + 200_000 + 10_000_000);
  });
});
