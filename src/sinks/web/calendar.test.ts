import { describe, expect, it } from 'vitest';
import { periodsAt } from './calendar.js';

describe('calendar periods in a zone', () => {
  it('finds today, the ISO week and the month', () => {
    expect(periodsAt(new Date('2026-12-06T04:00:00Z'), 'UTC')).toEqual({ today: '2026-12-06', weekStart: '2026-11-30', monthStart: '2026-12-01', daysLeftInMonth: 25 });
  });

  it('uses the zone’s day, not UTC’s', () => {
    expect(periodsAt(new Date('2026-12-01T03:00:00Z'), 'America/New_York')).toEqual({ today: '2026-11-30', weekStart: '2026-11-30', monthStart: '2026-11-01', daysLeftInMonth: 0 });
  });
});
