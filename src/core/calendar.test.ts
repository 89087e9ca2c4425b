import { describe, expect, it } from 'vitest';
import { dayKey, monthKey, monthStart, parseDay, parseWeekday, weekStart, WEEKDAYS } from './calendar.js';
import { thrown } from '../testing/thrown.js';

const DAY_MS = 86_400_000;
const dayOf = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

describe('dayKey and monthKey', () => {
  it('format day numbers', () => {
    expect(dayKey(0)).toBe('1970-01-01');
    expect(dayKey(dayOf('2025-02-28'))).toBe('2025-02-28');
    expect(dayKey(dayOf('2024-02-29'))).toBe('2024-02-29');
    expect(dayKey(-1)).toBe('1969-12-31');
    expect(monthKey(dayOf('2025-12-31'))).toBe('2025-12');
    expect(monthKey(dayOf('2026-01-01'))).toBe('2026-01');
    expect(monthKey(-1)).toBe('1969-12');
  });
});

describe('parseDay', () => {
  it('accepts YYYY-MM-DD and YYYYMMDD', () => {
    expect(parseDay('2025-03-30', '--since')).toBe(dayOf('2025-03-30'));
    expect(parseDay('20250330', '--since')).toBe(dayOf('2025-03-30'));
    expect(parseDay('2024-02-29', '--until')).toBe(dayOf('2024-02-29'));
    expect(parseDay('19691231', '--until')).toBe(-1);
    expect(parseDay(' 2025-01-01 ', '--since')).toBe(dayOf('2025-01-01'));
  });

  it.each(['2025-02-30', '20251301', '2023-02-29', '2025-04-31', '20250100', '2025-00-10'])('rejects the impossible date %s', (text) => {
    const error = thrown(() => parseDay(text, '--until'));
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.message).toContain('--until');
    expect(error.message).toContain(text);
  });

  it.each(['2025-1-1', '2025-01-1', '2025-0101', '202501-01', '2025/01/01', 'yesterday', '', '2025-01-01T00:00', '250101', '2025010'])('rejects the malformed date "%s" and names the flag', (text) => {
    const error = thrown(() => parseDay(text, '--since'));
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.message).toContain('--since');
    expect(error.message).toContain('YYYY-MM-DD');
  });
});

describe('weekStart', () => {
  // 2025-06-11 is a Wednesday.
  it.each([
    ['sunday', '2025-06-08'],
    ['monday', '2025-06-09'],
    ['tuesday', '2025-06-10'],
    ['wednesday', '2025-06-11'],
    ['thursday', '2025-06-05'],
    ['friday', '2025-06-06'],
    ['saturday', '2025-06-07'],
  ] as const)('weeks starting %s put 2025-06-11 in the week of %s', (start, expected) => {
    expect(dayKey(weekStart(dayOf('2025-06-11'), start))).toBe(expected);
  });

  it('returns the latest day on or before the given one with the start weekday, for every start and day', () => {
    for (const start of WEEKDAYS) {
      const wanted = WEEKDAYS.indexOf(start);
      // Both sides of 1970-01-01 (negative day numbers) and a year boundary.
      for (const from of [dayOf('1969-12-20'), dayOf('2024-12-25')]) {
        for (let day = from; day < from + 21; day++) {
          const result = weekStart(day, start);
          expect(day - result, `${start} ${dayKey(day)}`).toBeGreaterThanOrEqual(0);
          expect(day - result, `${start} ${dayKey(day)}`).toBeLessThan(7);
          expect(new Date(result * DAY_MS).getUTCDay(), `${start} ${dayKey(day)}`).toBe(wanted);
        }
      }
    }
  });
});

describe('monthStart', () => {
  it('returns the first day of the month', () => {
    expect(dayKey(monthStart(dayOf('2025-03-31')))).toBe('2025-03-01');
    expect(dayKey(monthStart(dayOf('2025-03-01')))).toBe('2025-03-01');
    expect(dayKey(monthStart(dayOf('2024-02-29')))).toBe('2024-02-01');
    expect(dayKey(monthStart(dayOf('2025-12-31')))).toBe('2025-12-01');
    expect(dayKey(monthStart(-1))).toBe('1969-12-01');
  });
});

describe('parseWeekday', () => {
  it('accepts full names and three-letter abbreviations in any case', () => {
    expect(parseWeekday('Monday')).toBe('monday');
    expect(parseWeekday('sun')).toBe('sunday');
    expect(parseWeekday(' SAT ')).toBe('saturday');
  });

  it('rejects anything else', () => {
    const error = thrown(() => parseWeekday('mo'));
    expect(error.code).toBe('BAD_ARGUMENT');
    expect(error.message).toContain('--start-of-week');
  });
});

describe('regressions', () => {
  it('keeps years before 100 as they are', () => {
    const day = parseDay('0050-06-15', '--since');
    expect(dayKey(day)).toBe('0050-06-15');
    expect(dayKey(monthStart(day))).toBe('0050-06-01');
  });
});
