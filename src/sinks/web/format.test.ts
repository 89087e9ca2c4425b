import { describe, expect, it } from 'vitest';
import { dayIn, formatMoment, formatMoney, formatPercent, formatTokens } from './format.js';

describe('dashboard number formats', () => {
  it('formats dollars as the CLI does', () => {
    expect(formatMoney(1234.5678)).toBe('$1,234.57');
    expect(formatMoney(0.00123)).toBe('$0.0012');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(23.003255435)).toBe('$23.00');
    expect(formatMoney(null)).toBe('—');
  });

  it('formats tokens and percentages', () => {
    expect(formatTokens(26645518)).toBe('26,645,518');
    expect(formatPercent(42.666)).toBe('42.7%');
    expect(formatPercent(undefined)).toBe('—');
  });

  it('shows moments and days in the chosen zone', () => {
    expect(formatMoment('2026-11-24T07:32:27.000Z', 'UTC')).toBe('2026-11-24 07:32');
    expect(formatMoment('2026-11-24T23:30:00.000Z', 'Asia/Tokyo')).toBe('2026-11-25 08:30');
    expect(formatMoment('not a date', 'UTC')).toBe('not a date');
    expect(dayIn(new Date('2026-12-01T03:00:00Z'), 'America/New_York')).toBe('2026-11-30');
  });
});
