import { describe, expect, it } from 'vitest';
import { TokenledgerError } from '../core/errors.js';
import { median, messageCostPercentiles, percentile } from './percentiles.js';

describe('percentile (type 7)', () => {
  const xs = [15, 20, 35, 40, 50];

  it('interpolates between the closest ranks', () => {
    // n = 5, p = 0.4: h = 4·0.4 = 1.6 → x[1] + 0.6·(x[2] − x[1]) = 20 + 0.6·15 = 29 (numpy.percentile(xs, 40) = 29)
    expect(percentile(xs, 0.4)).toBeCloseTo(29, 10);
    // p = 0.9: h = 3.6 → 40 + 0.6·10 = 46
    expect(percentile(xs, 0.9)).toBeCloseTo(46, 10);
  });

  it('gives the minimum at 0, the maximum at 1 and the middle value at 0.5', () => {
    // h = 0 → 15; h = 4 → 50; h = 2 → 35
    expect(percentile(xs, 0)).toBe(15);
    expect(percentile(xs, 1)).toBe(50);
    expect(percentile(xs, 0.5)).toBe(35);
  });

  it('takes the mean of the two middle values as the median of an even count', () => {
    // n = 4: h = 1.5 → 2 + 0.5·(3 − 2) = 2.5
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('handles ties', () => {
    // [5,5,5,9]: p = 0.5 → h = 1.5 → 5 + 0.5·0 = 5; p = 0.9 → h = 2.7 → 5 + 0.7·4 = 7.8
    expect(percentile([5, 5, 5, 9], 0.5)).toBe(5);
    expect(percentile([5, 5, 5, 9], 0.9)).toBeCloseTo(7.8, 10);
  });

  it('returns the only value of a single-element list, and undefined for none', () => {
    expect(percentile([7], 0)).toBe(7);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeUndefined();
  });

  it('rejects p outside [0, 1] as a bad argument', () => {
    for (const p of [-0.1, 1.5, Number.NaN]) {
      expect(() => percentile(xs, p)).toThrowError(TokenledgerError);
    }
    expect(() => percentile(xs, 99)).toThrowError(/between 0 and 1, got 99/);
  });
});

describe('median', () => {
  it('sorts before taking the middle', () => {
    // [50,1,10,3,2] sorted [1,2,3,10,50] → 3; [4,1,3,2] sorted [1,2,3,4] → 2.5
    expect(median([50, 1, 10, 3, 2])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});

describe('messageCostPercentiles', () => {
  it('sorts the costs and rounds each percentile to a whole nano', () => {
    // sorted [200, 1000, 300000], n = 3
    // p50: h = 1 → 1000
    // p90: h = 1.8 → 1000 + 0.8·299000 = 240200
    // p99: h = 1.98 → 1000 + 0.98·299000 = 294020
    expect(messageCostPercentiles([1000, 300_000, 200])).toEqual({ count: 3, p50: 1000, p90: 240_200, p99: 294_020 });
  });

  it('matches the textbook values on 1..100', () => {
    const costs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100, 99, …, 1 (unsorted on purpose)
    // p50: h = 49.5 → 50 + 0.5·1 = 50.5 → round half up 51
    // p90: h = 89.1 → 90 + 0.1 = 90.1 → 90
    // p99: h = 98.01 → 99 + 0.01 = 99.01 → 99
    expect(messageCostPercentiles(costs)).toEqual({ count: 100, p50: 51, p90: 90, p99: 99 });
  });

  it('is undefined without messages', () => {
    expect(messageCostPercentiles([])).toBeUndefined();
  });

  it('does not reorder the caller’s array', () => {
    const costs = [3, 1, 2];
    messageCostPercentiles(costs);
    expect(costs).toEqual([3, 1, 2]);
  });
});
