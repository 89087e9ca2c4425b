import { describe, expect, it } from 'vitest';
import { parseEventTime } from './event-time.js';

const NOW = Date.UTC(2025, 9, 10, 12);
const AT = Date.UTC(2025, 9, 10, 9, 30, 15, 123);

describe('parseEventTime', () => {
  it('reads ISO 8601 with Z or an offset, fractions of any length cut to the millisecond', () => {
    expect(parseEventTime('2025-10-10T09:30:15.123Z', NOW)).toEqual({ ms: AT });
    expect(parseEventTime('2025-10-10T09:30:15.123456789Z', NOW)).toEqual({ ms: AT });
    expect(parseEventTime('2025-10-10T11:30:15.123+02:00', NOW)).toEqual({ ms: AT });
    expect(parseEventTime('2025-10-10T11:30:15.123+0200', NOW)).toEqual({ ms: AT });
    expect(parseEventTime('2025-10-10t09:30z', NOW)).toEqual({ ms: Date.UTC(2025, 9, 10, 9, 30) });
  });

  it('reads epoch seconds, ms, µs and ns by their size (numbers or digit strings)', () => {
    expect(parseEventTime(AT / 1000, NOW)).toEqual({ ms: AT });
    expect(parseEventTime(Math.floor(AT / 1000), NOW)).toEqual({ ms: AT - 123 });
    expect(parseEventTime(AT, NOW)).toEqual({ ms: AT });
    expect(parseEventTime(AT * 1000 + 456, NOW)).toEqual({ ms: AT });
    expect(parseEventTime(`${AT}456789`, NOW)).toEqual({ ms: AT });
    expect(parseEventTime(AT * 1e6, NOW)).toEqual({ ms: AT });
  });

  it('refuses zone-less, invalid, too early, too late and non-time values with the reason', () => {
    expect(parseEventTime('2025-10-10T09:30:15', NOW)).toEqual({ problem: expect.stringContaining('with a zone') });
    expect(parseEventTime('2025-10-10', NOW)).toEqual({ problem: expect.stringContaining('with a zone') });
    expect(parseEventTime('2025-02-30T00:00:00Z', NOW)).toEqual({ problem: 'is not a valid date and time' });
    expect(parseEventTime('2025-10-10T25:00:00Z', NOW)).toEqual({ problem: 'is not a valid date and time' });
    expect(parseEventTime('1999-12-31T23:59:59Z', NOW)).toEqual({ problem: 'is before 2000-01-01' });
    expect(parseEventTime(NOW + 86_400_001, NOW)).toEqual({ problem: 'is more than a day in the future (read as epoch milliseconds)' });
    expect(parseEventTime(NOW + 86_400_000, NOW)).toEqual({ ms: NOW + 86_400_000 });
    // Epoch seconds of 1990, and a 12-digit number (seconds of the year 5000? ms of 1973?).
    expect(parseEventTime(631_152_000, NOW)).toEqual({ problem: 'is before 2000-01-01 (read as epoch seconds)' });
    expect(parseEventTime(99_999_999_999, NOW)).toEqual({ problem: 'is more than a day in the future (read as epoch seconds)' });
    expect(parseEventTime(100_000_000_000, NOW)).toEqual({ problem: 'is before 2000-01-01 (read as epoch milliseconds)' });
    expect(parseEventTime(1e20, NOW)).toEqual({ problem: 'is too large for an epoch time even in nanoseconds' });
    expect(parseEventTime(0, NOW)).toEqual({ problem: expect.stringContaining('positive epoch number') });
    expect(parseEventTime(-5, NOW)).toEqual({ problem: expect.stringContaining('positive epoch number') });
    expect(parseEventTime(true, NOW)).toEqual({ problem: expect.stringContaining('ISO 8601') });
    expect(parseEventTime('yesterday', NOW)).toEqual({ problem: expect.stringContaining('ISO 8601') });
  });
});
