import { describe, expect, it } from 'vitest';
import { dayKey } from '../core/calendar.js';
import { ZoneClock } from '../core/zone-clock.js';
import { lastPeriodsStart, usageFilter } from './report-range.js';

const DAY_MS = 86_400_000;
const dayOf = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

describe('lastPeriodsStart', () => {
  // 2025-06-11 is a Wednesday.
  const today = dayOf('2025-06-11');

  it('counts days back from today, today included', () => {
    expect(dayKey(lastPeriodsStart('day', today, 1, 'monday'))).toBe('2025-06-11');
    expect(dayKey(lastPeriodsStart('day', today, 7, 'monday'))).toBe('2025-06-05');
    expect(dayKey(lastPeriodsStart('day', dayOf('2025-03-01'), 2, 'monday'))).toBe('2025-02-28');
  });

  it('counts whole weeks back from the start of this week', () => {
    expect(dayKey(lastPeriodsStart('week', today, 1, 'monday'))).toBe('2025-06-09');
    expect(dayKey(lastPeriodsStart('week', today, 2, 'monday'))).toBe('2025-06-02');
    expect(dayKey(lastPeriodsStart('week', today, 1, 'sunday'))).toBe('2025-06-08');
    expect(dayKey(lastPeriodsStart('week', today, 3, 'sunday'))).toBe('2025-05-25');
    expect(dayKey(lastPeriodsStart('week', today, 1, 'wednesday'))).toBe('2025-06-11');
    expect(dayKey(lastPeriodsStart('week', today, 1, 'thursday'))).toBe('2025-06-05');
  });

  it('counts calendar months back from the first of this month, across years and short months', () => {
    expect(dayKey(lastPeriodsStart('month', today, 1, 'monday'))).toBe('2025-06-01');
    expect(dayKey(lastPeriodsStart('month', dayOf('2025-03-31'), 2, 'monday'))).toBe('2025-02-01');
    expect(dayKey(lastPeriodsStart('month', dayOf('2025-03-31'), 3, 'monday'))).toBe('2025-01-01');
    expect(dayKey(lastPeriodsStart('month', dayOf('2025-01-15'), 2, 'monday'))).toBe('2024-12-01');
    expect(dayKey(lastPeriodsStart('month', dayOf('2025-01-15'), 14, 'monday'))).toBe('2023-12-01');
  });
});

describe('usageFilter', () => {
  it('bounds are the first instants of the since day and of the day after until', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Santiago', 'UTC']) {
      const clock = new ZoneClock(zone);
      for (const [since, until] of [
        ['2025-03-30', '2025-03-30'],
        ['2025-04-06', '2025-09-07'],
        ['2025-09-06', '2025-10-26'],
        ['2025-01-01', '2025-12-31'],
      ] as const) {
        const filter = usageFilter('cost-tracking', clock, dayOf(since), dayOf(until), undefined, undefined);
        expect(filter.since, `${zone} ${since}`).toBe(clock.startOfLocalDay(dayOf(since)));
        expect(filter.until, `${zone} ${until}`).toBe(clock.startOfLocalDay(dayOf(until) + 1));
      }
    }
  });

  it('makes a range of one local day: 23 hours on the spring DST day, 25 in the fall', () => {
    const berlin = new ZoneClock('Europe/Berlin');
    const spring = usageFilter('cost-tracking', berlin, dayOf('2025-03-30'), dayOf('2025-03-30'), undefined, undefined);
    expect([new Date(spring.since as number).toISOString(), new Date(spring.until as number).toISOString()]).toEqual(['2025-03-29T23:00:00.000Z', '2025-03-30T22:00:00.000Z']);
    const fall = usageFilter('cost-tracking', berlin, dayOf('2025-10-26'), dayOf('2025-10-26'), undefined, undefined);
    expect(((fall.until as number) - (fall.since as number)) / 3_600_000).toBe(25);
  });

  it('starts a day whose midnight was skipped at its first real instant', () => {
    const santiago = new ZoneClock('America/Santiago');
    // Clocks jump from 24:00 on September 6 to 01:00 on September 7 (04:00 UTC).
    expect(usageFilter('cost-tracking', santiago, dayOf('2025-09-07'), undefined, undefined, undefined)).toEqual({ namespace: 'cost-tracking', since: Date.parse('2025-09-07T04:00:00Z') });
    expect(usageFilter('cost-tracking', santiago, undefined, dayOf('2025-09-06'), undefined, undefined)).toEqual({ namespace: 'cost-tracking', until: Date.parse('2025-09-07T04:00:00Z') });
  });

  it('leaves out bounds not given, and an unbounded since (-Infinity from --last arithmetic)', () => {
    const clock = new ZoneClock('UTC');
    expect(usageFilter('cost-tracking', clock, undefined, undefined, undefined, undefined)).toEqual({ namespace: 'cost-tracking' });
    expect(usageFilter('cost-tracking', clock, -Infinity, undefined, undefined, undefined)).toEqual({ namespace: 'cost-tracking' });
    expect(usageFilter('cost-tracking', clock, undefined, dayOf('2025-06-10'), undefined, undefined)).toEqual({ namespace: 'cost-tracking', until: Date.parse('2025-06-11T00:00:00Z') });
  });

  it('passes agents and projects through', () => {
    const clock = new ZoneClock('UTC');
    expect(usageFilter('cost-tracking', clock, undefined, undefined, ['claude-code'], ['/home/dev/app'])).toEqual({ namespace: 'cost-tracking', agents: ['claude-code'], projects: ['/home/dev/app'] });
    expect(usageFilter('cost-tracking', clock, undefined, undefined, [], [])).toEqual({ namespace: 'cost-tracking', agents: [], projects: [] });
  });
});
