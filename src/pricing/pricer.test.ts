import { describe, expect, it } from 'vitest';
import { emptyTokens, type TokenCounts, type UsageEvent } from '../core/usage-event.js';
import { CORRECTIONS_VERSION } from './corrections.js';
import { catalogVersion } from './genai-version.js';
import { PriceOverrides } from './overrides.js';
import { priceVersionLabel } from './price-table.js';
import { Pricer } from './pricer.js';

let serial = 0;
function event(model: string, provider: string, tokens: Partial<TokenCounts>, occurredAt = Date.UTC(2025, 10, 1)): UsageEvent {
  serial++;
  return { ...emptyTokens(), ...tokens, agent: 'claude-code', provider, model, sessionId: 's1', project: '/p', occurredAt, dedupKey: `k${serial}` };
}

const SONNET_EXAMPLE = { inputTokens: 3, outputTokens: 159, cacheWrite5mTokens: 1_000, cacheReadTokens: 20_000 };

describe('Pricer.priceAll', () => {
  it('prices known models, marks unknown ones unpriced at cost 0, and sets the price version id', async () => {
    const pricer = new Pricer(new PriceOverrides());
    const events = [event('claude-sonnet-4-5-20250929', 'anthropic', SONNET_EXAMPLE), event('some-unknown-model', 'anthropic', { inputTokens: 500, outputTokens: 70 })];
    const priced = await pricer.priceAll(events, 7);
    expect(priced.map((e) => [e.model, e.costNanos, e.unpriced, e.priceVersionId])).toEqual([
      ['claude-sonnet-4-5-20250929', 12_144_000, false, 7],
      ['some-unknown-model', 0, true, 7],
    ]);
    // Tokens of unpriced events are kept.
    expect(priced[1]).toMatchObject({ inputTokens: 500, outputTokens: 70 });
  });

  it('prices in place: the same array and the same objects come back', async () => {
    const events = [event('gpt-5-codex', 'openai', { inputTokens: 1_000_000 })];
    const first = events[0];
    const priced = await new Pricer(new PriceOverrides()).priceAll(events, 1);
    expect(priced).toBe(events);
    expect(priced[0]).toBe(first);
    expect(priced[0]?.costNanos).toBe(1_250_000_000);
  });

  it('uses the event’s provider as hint and its time for dated prices and tiers', async () => {
    const big = { inputTokens: 250_000 };
    const events = [
      event('claude-opus-4-6', 'anthropic', big, Date.UTC(2026, 2, 12)),
      event('claude-opus-4-6', 'anthropic', big, Date.UTC(2026, 2, 13)),
      event('claude-sonnet-4-20250514', 'anthropic', big),
      event('gemini-2.5-pro', 'google', big),
    ];
    const priced = await new Pricer(new PriceOverrides()).priceAll(events, 2);
    expect(priced.map((e) => e.costNanos)).toEqual([
      2_500_000_000, // 250,000 × $10 (long-context tier before 2026-03-13)
      1_250_000_000, // 250,000 × $5 (flat afterwards)
      1_500_000_000, // 250,000 × $6 (Sonnet 4 tier from tokenledger's correction)
      625_000_000, // 250,000 × $2.50
    ]);
  });

  it('applies config overrides before the catalog', async () => {
    const pricer = new Pricer(new PriceOverrides({ 'claude-*': { input: 1, output: 1 }, 'local-llm': { input: 0, output: 0 } }));
    const priced = await pricer.priceAll([event('claude-sonnet-4-5', 'anthropic', { inputTokens: 1_000, outputTokens: 1_000 }), event('local-llm', 'ollama', { inputTokens: 9_999 })], 3);
    expect(priced.map((e) => [e.costNanos, e.unpriced])).toEqual([
      [2_000_000, false], // 2,000 tokens × $1 per million
      [0, false],
    ]);
  });

  it('accepts an empty batch', async () => {
    expect(await new Pricer(new PriceOverrides()).priceAll([], 1)).toEqual([]);
  });

  it('loads the price table once', async () => {
    const pricer = new Pricer(new PriceOverrides());
    const table = pricer.table();
    expect(pricer.table()).toBe(table);
    await pricer.priceAll([event('gpt-5', 'openai', { inputTokens: 1 })], 1);
    expect(pricer.table()).toBe(table);
    expect((await table).version).toBe(pricer.versionLabel);
  });
});

describe('price version label', () => {
  it('names the catalog version, the corrections version and "none" without overrides', () => {
    const label = new Pricer(new PriceOverrides()).versionLabel;
    expect(label).toBe(`genai-prices ${catalogVersion()}; corrections ${CORRECTIONS_VERSION}; overrides none`);
    expect(catalogVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(priceVersionLabel(new PriceOverrides())).toBe(label);
  });

  it('names the override fingerprint, which follows the overrides', () => {
    const overrides = new PriceOverrides({ 'claude-*': { input: 3, output: 15 } });
    const label = new Pricer(overrides).versionLabel;
    expect(label).toBe(`genai-prices ${catalogVersion()}; corrections ${CORRECTIONS_VERSION}; overrides ${overrides.fingerprint}`);
    expect(new Pricer(new PriceOverrides({ 'claude-*': { input: 3, output: 15 } })).versionLabel).toBe(label);
    expect(new Pricer(new PriceOverrides({ 'claude-*': { input: 3, output: 16 } })).versionLabel).not.toBe(label);
  });
});
