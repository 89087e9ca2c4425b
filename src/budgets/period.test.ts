import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../core/zone-clock.js';
import { parsePeriod, periodText, periodWindow } from './period.js';

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
const berlin = new ZoneClock('Europe/Berlin');

describe('budget periods', () => {
  it('parses calendar periods and rolling windows, and refuses anything else', () => {
    expect(parsePeriod(' Month ')).toEqual({ kind: 'month' });
    expect(periodText(parsePeriod('7D'))).toBe('7d');
    expect(parsePeriod('2w')).toEqual({ kind: 'rolling', ms: 14 * 86_400_000, text: '2w' });
    for (const bad of ['', 'monthly', '7', '0d', '-3d', '1y']) expect(() => parsePeriod(bad), bad).toThrow('--period expects');
  });

  it('uses local days, the configured week start and calendar months', () => {
    // 2025-03-30 is the day Berlin moves to summer time (23 hours long).
    const now = Date.UTC(2025, 2, 30, 12);
    const today = periodWindow({ kind: 'today' }, now, berlin, 'monday');
    expect([iso(today.since), iso(today.until), today.key]).toEqual(['2025-03-29T23:00:00.000Z', '2025-03-30T22:00:00.000Z', '2025-03-30']);
    const week = periodWindow({ kind: 'week' }, now, berlin, 'monday');
    expect([iso(week.since), iso(week.until), week.key]).toEqual(['2025-03-23T23:00:00.000Z', '2025-03-30T22:00:00.000Z', 'week 2025-03-24']);
    const sundayWeek = periodWindow({ kind: 'week' }, now, berlin, 'sunday');
    expect(iso(sundayWeek.since)).toBe('2025-03-29T23:00:00.000Z');
    const month = periodWindow({ kind: 'month' }, now, berlin, 'monday');
    expect([iso(month.since), iso(month.until), month.key]).toEqual(['2025-02-28T23:00:00.000Z', '2025-03-31T22:00:00.000Z', '2025-03']);
    expect(periodWindow({ kind: 'all' }, now, berlin, 'monday')).toEqual({ key: 'all' });
  });

  it('starts a rolling window on the quarter hour that holds now − N, keyed by day', () => {
    const now = Date.UTC(2025, 5, 10, 12, 7, 30);
    const w = periodWindow(parsePeriod('7d'), now, berlin, 'monday');
    expect(iso(w.since)).toBe('2025-06-03T12:00:00.000Z');
    expect(w.until).toBe(now + 1);
    expect(w.key).toBe('7d@2025-06-10');
  });
});
