import { describe, expect, it } from 'vitest';
import { formatUsd, NANOS_PER_USD, nanosToUsd, PICOS_PER_NANO, picosPerTokenToUsdPerMTok, picosToNanos, usdPerMTokToPicosPerToken } from './money.js';

describe('usdPerMTokToPicosPerToken', () => {
  it.each([
    [3, 3_000_000],
    [15, 15_000_000],
    [3.75, 3_750_000],
    [0.3, 300_000],
    [0.03, 30_000],
    [0.125, 125_000],
    [22.5, 22_500_000],
    [1.1, 1_100_000],
    [0.000001, 1],
    [0, 0],
  ])('$%s per million tokens is %i picos per token', (usd, picos) => {
    expect(usdPerMTokToPicosPerToken(usd)).toBe(picos);
  });

  it('is exact to six decimals: float noise in the product is rounded away', () => {
    // 0.3 × 1e6 is 300000.00000000006 in binary floating point.
    expect(Number.isInteger(usdPerMTokToPicosPerToken(0.3))).toBe(true);
    expect(usdPerMTokToPicosPerToken(0.123456)).toBe(123_456);
    expect(usdPerMTokToPicosPerToken(0.0000004)).toBe(0);
  });

  it('round-trips through picosPerTokenToUsdPerMTok', () => {
    for (const usd of [3, 0.3, 0.03, 3.75, 22.5, 75, 0.125, 0.000001]) {
      expect(picosPerTokenToUsdPerMTok(usdPerMTokToPicosPerToken(usd))).toBe(usd);
    }
  });
});

describe('picosToNanos', () => {
  it('has 1,000 picos to the nano and 1e9 nanos to the dollar', () => {
    expect(PICOS_PER_NANO).toBe(1_000);
    expect(NANOS_PER_USD).toBe(1_000_000_000);
  });

  it.each([
    [0, 0],
    [1, 0],
    [499, 0],
    [500, 1],
    [501, 1],
    [1_499, 1],
    [1_500, 2],
    [2_500, 3],
    [30_000, 30],
    [12_144_000_000, 12_144_000],
  ])('%i picos are %i nanos (nearest, halves up)', (picos, nanos) => {
    expect(picosToNanos(picos)).toBe(nanos);
  });
});

describe('nanosToUsd', () => {
  it('divides by 1e9', () => {
    expect(nanosToUsd(12_144_000)).toBe(0.012144);
    expect(nanosToUsd(1_000_000_000)).toBe(1);
    expect(nanosToUsd(0)).toBe(0);
  });
});

describe('formatUsd', () => {
  it.each([
    [0, '$0.00'],
    [1_234_560_000_000, '$1,234.56'],
    [1_000_000_000, '$1.00'],
    [10_000_000, '$0.01'],
    [9_999_999, '$0.0100'],
    [12_144_000, '$0.01'],
    [1_214_400, '$0.0012'],
    [1_000_000, '$0.0010'],
    [30, '$0.0000'],
    [-1_500_000_000, '-$1.50'],
    [-1_000_000, '-$0.0010'],
    [1_234_567_890_000_000, '$1,234,567.89'],
  ])('%i nanos is %s', (nanos, text) => {
    expect(formatUsd(nanos)).toBe(text);
  });
});
