import { describe, expect, it } from 'vitest';
import { isTokenCount, MAX_COST_NANOS_PER_EVENT, MAX_PICOS_PER_TOKEN, MAX_TOKENS_PER_FIELD, PRICED_FIELDS } from './event-bounds.js';

const INT64_MAX = 2n ** 63n - 1n;

describe('the per-event bounds', () => {
  it('keep the dearest possible event an exact integer: 5 × 10^9 tokens × 10^9 picos = 5 × 10^15 nano-USD < 2^53', () => {
    const picos = BigInt(PRICED_FIELDS) * BigInt(MAX_TOKENS_PER_FIELD) * BigInt(MAX_PICOS_PER_TOKEN);
    expect(picos).toBe(5n * 10n ** 18n);
    expect(picos).toBeLessThan(INT64_MAX);
    expect(BigInt(MAX_COST_NANOS_PER_EVENT)).toBe(picos / 1000n);
    expect(Number.isSafeInteger(MAX_COST_NANOS_PER_EVENT)).toBe(true);
  });

  it('keep every sum of a token field below 2^63 for ledgers of up to 9.2 × 10^9 events', () => {
    const events = 9_200_000_000n;
    expect(events * BigInt(MAX_TOKENS_PER_FIELD)).toBeLessThan(INT64_MAX);
    // All five priced fields of each event together, for up to 1.8 × 10^9 events.
    expect(1_800_000_000n * BigInt(PRICED_FIELDS) * BigInt(MAX_TOKENS_PER_FIELD)).toBeLessThan(INT64_MAX);
  });

  it('accept whole counts from 0 to 10^9 and nothing else', () => {
    for (const ok of [0, 1, MAX_TOKENS_PER_FIELD]) expect(isTokenCount(ok)).toBe(true);
    for (const bad of [-1, 1.5, MAX_TOKENS_PER_FIELD + 1, 2 ** 52, 1e12, Number.NaN, Infinity, '5', null]) expect(isTokenCount(bad)).toBe(false);
  });
});
