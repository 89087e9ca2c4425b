import { describe, expect, it } from 'vitest';
import { MAX_COST_NANOS_PER_EVENT, MAX_PICOS_PER_TOKEN, MAX_TOKENS_PER_FIELD } from '../core/event-bounds.js';
import { usdPerMTokToPicosPerToken } from '../core/money.js';
import { emptyTokens, type TokenCounts } from '../core/usage-event.js';
import { costNanos, ratesFor } from './cost.js';
import type { ModelPrice, Rates } from './model-price.js';

/** Rates from USD per million tokens, in the order input, output, cache write 5m, 1h, cache read. */
function usd(input: number, output: number, cacheWrite5m: number, cacheWrite1h: number, cacheRead: number): Rates {
  const p = usdPerMTokToPicosPerToken;
  return { input: p(input), output: p(output), cacheWrite5m: p(cacheWrite5m), cacheWrite1h: p(cacheWrite1h), cacheRead: p(cacheRead) };
}

function price(base: Rates, tiers: ModelPrice['tiers'] = []): ModelPrice {
  return { pricedAs: 'test-model', provider: 'test', base, tiers, origin: 'test' };
}

function tokens(counts: Partial<TokenCounts>): TokenCounts {
  return { ...emptyTokens(), ...counts };
}

// Published Anthropic prices (USD per million tokens).
const SONNET_4_5 = price(usd(3, 15, 3.75, 6, 0.3), [{ aboveTokens: 200_000, rates: usd(6, 22.5, 7.5, 12, 0.6) }]);
const CLAUDE_3_HAIKU = price(usd(0.25, 1.25, 0.3, 0.5, 0.03));

describe('costNanos', () => {
  it('is exact and a safe integer at the bounds: 10^9 tokens in every field at $1,000 per million is $5,000,000 to the nano', () => {
    const max = MAX_PICOS_PER_TOKEN;
    const rates: Rates = { input: max, output: max, cacheWrite5m: max, cacheWrite1h: max, cacheRead: max };
    const n = MAX_TOKENS_PER_FIELD;
    const all = tokens({ inputTokens: n, outputTokens: n, cacheWrite5mTokens: n, cacheWrite1hTokens: n, cacheReadTokens: n });
    expect(costNanos(price(rates), all)).toBe(MAX_COST_NANOS_PER_EVENT);
    expect(MAX_COST_NANOS_PER_EVENT).toBe(5e15);
    // One pico below a nano boundary in every field: the sum passes 2^53 picos and is still rounded exactly.
    const odd = price({ input: max - 1, output: max - 1, cacheWrite5m: max - 1, cacheWrite1h: max - 1, cacheRead: max - 1 });
    const exact = (5n * BigInt(n) * BigInt(max - 1) + 500n) / 1000n;
    expect(BigInt(costNanos(odd, all))).toBe(exact);
  });

  it('prices each disjoint bucket once: the Claude Sonnet 4.5 example', () => {
    // 3 × $3 + 159 × $15 + 1,000 × $3.75 + 20,000 × $0.30 per million tokens = $0.012144
    expect(costNanos(SONNET_4_5, tokens({ inputTokens: 3, outputTokens: 159, cacheWrite5mTokens: 1_000, cacheReadTokens: 20_000 }))).toBe(12_144_000);
  });

  it('never bills reasoning tokens: they are already inside output', () => {
    const counts = tokens({ inputTokens: 3, outputTokens: 159, cacheWrite5mTokens: 1_000, cacheReadTokens: 20_000 });
    expect(costNanos(SONNET_4_5, { ...counts, reasoningTokens: 100 })).toBe(12_144_000);
    expect(costNanos(SONNET_4_5, tokens({ reasoningTokens: 1_000_000 }))).toBe(0);
  });

  it('bills each bucket at its own rate', () => {
    const million = 1_000_000;
    expect(costNanos(SONNET_4_5, tokens({ outputTokens: million }))).toBe(15 * 1e9);
    expect(costNanos(CLAUDE_3_HAIKU, tokens({ inputTokens: million }))).toBe(0.25 * 1e9);
    expect(costNanos(CLAUDE_3_HAIKU, tokens({ outputTokens: million }))).toBe(1.25 * 1e9);
    expect(costNanos(CLAUDE_3_HAIKU, tokens({ cacheWrite5mTokens: million }))).toBe(0.3 * 1e9);
    expect(costNanos(CLAUDE_3_HAIKU, tokens({ cacheWrite1hTokens: million }))).toBe(0.5 * 1e9);
    expect(costNanos(CLAUDE_3_HAIKU, tokens({ cacheReadTokens: million }))).toBe(0.03 * 1e9);
  });

  it('costs nothing for no tokens', () => {
    expect(costNanos(SONNET_4_5, emptyTokens())).toBe(0);
  });

  it('still counts a single cache-read token at $0.03 per million (30,000 picos = 30 nanos)', () => {
    expect(CLAUDE_3_HAIKU.base.cacheRead).toBe(30_000);
    expect(costNanos(CLAUDE_3_HAIKU, tokens({ cacheReadTokens: 1 }))).toBe(30);
  });

  it('rounds the request total to the nearest nano, halves up', () => {
    const picos = (input: number): ModelPrice => price({ input, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 });
    expect(costNanos(picos(499), tokens({ inputTokens: 1 }))).toBe(0);
    expect(costNanos(picos(500), tokens({ inputTokens: 1 }))).toBe(1);
    expect(costNanos(picos(1_499), tokens({ inputTokens: 1 }))).toBe(1);
    expect(costNanos(picos(1_500), tokens({ inputTokens: 1 }))).toBe(2);
    // Rounding applies to the total, not to each bucket: 3 × 400 picos = 1,200 picos = 1 nano.
    const split = price({ input: 400, output: 400, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 400 });
    expect(costNanos(split, tokens({ inputTokens: 1, outputTokens: 1, cacheReadTokens: 1 }))).toBe(1);
  });
});

describe('whole-request tiers', () => {
  it('bills a 250k-prompt Sonnet 4.5 request entirely at the long-context rates', () => {
    const counts = tokens({ inputTokens: 30_000, cacheWrite5mTokens: 10_000, cacheWrite1hTokens: 10_000, cacheReadTokens: 200_000, outputTokens: 2_000 });
    // 30,000 × $6 + 10,000 × $7.50 + 10,000 × $12 + 200,000 × $0.60 + 2,000 × $22.50 per million tokens
    // = $0.18 + $0.075 + $0.12 + $0.12 + $0.045 = $0.54
    expect(ratesFor(SONNET_4_5, counts)).toBe(SONNET_4_5.tiers[0]?.rates);
    expect(costNanos(SONNET_4_5, counts)).toBe(540_000_000);
  });

  it('applies a tier only when the prompt is strictly above its threshold', () => {
    expect(costNanos(SONNET_4_5, tokens({ inputTokens: 200_000 }))).toBe(600_000_000);
    expect(costNanos(SONNET_4_5, tokens({ inputTokens: 200_001 }))).toBe(1_200_006_000);
    expect(ratesFor(SONNET_4_5, tokens({ inputTokens: 200_000 }))).toBe(SONNET_4_5.base);
  });

  it('counts uncached input, both cache writes and cache reads in the prompt, but not output', () => {
    const tier = SONNET_4_5.tiers[0]?.rates;
    expect(ratesFor(SONNET_4_5, tokens({ cacheReadTokens: 199_998, cacheWrite5mTokens: 1, cacheWrite1hTokens: 1 }))).toBe(SONNET_4_5.base);
    expect(ratesFor(SONNET_4_5, tokens({ cacheReadTokens: 199_998, cacheWrite5mTokens: 1, cacheWrite1hTokens: 1, inputTokens: 1 }))).toBe(tier);
    expect(ratesFor(SONNET_4_5, tokens({ cacheReadTokens: 199_999, cacheWrite1hTokens: 2 }))).toBe(tier);
    expect(ratesFor(SONNET_4_5, tokens({ inputTokens: 100_000, outputTokens: 150_000, reasoningTokens: 150_000 }))).toBe(SONNET_4_5.base);
  });

  it('uses the highest tier the prompt exceeds', () => {
    const tiered = price(usd(1, 2, 1, 1, 0.1), [
      { aboveTokens: 128_000, rates: usd(2, 4, 2, 2, 0.2) },
      { aboveTokens: 1_000_000, rates: usd(4, 8, 4, 4, 0.4) },
    ]);
    expect(costNanos(tiered, tokens({ inputTokens: 128_000, outputTokens: 1_000 }))).toBe(128_000_000 + 2_000_000);
    expect(costNanos(tiered, tokens({ inputTokens: 128_001, outputTokens: 1_000 }))).toBe(256_002_000 + 4_000_000);
    expect(costNanos(tiered, tokens({ inputTokens: 1_000_001, outputTokens: 1_000 }))).toBe(4_000_004_000 + 8_000_000);
  });
});

describe('very large requests', () => {
  it('stay exact when tokens × picos passes Number.MAX_SAFE_INTEGER', () => {
    const rates: Rates = { input: 75_000_001, output: 3, cacheWrite5m: 7, cacheWrite1h: 11, cacheRead: 13 };
    const counts = tokens({ inputTokens: 12_345_678_901, outputTokens: 98_765_432_109, cacheWrite5mTokens: 1, cacheWrite1hTokens: 1, cacheReadTokens: 1 });
    const exactPicos = 12_345_678_901n * 75_000_001n + 98_765_432_109n * 3n + 7n + 11n + 13n; // 925,926,226,216,975,259 picos
    expect(exactPicos).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
    expect(costNanos(price(rates), counts)).toBe(925_926_226_216_975);
    expect(BigInt(costNanos(price(rates), counts))).toBe((exactPicos + 500n) / 1000n);
  });

  it('rounds halves up on the exact path too', () => {
    const perToken = (input: number): ModelPrice => price({ input, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 });
    // 1,500 × (1e13 + 1) picos = 15,000,000,000,001,500 picos = 15,000,000,000,001.5 nanos
    expect(costNanos(perToken(1_500), tokens({ inputTokens: 10_000_000_000_001 }))).toBe(15_000_000_000_002);
    // 1,499 × (1e13 + 1) picos = 14,990,000,000,001,499 picos
    expect(costNanos(perToken(1_499), tokens({ inputTokens: 10_000_000_000_001 }))).toBe(14_990_000_000_001);
  });

  it('gives the same answer on both paths around the switch', () => {
    // A billion output tokens at $75 per million: 7.5e16 picos, beyond the safe range.
    const opus = price(usd(15, 75, 18.75, 30, 1.5));
    expect(costNanos(opus, tokens({ outputTokens: 1_000_000_000 }))).toBe(75_000_000_000_000); // $75,000
    expect(costNanos(opus, tokens({ outputTokens: 100_000_000 }))).toBe(7_500_000_000_000); // $7,500, on the float path
  });
});
