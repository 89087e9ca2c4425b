import { describe, expect, it } from 'vitest';
import { NANOS_PER_USD } from './money.js';
import { usdDoubleToNanos } from './usd-double.js';

describe('usdDoubleToNanos', () => {
  it('gives back the nanos a double was divided from, where a product by 10^9 would miss one', () => {
    // (15 / 10^9) × 10^9 is not 15 in binary arithmetic.
    expect((15 / NANOS_PER_USD) * NANOS_PER_USD).not.toBe(15);
    for (const nanos of [15, 1_250_000_123, 700_000_007, 5, 1, 12_144_000, 3_000_000_000, 999_999_999_999, 4_000_000_000_000_001])
      expect(usdDoubleToNanos(nanos / NANOS_PER_USD), String(nanos)).toBe(nanos);
    for (let nanos = 0; nanos < 200_000; nanos += 1) expect(usdDoubleToNanos(nanos / NANOS_PER_USD)).toBe(nanos);
  });

  it('rounds the exact value to the nearest nano, halves away from zero', () => {
    // 2^-31 USD = 0.465661287307739257812 5 nanos; 2^-30 = 0.93…; 1.5 × 2^-30 = 1.396…
    expect(usdDoubleToNanos(2 ** -31)).toBe(0);
    expect(usdDoubleToNanos(2 ** -30)).toBe(1);
    // 0.0000000005 USD is half a nano: the double nearest it is a little above half → 1.
    expect(usdDoubleToNanos(0.0000000005)).toBe(1);
    // 2.5e-9 as a double lies just above 2.5 nanos; 1.5e-9 just below 1.5.
    expect(usdDoubleToNanos(2.5e-9)).toBe(3);
    expect(usdDoubleToNanos(1.5e-9)).toBe(1);
    expect(usdDoubleToNanos(-2.5e-9)).toBe(-3);
    expect(usdDoubleToNanos(0.012144)).toBe(12_144_000);
    expect(usdDoubleToNanos(Number.MIN_VALUE)).toBe(0);
    expect(usdDoubleToNanos(2 ** 20)).toBe(2 ** 20 * NANOS_PER_USD);
  });

  it('refuses what is not a finite amount kept as a safe integer of nanos', () => {
    expect(usdDoubleToNanos(Number.NaN)).toBeUndefined();
    expect(usdDoubleToNanos(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(usdDoubleToNanos(1e7)).toBeUndefined();
  });
});
