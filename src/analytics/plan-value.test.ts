import { describe, expect, it } from 'vitest';
import { planMonth, planValue, type Plan } from './plan-value.js';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const MAX_20X: Plan = { provider: 'anthropic', name: 'Claude Max 20x', monthlyNanos: 200e9, startDay: 15 };

describe('planMonth', () => {
  it('runs from the last start day on or before today to the same day a month later', () => {
    expect(planMonth(15, day('2025-10-10'))).toEqual({ firstDay: day('2025-09-15'), endDay: day('2025-10-15') });
    expect(planMonth(15, day('2025-10-15'))).toEqual({ firstDay: day('2025-10-15'), endDay: day('2025-11-15') });
    expect(planMonth(1, day('2025-12-31'))).toEqual({ firstDay: day('2025-12-01'), endDay: day('2026-01-01') });
    expect(planMonth(28, day('2026-01-05'))).toEqual({ firstDay: day('2025-12-28'), endDay: day('2026-01-28') });
  });
});

describe('planValue', () => {
  it("sums the plan's provider only, and weighs it against the plan's price", () => {
    const month = planMonth(15, day('2025-10-10'));
    const value = planValue(MAX_20X, month, [{ provider: 'anthropic', costNanos: 1_000e9 }, { provider: 'anthropic', costNanos: 234e9 }, { provider: 'openai', costNanos: 50e9 }, { costNanos: 7e9 }]);
    expect(value).toEqual({ plan: MAX_20X, month, apiEquivalentNanos: 1_234e9, multiple: 6.17 });
  });

  it('is zero, not a division by nothing, without usage', () => {
    expect(planValue(MAX_20X, planMonth(1, day('2025-10-10')), []).multiple).toBe(0);
  });
});
