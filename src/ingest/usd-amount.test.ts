import { describe, expect, it } from 'vitest';
import { usdToNanos } from './usd-amount.js';

describe('usdToNanos', () => {
  it('turns decimal dollars into exact nano-USD', () => {
    expect(usdToNanos(0.1)).toEqual({ nanos: 100_000_000 });
    expect(usdToNanos(0.3)).toEqual({ nanos: 300_000_000 });
    expect(usdToNanos(1.005)).toEqual({ nanos: 1_005_000_000 });
    expect(usdToNanos('12.50')).toEqual({ nanos: 12_500_000_000 });
    expect(usdToNanos('$3')).toEqual({ nanos: 3_000_000_000 });
    expect(usdToNanos(1e-7)).toEqual({ nanos: 100 });
    expect(usdToNanos('2.5E2')).toEqual({ nanos: 250_000_000_000 });
    expect(usdToNanos(0)).toEqual({ nanos: 0 });
    expect(usdToNanos('7.')).toEqual({ nanos: 7_000_000_000 });
  });

  it('rounds past the ninth decimal, halves up', () => {
    expect(usdToNanos('0.0000000015')).toEqual({ nanos: 2 });
    expect(usdToNanos('0.0000000014999')).toEqual({ nanos: 1 });
    expect(usdToNanos('1e-12')).toEqual({ nanos: 0 });
  });

  it('refuses negative, non-numeric and too large amounts', () => {
    expect(usdToNanos(-1)).toEqual({ problem: 'must not be negative' });
    expect(usdToNanos('-0.5')).toEqual({ problem: 'must not be negative' });
    expect(usdToNanos('abc')).toEqual({ problem: expect.stringContaining('number of US dollars') });
    expect(usdToNanos('')).toEqual({ problem: expect.stringContaining('number of US dollars') });
    expect(usdToNanos(true)).toEqual({ problem: expect.stringContaining('number of US dollars') });
    expect(usdToNanos(Number.NaN)).toEqual({ problem: expect.stringContaining('number of US dollars') });
    expect(usdToNanos(1e7)).toEqual({ problem: 'is above the largest amount kept ($9007199)' });
    expect(usdToNanos('1e99')).toEqual({ problem: 'is out of range' });
  });
});
