import { describe, expect, it } from 'vitest';
import { TokenledgerError } from '../core/errors.js';
import { projection } from './projection.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const USD = 1_000_000_000;
const now = Date.parse('2025-06-10T00:00:00Z');

describe('projection: rate and horizons', () => {
  it('divides the window spend by the window length in days', () => {
    // $7 over 7 days → $1/day; next 12h $0.50, 1d $1, 7d $7, 30d $30
    const result = projection({
      spentNanos: 7 * USD,
      windowMs: 7 * DAY,
      horizons: [
        { label: '12h', ms: 12 * HOUR },
        { label: 'day', ms: DAY },
        { label: 'week', ms: 7 * DAY },
        { label: 'month', ms: 30 * DAY },
      ],
      now,
    });
    expect(result.windowDays).toBe(7);
    expect(result.costPerDayNanos).toBe(USD);
    expect(result.horizons).toEqual([
      { label: '12h', days: 0.5, projectedNanos: 0.5 * USD },
      { label: 'day', days: 1, projectedNanos: USD },
      { label: 'week', days: 7, projectedNanos: 7 * USD },
      { label: 'month', days: 30, projectedNanos: 30 * USD },
    ]);
    expect(result.budget).toBeUndefined();
  });

  it('scales a window shorter than a day up to a daily rate', () => {
    // $1 in 12h → $2/day
    expect(projection({ spentNanos: USD, windowMs: 12 * HOUR, horizons: [], now }).costPerDayNanos).toBe(2 * USD);
  });

  it('keeps the rate fractional and rounds each projection to a whole nano', () => {
    // 10 nanos over 3 days → 3.333… nanos/day; 1 day → round(3.33) = 3; 2 days → round(6.67) = 7
    const result = projection({
      spentNanos: 10,
      windowMs: 3 * DAY,
      horizons: [
        { label: '1d', ms: DAY },
        { label: '2d', ms: 2 * DAY },
      ],
      now,
    });
    expect(result.costPerDayNanos).toBeCloseTo(10 / 3, 12);
    expect(result.horizons.map((h) => h.projectedNanos)).toEqual([3, 7]);
  });

  it('projects nothing from a window without spend', () => {
    const result = projection({ spentNanos: 0, windowMs: 7 * DAY, horizons: [{ label: 'week', ms: 7 * DAY }], now });
    expect(result.costPerDayNanos).toBe(0);
    expect(result.horizons[0]?.projectedNanos).toBe(0);
  });

  it('rejects a window that is not a positive duration', () => {
    expect(() => projection({ spentNanos: 1, windowMs: 0, horizons: [], now })).toThrowError(TokenledgerError);
    expect(() => projection({ spentNanos: 1, windowMs: -DAY, horizons: [], now })).toThrowError(/positive duration/);
  });
});

describe('projection: budget thresholds', () => {
  // Rate $1/day ($7 over 7 days). Budget $10, $6 spent this period.
  const base = { spentNanos: 7 * USD, windowMs: 7 * DAY, horizons: [], now };
  const budget = { amountNanos: 10 * USD, spentNanos: 6 * USD, thresholdsPct: [100, 75, 50, 90, 150] };

  it('says when each threshold is reached, in ascending order, without a reset', () => {
    // 50 %: target $5 ≤ $6 → reached
    // 75 %: target $7.50 → ($7.50 − $6)/$1 = 1.5 days → now + 129,600,000 ms
    // 90 %: target $9 → 3 days → now + 259,200,000
    // 100 %: target $10 → 4 days → now + 345,600,000
    // 150 %: target $15 → 9 days → now + 777,600,000
    const result = projection({ ...base, budget });
    expect(result.budget).toEqual({
      amountNanos: 10 * USD,
      spentNanos: 6 * USD,
      periodEndsAt: undefined,
      thresholds: [
        { pct: 50, state: 'reached' },
        { pct: 75, state: 'projected', days: 1.5, at: now + 129_600_000 },
        { pct: 90, state: 'projected', days: 3, at: now + 259_200_000 },
        { pct: 100, state: 'projected', days: 4, at: now + 345_600_000 },
        { pct: 150, state: 'projected', days: 9, at: now + 777_600_000 },
      ],
    });
  });

  it('marks thresholds the period resets before as not-this-period (a crossing exactly at the reset included)', () => {
    // period ends now + 3 days: 75 % (1.5 d) is projected; 90 % lands exactly on the reset → not this period
    const periodEndsAt = now + 3 * DAY;
    const result = projection({ ...base, budget: { ...budget, periodEndsAt } });
    expect(result.budget?.thresholds.map((t) => [t.pct, t.state])).toEqual([
      [50, 'reached'],
      [75, 'projected'],
      [90, 'not-this-period'],
      [100, 'not-this-period'],
      [150, 'not-this-period'],
    ]);
    expect(result.budget?.thresholds[3]).toEqual({ pct: 100, state: 'not-this-period', days: 4, at: now + 345_600_000 });
    expect(result.budget?.periodEndsAt).toBe(periodEndsAt);
  });

  it('counts a threshold hit exactly as reached', () => {
    // 60 % of $10 = $6 = spent → reached
    const result = projection({ ...base, budget: { ...budget, thresholdsPct: [60] } });
    expect(result.budget?.thresholds).toEqual([{ pct: 60, state: 'reached' }]);
  });

  it('says never when nothing is being spent (but keeps thresholds already reached)', () => {
    // rate 0; $6 spent earlier in the period: 50 % reached, 75 % never
    const result = projection({ ...base, spentNanos: 0, budget: { ...budget, thresholdsPct: [75, 50] } });
    expect(result.budget?.thresholds).toEqual([
      { pct: 50, state: 'reached' },
      { pct: 75, state: 'never' },
    ]);
  });

  it('rounds the crossing time to the millisecond', () => {
    // $3 over 1 day → $3/day; budget $1, nothing spent: 100 % in 1/3 day = 28,800,000 ms
    const result = projection({ spentNanos: 3 * USD, windowMs: DAY, horizons: [], now, budget: { amountNanos: USD, spentNanos: 0, thresholdsPct: [100] } });
    const [threshold] = result.budget?.thresholds ?? [];
    expect(threshold).toMatchObject({ pct: 100, state: 'projected', at: now + 28_800_000 });
    expect(threshold && 'days' in threshold ? threshold.days : undefined).toBeCloseTo(1 / 3, 12);
  });

  it('lists nothing for a budget without thresholds', () => {
    expect(projection({ ...base, budget: { ...budget, thresholdsPct: [] } }).budget?.thresholds).toEqual([]);
  });
});
