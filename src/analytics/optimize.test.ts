import { describe, expect, it } from 'vitest';
import { emptyTokens } from '../core/usage-event.js';
import { PROMPT_CUTS, type UsageRow } from '../ledger/ledger.js';
import { bandCostNanos, costAtRates } from '../pricing/cost.js';
import type { ModelPrice, Rates } from '../pricing/model-price.js';
import type { PriceBand } from './band-price.js';
import { recommendations, type ModelRef, type OptimizeInput, type Recommendation } from './optimize.js';

// Rates in pico-USD per token ($5/MTok = 5,000,000): input, output, 5-minute write, 1-hour write, cache read.
const rates = (input: number, output: number, cacheWrite5m: number, cacheWrite1h: number, cacheRead: number): Rates => ({ input, output, cacheWrite5m, cacheWrite1h, cacheRead });
const PRICES: Record<string, ModelPrice> = {
  'claude-opus-4-5': { pricedAs: 'claude-opus-4-5', provider: 'anthropic', origin: 'test', base: rates(5e6, 25e6, 6.25e6, 10e6, 0.5e6), tiers: [] },
  'claude-sonnet-4-5': {
    pricedAs: 'claude-sonnet-4-5',
    provider: 'anthropic',
    origin: 'test',
    base: rates(3e6, 15e6, 3.75e6, 6e6, 0.3e6),
    tiers: [{ aboveTokens: 200_000, rates: rates(6e6, 22.5e6, 7.5e6, 12e6, 0.6e6) }],
  },
  'claude-haiku-4-5': { pricedAs: 'claude-haiku-4-5', provider: 'anthropic', origin: 'test', base: rates(1e6, 5e6, 1.25e6, 2e6, 0.1e6), tiers: [] },
  'gpt-5': { pricedAs: 'gpt-5', provider: 'openai', origin: 'test', base: rates(1.25e6, 10e6, 1.25e6, 1.25e6, 0.125e6), tiers: [] },
};

// The real band arithmetic of the pricing module, over the prices above.
const price: PriceBand = (model, _provider, row) => {
  const p = PRICES[model];
  if (p === undefined) return undefined;
  const above = row.promptAbove ?? 0;
  return bandCostNanos(p, row, above, PROMPT_CUTS.find((cut) => cut > above) ?? Number.POSITIVE_INFINITY);
};
const basePrice: PriceBand = (model, _provider, row) => {
  const p = PRICES[model];
  return p === undefined ? undefined : { costNanos: costAtRates(p.base, row), exact: true };
};
const CURRENT: Record<string, ModelRef> = { sonnet: { model: 'claude-sonnet-4-5' }, haiku: { model: 'claude-haiku-4-5' } };

const row = (r: Partial<UsageRow> & { sessionId: string; model: string; events: number; costNanos: number }): UsageRow => ({
  ...emptyTokens(),
  agent: 'claude-code',
  provider: 'anthropic',
  promptAbove: 0,
  unpricedEvents: 0,
  ...r,
});

const USD = 1e9;
const ROWS: UsageRow[] = [
  // s1 on Opus, 4 requests, 1,200 output tokens (mean 300 < 500): small.
  // Recorded: 8,000×$5 + 1,200×$25 + 40,000×$0.5 per MTok = 0.04 + 0.03 + 0.02 = $0.09.
  // On Sonnet: 8,000×3 + 1,200×15 + 40,000×0.3 = 0.024 + 0.018 + 0.012 = $0.054; saving $0.036.
  row({ sessionId: 's1', model: 'claude-opus-4-5', events: 4, inputTokens: 8_000, outputTokens: 1_200, cacheReadTokens: 40_000, costNanos: 0.09 * USD }),
  // s2 on Sonnet, 3 requests, 700 output tokens (mean 233): small, in two bands.
  // Band 0: 1,000×3 + 600×15 + 100,000×0.3 = 0.003 + 0.009 + 0.03 = $0.042; on Haiku 0.001 + 0.003 + 0.01 = $0.014.
  row({ sessionId: 's2', model: 'claude-sonnet-4-5', events: 2, inputTokens: 1_000, outputTokens: 600, cacheReadTokens: 100_000, costNanos: 0.042 * USD }),
  // Band 200,000 (prompt 212,000): tier rates 2,000×6 + 100×22.5 + 210,000×0.6 = 0.012 + 0.00225 + 0.126 = $0.14025;
  // base rates 0.006 + 0.0015 + 0.063 = $0.0705 (surcharge $0.06975); on Haiku (no tier) 0.002 + 0.0005 + 0.021 = $0.0235.
  // s2 saving: (0.042 + 0.14025) − (0.014 + 0.0235) = 0.18225 − 0.0375 = $0.14475.
  row({ sessionId: 's2', model: 'claude-sonnet-4-5', promptAbove: 200_000, events: 1, inputTokens: 2_000, outputTokens: 100, cacheReadTokens: 210_000, costNanos: 0.14025 * USD }),
  // s3 on Opus, mean output 1,000: not small. Writes: 10,000×6.25 + 20,000×10 = 0.0625 + 0.2 = $0.2625 (1h share 76.19%);
  // the 1h premium is 20,000 × (10 − 6.25) = $0.075. Recorded 0.0025 + 0.05 + 0.2625 = $0.315.
  row({ sessionId: 's3', model: 'claude-opus-4-5', events: 2, inputTokens: 500, outputTokens: 2_000, cacheWrite5mTokens: 10_000, cacheWrite1hTokens: 20_000, costNanos: 0.315 * USD }),
  // s4 on GPT-5 (no tier below it here): 60,000 uncached of 100,000 prompt tokens, ratio 40%.
  row({ sessionId: 's4', agent: 'codex-cli', provider: 'openai', model: 'gpt-5', events: 10, inputTokens: 60_000, outputTokens: 5_000, cacheReadTokens: 40_000, costNanos: 0.13 * USD }),
  // Unpriced: left out of every figure (else its 0% cache ratio and tiny outputs would count).
  row({ sessionId: 's5', model: 'claude-opus-mystery', events: 3, unpricedEvents: 3, inputTokens: 1_000, outputTokens: 10, costNanos: 0 }),
];

const input = (rows: UsageRow[], more: Partial<OptimizeInput> = {}): OptimizeInput => ({ rows, price, basePrice, currentModel: (tier) => CURRENT[tier], ...more });
const byId = <I extends Recommendation['id']>(list: Recommendation[], id: I) => list.find((r): r is Extract<Recommendation, { id: I }> => r.id === id);

describe('recommendations', () => {
  it('measures each saving on the rows, largest first', () => {
    const list = recommendations(input(ROWS));
    expect(list.map((r) => [r.id, r.savingsNanos])).toEqual([
      ['downgrade', 180_750_000], // 0.036 + 0.14475
      ['cache-hit-ratio', 105_750_000], // Opus 0.03825 + GPT-5 0.0675 (below)
      ['cache-1h', 75_000_000],
      ['long-context', 69_750_000],
    ]);
  });

  it('downgrade: session × model with mean output below the threshold, re-priced band by band one tier down', () => {
    const d = byId(recommendations(input(ROWS)), 'downgrade');
    expect(d?.evidence).toEqual({
      smallOutputTokens: 500,
      sessions: 2,
      requests: 7,
      recordedNanos: 272_250_000, // 0.09 + 0.18225
      repricedNanos: 91_500_000, // 0.054 + 0.0375
      exact: true,
      byModel: [
        { model: 'claude-sonnet-4-5', targetModel: 'claude-haiku-4-5', sessions: 1, requests: 3, savingsNanos: 144_750_000 },
        { model: 'claude-opus-4-5', targetModel: 'claude-sonnet-4-5', sessions: 1, requests: 4, savingsNanos: 36_000_000 },
      ],
      topSessions: [
        {
          agent: 'claude-code',
          sessionId: 's2',
          model: 'claude-sonnet-4-5',
          targetModel: 'claude-haiku-4-5',
          requests: 3,
          meanOutputTokens: 700 / 3,
          recordedNanos: 182_250_000,
          repricedNanos: 37_500_000,
          savingsNanos: 144_750_000,
        },
        {
          agent: 'claude-code',
          sessionId: 's1',
          model: 'claude-opus-4-5',
          targetModel: 'claude-sonnet-4-5',
          requests: 4,
          meanOutputTokens: 300,
          recordedNanos: 90_000_000,
          repricedNanos: 54_000_000,
          savingsNanos: 36_000_000,
        },
      ],
    });
    expect(d?.detail).toContain('7 requests in 2 sessions averaged under 500 output tokens per request');
    // The threshold is strict: s1's mean of exactly 300 is not below 300.
    const strict = byId(recommendations(input(ROWS, { smallOutputTokens: 300 })), 'downgrade');
    expect(strict?.evidence.sessions).toBe(1);
    expect(strict?.savingsNanos).toBe(144_750_000);
  });

  it('downgrade: leaves out uses the cheaper model would not have saved on, and tiers with no current model or price', () => {
    // Recorded below what Sonnet charges today (say, priced during a discount): no saving, not listed.
    const cheap = row({ sessionId: 'c', model: 'claude-opus-4-5', events: 1, inputTokens: 1_000, outputTokens: 10, costNanos: 1_000 });
    expect(byId(recommendations(input([cheap])), 'downgrade')).toBeUndefined();
    expect(byId(recommendations(input(ROWS, { currentModel: () => undefined })), 'downgrade')).toBeUndefined();
    expect(byId(recommendations(input(ROWS, { currentModel: () => ({ model: 'unknown-model' }) })), 'downgrade')).toBeUndefined();
  });

  it('cache-hit-ratio: token-weighted ratios; the saving (an upper bound) only from models below the level', () => {
    const c = byId(recommendations(input(ROWS)), 'cache-hit-ratio');
    // Overall: reads 40,000 + 310,000 + 40,000 = 390,000 of 78,500 + 313,000 + 100,000 = 491,500 prompt tokens (79.35%).
    expect(c?.title).toBe('Cache hit ratio 79%; 2 models below 80%');
    expect(c?.detail).toContain('below 80%: gpt-5 40%, claude-opus-4-5 51%.');
    expect(c?.evidence).toEqual({
      level: 0.8,
      ratio: 390_000 / 491_500,
      promptTokens: 491_500,
      cacheReadTokens: 390_000,
      byModel: [
        // 60,000 × (1.25 − 0.125) = $0.0675.
        { model: 'gpt-5', promptTokens: 100_000, cacheReadTokens: 40_000, savingsNanos: 67_500_000, ratio: 0.4 },
        // (8,000 + 500) × (5 − 0.5) = $0.03825; 40,000 of 78,500 read (51%).
        { model: 'claude-opus-4-5', promptTokens: 78_500, cacheReadTokens: 40_000, savingsNanos: 38_250_000, ratio: 40_000 / 78_500 },
        // 310,000 of 313,000 (99%): above the level, no saving counted.
        { model: 'claude-sonnet-4-5', promptTokens: 313_000, cacheReadTokens: 310_000, savingsNanos: 0, ratio: 310_000 / 313_000 },
      ],
    });
    // At or above the level everywhere: listed with nothing to gain, so the ratio is still shown.
    const fine = recommendations(input(ROWS, { cacheHitLevel: 0.3 }));
    expect(byId(fine, 'cache-hit-ratio')).toMatchObject({ title: 'Cache hit ratio 79%: nothing to gain', savingsNanos: 0, action: 'nothing to do' });
  });

  it('cache-1h: the premium of one-hour writes over five-minute writes of the same tokens', () => {
    const c = byId(recommendations(input(ROWS)), 'cache-1h');
    expect(c?.title).toBe('One-hour cache writes: 76% of write spend');
    expect(c?.evidence).toEqual({
      cacheWrite1hTokens: 20_000,
      cacheWrite5mTokens: 10_000,
      write1hNanos: 200_000_000,
      writeNanos: 262_500_000,
      share1h: 0.2 / 0.2625,
      byModel: [{ model: 'claude-opus-4-5', cacheWrite1hTokens: 20_000, savingsNanos: 75_000_000 }],
    });
    // Where the two lifetimes cost the same (as with GPT-5 here), there is no premium and nothing to say.
    const gpt = row({ sessionId: 'g', provider: 'openai', model: 'gpt-5', events: 1, cacheWrite1hTokens: 10_000, outputTokens: 1_000, costNanos: 22_500_000 });
    expect(byId(recommendations(input([gpt])), 'cache-1h')).toBeUndefined();
  });

  it('long-context: rows in a band at or above a tier threshold, surcharge over base rates', () => {
    const l = byId(recommendations(input(ROWS)), 'long-context');
    expect(l?.title).toBe('Long context: 1 request above 200,000 tokens');
    expect(l?.evidence).toEqual({
      requests: 1,
      sessions: 1,
      aboveTokens: 200_000,
      recordedNanos: 140_250_000,
      tierPriceNanos: 140_250_000,
      basePriceNanos: 70_500_000,
      exact: true,
      byModel: [{ model: 'claude-sonnet-4-5', aboveTokens: 200_000, requests: 1, savingsNanos: 69_750_000 }],
    });
    // A prompt of exactly 200,000 tokens (band 199,999) is not above the threshold.
    const edge = row({ sessionId: 'e', model: 'claude-sonnet-4-5', promptAbove: 199_999, events: 1, inputTokens: 200_000, outputTokens: 1_000, costNanos: 615_000_000 });
    expect(byId(recommendations(input([edge])), 'long-context')).toBeUndefined();
  });

  it('says nothing about no usage', () => {
    expect(recommendations(input([]))).toEqual([]);
    expect(recommendations(input([ROWS[5] as UsageRow]))).toEqual([]);
  });
});
