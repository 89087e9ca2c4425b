import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../../../core/zone-clock.js';
import { dayShifts } from './day-shifts.js';
import { BUCKET_MS, DAY_MS } from './schema.js';

const QUARTERS = DAY_MS / BUCKET_MS;

/** The local day of every quarter hour of [fromDay, toDay), quarter by quarter, as the shifts tell it. */
function fromShifts(segments: { fromMs: number; offsetMs: number }[], fromDay: number, toDay: number): number[] {
  const days: number[] = [];
  for (let q = fromDay * QUARTERS; q < toDay * QUARTERS; q++) days.push(Math.floor(q / QUARTERS));
  for (const s of dayShifts(segments, fromDay, toDay)) {
    expect(s.fromQ).toBeLessThan(s.toQ);
    for (let q = s.fromQ; q < s.toQ; q++) {
      expect(Math.floor(q / QUARTERS)).toBe(s.utcDay);
      days[q - fromDay * QUARTERS] = s.localDay;
    }
  }
  return days;
}

/** The same, each quarter shifted by the offset of the segment its start is in. */
function direct(segments: { fromMs: number; offsetMs: number }[], fromDay: number, toDay: number): number[] {
  const days: number[] = [];
  for (let q = fromDay * QUARTERS; q < toDay * QUARTERS; q++) {
    const start = q * BUCKET_MS;
    let offset = segments[0]!.offsetMs;
    for (const s of segments.slice(1)) if (s.fromMs <= start) offset = s.offsetMs;
    days.push(Math.floor((start + Math.round(offset)) / DAY_MS));
  }
  return days;
}

describe('dayShifts', () => {
  it('moves exactly the quarter hours whose local day differs, across switches of the offset', () => {
    const fromDay = Math.floor(Date.UTC(2025, 2, 20) / DAY_MS);
    const toDay = Math.floor(Date.UTC(2025, 10, 10) / DAY_MS);
    for (const zone of ['Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC']) {
      const segments = new ZoneClock(zone).segments(fromDay * DAY_MS, toDay * DAY_MS);
      expect(fromShifts(segments, fromDay, toDay), zone).toEqual(direct(segments, fromDay, toDay));
    }
  });

  it('handles a switch of offset in the middle of a quarter hour and none at all', () => {
    const segments = [
      { fromMs: 0, offsetMs: 3_600_000 },
      { fromMs: 10 * DAY_MS + 7 * 60_000, offsetMs: -5 * 3_600_000 },
    ];
    expect(fromShifts(segments, 8, 13)).toEqual(direct(segments, 8, 13));
    expect(dayShifts([{ fromMs: 0, offsetMs: 0 }], 0, 30)).toEqual([]);
  });
});
