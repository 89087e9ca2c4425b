import { describe, expect, it } from 'vitest';
import { sparkline } from './sparkline.js';

describe('sparkline', () => {
  it('scales from 0 to the maximum, one level per seventh', () => {
    // max 7: level ⌈7·v/7⌉ = v → 0 ▁, 1 ▂, 2 ▃, 3 ▄, 4 ▅, 5 ▆, 6 ▇, 7 █
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
  });

  it('compares with spending nothing, not with the minimum', () => {
    // max 10: 9 → ⌈6.3⌉ = 7 █, 10 → 7 █ (scaled from the minimum, 9 would be the floor)
    // 5 → ⌈3.5⌉ = 4 ▅
    expect(sparkline([9, 10, 5])).toBe('██▅');
  });

  it('keeps any spend above the floor, however small', () => {
    // max 1e9: 1 → ⌈7e-9⌉ = 1 ▂; 0 → ▁
    expect(sparkline([1, 0, 1_000_000_000])).toBe('▂▁█');
  });

  it('puts bin edges exactly (whole nanos, multiply first)', () => {
    // max 700: 200 → 7·200/700 = 2 exactly → ▃; 201 → ⌈2.01⌉ = 3 → ▄; 100 → 1 → ▂
    expect(sparkline([200, 201, 100, 700])).toBe('▃▄▂█');
  });

  it('draws all zeros as the floor and nothing as nothing', () => {
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([])).toBe('');
  });

  it('draws a single value at full height', () => {
    expect(sparkline([42])).toBe('█');
  });

  it('treats negative and non-finite values as 0', () => {
    // max 4 among the valid: −3, NaN, ∞ → ▁; 4 → █; 2 → ⌈3.5⌉ = 4 ▅
    expect(sparkline([-3, Number.NaN, Number.POSITIVE_INFINITY, 4, 2])).toBe('▁▁▁█▅');
  });
});
