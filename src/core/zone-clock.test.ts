import { describe, expect, it } from 'vitest';
import { TokenledgerError } from './errors.js';
import { ZoneClock } from './zone-clock.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const at = (iso: string): number => Date.parse(iso);
/** An offset of `hours` and `minutes`; for west of UTC the minutes take the sign of the hours. */
const hm = (hours: number, minutes = 0): number => hours * HOUR_MS + Math.sign(hours || 1) * minutes * MINUTE_MS;
/** Day number of a `YYYY-MM-DD` calendar date. */
const dayOf = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/**
 * An independent oracle: Intl's own `longOffset` name ("GMT+05:45") and its local calendar date,
 * computed without any of ZoneClock's machinery (no caching, no bisection, no parts arithmetic).
 */
class IntlOracle {
  readonly #offset: Intl.DateTimeFormat;
  readonly #date: Intl.DateTimeFormat;

  constructor(timeZone: string) {
    this.#offset = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    this.#date = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  offset(utcMs: number): number {
    const name = this.#offset.formatToParts(utcMs).find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (name === 'GMT') return 0;
    const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
    if (match === null) throw new Error(`unexpected offset name ${name}`);
    const sign = match[1] === '-' ? -1 : 1;
    return sign * (Number(match[2]) * HOUR_MS + Number(match[3]) * MINUTE_MS);
  }

  localDay(utcMs: number): number {
    return dayOf(this.#date.format(utcMs));
  }
}

/** Compares ZoneClock with the oracle every 15 minutes of 2025; returns the mismatches (empty when right). */
function mismatchesOver2025(timeZone: string): string[] {
  const clock = new ZoneClock(timeZone);
  const oracle = new IntlOracle(timeZone);
  const bad: string[] = [];
  for (let t = at('2025-01-01T00:00:00Z'); t < at('2026-01-01T00:00:00Z'); t += 15 * MINUTE_MS) {
    const expected = oracle.offset(t);
    const actual = clock.offsetAt(t);
    if (actual !== expected) bad.push(`${new Date(t).toISOString()}: offset ${actual} != ${expected}`);
    const expectedDay = oracle.localDay(t);
    const actualDay = clock.localDay(t);
    if (actualDay !== expectedDay) bad.push(`${new Date(t).toISOString()}: day ${actualDay} != ${expectedDay}`);
    if (bad.length > 5) break;
  }
  return bad;
}

describe('ZoneClock.offsetAt around DST switches', () => {
  // [zone, last instant before the switch, offset before, offset after] (switch is one minute later)
  const switches: [string, string, number, number][] = [
    ['Europe/Berlin', '2025-03-30T00:59:00Z', hm(1), hm(2)],
    ['Europe/Berlin', '2025-10-26T00:59:00Z', hm(2), hm(1)],
    ['America/New_York', '2025-03-09T06:59:00Z', hm(-5), hm(-4)],
    ['America/New_York', '2025-11-02T05:59:00Z', hm(-4), hm(-5)],
    ['Australia/Sydney', '2025-04-05T15:59:00Z', hm(11), hm(10)],
    ['Australia/Sydney', '2025-10-04T15:59:00Z', hm(10), hm(11)],
    ['Australia/Lord_Howe', '2025-04-05T14:59:00Z', hm(11), hm(10, 30)],
    ['Australia/Lord_Howe', '2025-10-04T15:29:00Z', hm(10, 30), hm(11)],
    ['Pacific/Chatham', '2025-04-05T13:59:00Z', hm(13, 45), hm(12, 45)],
    ['Pacific/Chatham', '2025-09-27T13:59:00Z', hm(12, 45), hm(13, 45)],
    ['America/Santiago', '2025-04-06T02:59:00Z', hm(-3), hm(-4)],
    ['America/Santiago', '2025-09-07T03:59:00Z', hm(-4), hm(-3)],
    ['America/Havana', '2025-03-09T04:59:00Z', hm(-5), hm(-4)],
    ['America/Havana', '2025-11-02T04:59:00Z', hm(-4), hm(-5)],
    ['Asia/Kathmandu', '1985-12-31T18:29:00Z', hm(5, 30), hm(5, 45)],
  ];

  it.each(switches)('%s switches after %s', (zone, before, offsetBefore, offsetAfter) => {
    const clock = new ZoneClock(zone);
    const last = at(before);
    // Ask the later instant first so the day's cache is filled from either side.
    expect(clock.offsetAt(last + MINUTE_MS)).toBe(offsetAfter);
    expect(clock.offsetAt(last)).toBe(offsetBefore);
    expect(clock.offsetAt(last + MINUTE_MS - 1)).toBe(offsetBefore);
    expect(clock.offsetAt(last - 6 * HOUR_MS)).toBe(offsetBefore);
    expect(clock.offsetAt(last + 6 * HOUR_MS)).toBe(offsetAfter);
  });

  it('has fixed offsets in zones without DST', () => {
    const cases: [string, number][] = [
      ['Asia/Kolkata', hm(5, 30)],
      ['Asia/Kathmandu', hm(5, 45)],
      ['UTC', 0],
    ];
    for (const [zone, offset] of cases) {
      const clock = new ZoneClock(zone);
      for (const iso of ['2025-01-15T12:00:00Z', '2025-03-30T01:00:00Z', '2025-07-01T23:59:59Z', '2025-10-26T01:00:00Z']) {
        expect(clock.offsetAt(at(iso)), `${zone} ${iso}`).toBe(offset);
      }
    }
  });

  it('works before 1970 (negative epoch milliseconds)', () => {
    const clock = new ZoneClock('America/New_York');
    expect(clock.offsetAt(at('1960-01-15T12:00:00Z'))).toBe(hm(-5));
    expect(clock.offsetAt(at('1960-07-15T12:00:00Z'))).toBe(hm(-4));
    expect(clock.localDay(at('1960-01-15T03:00:00Z'))).toBe(dayOf('1960-01-14'));
  });
});

describe('ZoneClock.offsetAt agrees with Intl every 15 minutes of a year', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/Santiago', 'America/Havana', 'UTC'];
  it.each(zones)('%s', (zone) => {
    expect(mismatchesOver2025(zone)).toEqual([]);
  });
});

describe('ZoneClock.localDay', () => {
  it('puts 23:30 UTC on the next day east of UTC and the same day west of it', () => {
    const t = at('2025-06-10T23:30:00Z');
    expect(new ZoneClock('Europe/Berlin').localDay(t)).toBe(dayOf('2025-06-11'));
    expect(new ZoneClock('America/New_York').localDay(t)).toBe(dayOf('2025-06-10'));
    expect(new ZoneClock('UTC').localDay(t)).toBe(dayOf('2025-06-10'));
  });

  it('counts the repeated hour of a fall-back day on that day', () => {
    const clock = new ZoneClock('America/Havana');
    // 00:00–00:59 local happens twice on 2025-11-02; both belong to that day.
    expect(clock.localDay(at('2025-11-02T04:30:00Z'))).toBe(dayOf('2025-11-02'));
    expect(clock.localDay(at('2025-11-02T05:30:00Z'))).toBe(dayOf('2025-11-02'));
    expect(clock.localDay(at('2025-11-02T03:59:00Z'))).toBe(dayOf('2025-11-01'));
  });

  it('uses the quarter-hour offsets of Kathmandu and Chatham', () => {
    expect(new ZoneClock('Asia/Kathmandu').localDay(at('2025-06-10T18:14:00Z'))).toBe(dayOf('2025-06-10'));
    expect(new ZoneClock('Asia/Kathmandu').localDay(at('2025-06-10T18:15:00Z'))).toBe(dayOf('2025-06-11'));
    // Chatham in (southern) winter is +12:45: local midnight is 11:15 UTC.
    expect(new ZoneClock('Pacific/Chatham').localDay(at('2025-06-10T11:14:00Z'))).toBe(dayOf('2025-06-10'));
    expect(new ZoneClock('Pacific/Chatham').localDay(at('2025-06-10T11:15:00Z'))).toBe(dayOf('2025-06-11'));
  });
});

describe('ZoneClock.startOfLocalDay', () => {
  it.each([
    ['Europe/Berlin', '2025-03-30', '2025-03-29T23:00:00Z'],
    ['Europe/Berlin', '2025-03-31', '2025-03-30T22:00:00Z'],
    ['Europe/Berlin', '2025-10-26', '2025-10-25T22:00:00Z'],
    ['Europe/Berlin', '2025-10-27', '2025-10-26T23:00:00Z'],
    ['America/New_York', '2025-03-09', '2025-03-09T05:00:00Z'],
    ['America/New_York', '2025-11-03', '2025-11-03T05:00:00Z'],
    ['Australia/Lord_Howe', '2025-10-05', '2025-10-04T13:30:00Z'],
    ['Asia/Kolkata', '2025-06-01', '2025-05-31T18:30:00Z'],
    ['Asia/Kathmandu', '2025-06-01', '2025-05-31T18:15:00Z'],
    ['Pacific/Chatham', '2025-01-01', '2024-12-31T10:15:00Z'],
    ['UTC', '2025-06-01', '2025-06-01T00:00:00Z'],
    // Midnight skipped: the day begins at 01:00 local.
    ['America/Santiago', '2025-09-07', '2025-09-07T04:00:00Z'],
    ['America/Havana', '2025-03-09', '2025-03-09T05:00:00Z'],
    // Midnight repeated: the day begins at the first 00:00.
    ['America/Havana', '2025-11-02', '2025-11-02T04:00:00Z'],
    // Santiago falls back from 24:00 to 23:00 on April 5: April 6 begins once, at 00:00 -04.
    ['America/Santiago', '2025-04-06', '2025-04-06T04:00:00Z'],
  ])('%s %s begins at %s', (zone, date, iso) => {
    const clock = new ZoneClock(zone);
    const start = clock.startOfLocalDay(dayOf(date));
    expect(new Date(start).toISOString()).toBe(new Date(at(iso)).toISOString());
    expect(clock.localDay(start)).toBe(dayOf(date));
    expect(clock.localDay(start - 1)).toBe(dayOf(date) - 1);
  });

  it.each(['Europe/Berlin', 'America/Santiago', 'America/Havana', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kathmandu'])(
    'is the first instant of every day of 2025 in %s, checked with Intl',
    (zone) => {
      const clock = new ZoneClock(zone);
      const oracle = new IntlOracle(zone);
      const bad: string[] = [];
      for (let day = dayOf('2025-01-01'); day <= dayOf('2025-12-31'); day++) {
        const start = clock.startOfLocalDay(day);
        if (oracle.localDay(start) !== day || oracle.localDay(start - 1) !== day - 1) bad.push(`${day}: ${new Date(start).toISOString()}`);
      }
      expect(bad).toEqual([]);
    },
  );

  it('gives the start of the next existing day for a day the zone skipped (Apia, 2011-12-30)', () => {
    const clock = new ZoneClock('Pacific/Apia');
    expect(new Date(clock.startOfLocalDay(dayOf('2011-12-30'))).toISOString()).toBe('2011-12-30T10:00:00.000Z');
    expect(clock.startOfLocalDay(dayOf('2011-12-31'))).toBe(at('2011-12-30T10:00:00Z'));
  });
});

describe('ZoneClock.segments', () => {
  /** The offset the segments give an instant: that of the last segment starting at or before it. */
  const offsetIn = (segments: { fromMs: number; offsetMs: number }[], t: number): number | undefined => segments.filter((s) => s.fromMs <= t).at(-1)?.offsetMs;

  it.each(['Europe/Berlin', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/Santiago', 'Asia/Kolkata', 'UTC'])(
    '%s: covers a range with stretches of constant offset that agree with offsetAt and Intl',
    (zone) => {
      const clock = new ZoneClock(zone);
      const oracle = new IntlOracle(zone);
      const from = at('2025-01-01T07:00:00Z');
      const to = at('2026-01-01T00:00:00Z');
      const segments = clock.segments(from, to);
      expect(segments[0]?.fromMs).toBe(from);
      for (let i = 1; i < segments.length; i++) {
        const s = segments[i] as { fromMs: number; offsetMs: number };
        expect(s.fromMs).toBeGreaterThan((segments[i - 1] as { fromMs: number }).fromMs);
        expect(s.fromMs).toBeLessThan(to);
        expect(s.offsetMs).not.toBe((segments[i - 1] as { offsetMs: number }).offsetMs);
        // Each starts exactly at a switch.
        expect(oracle.offset(s.fromMs - 1)).toBe((segments[i - 1] as { offsetMs: number }).offsetMs);
        expect(oracle.offset(s.fromMs)).toBe(s.offsetMs);
      }
      const bad: string[] = [];
      for (let t = from; t < to; t += 15 * MINUTE_MS) if (offsetIn(segments, t) !== oracle.offset(t)) bad.push(new Date(t).toISOString());
      expect(bad.slice(0, 5)).toEqual([]);
    },
  );

  it('gives two stretches a year in Berlin, three from a January start', () => {
    const clock = new ZoneClock('Europe/Berlin');
    expect(clock.segments(at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'))).toEqual([
      { fromMs: at('2025-01-01T00:00:00Z'), offsetMs: hm(1) },
      { fromMs: at('2025-03-30T01:00:00Z'), offsetMs: hm(2) },
      { fromMs: at('2025-10-26T01:00:00Z'), offsetMs: hm(1) },
    ]);
  });

  it('starts inside a switch day with the offset in force, and leaves out a switch at or after the end', () => {
    const clock = new ZoneClock('Europe/Berlin');
    expect(clock.segments(at('2025-03-30T01:00:00Z'), at('2025-03-30T02:00:00Z'))).toEqual([{ fromMs: at('2025-03-30T01:00:00Z'), offsetMs: hm(2) }]);
    expect(clock.segments(at('2025-03-30T00:30:00Z'), at('2025-03-30T01:00:00Z'))).toEqual([{ fromMs: at('2025-03-30T00:30:00Z'), offsetMs: hm(1) }]);
    expect(clock.segments(at('2025-03-30T00:30:00Z'), at('2025-03-30T01:00:01Z'))).toEqual([
      { fromMs: at('2025-03-30T00:30:00Z'), offsetMs: hm(1) },
      { fromMs: at('2025-03-30T01:00:00Z'), offsetMs: hm(2) },
    ]);
  });

  it('has a key naming the zone and the time zone database', () => {
    expect(new ZoneClock('Europe/Berlin').key).toMatch(/^Europe\/Berlin@/);
    expect(new ZoneClock('Europe/Berlin').key).not.toBe(new ZoneClock('America/New_York').key);
  });
});

describe('ZoneClock construction', () => {
  it('rejects an unknown zone with BAD_ARGUMENT and a hint', () => {
    let caught: unknown;
    try {
      new ZoneClock('Mars/Olympus_Mons');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TokenledgerError);
    expect((caught as TokenledgerError).code).toBe('BAD_ARGUMENT');
    expect((caught as TokenledgerError).message).toContain('Mars/Olympus_Mons');
    expect((caught as TokenledgerError).hint).toContain('IANA');
  });

  it('keeps the resolved zone name', () => {
    expect(new ZoneClock('Europe/Berlin').timeZone).toBe('Europe/Berlin');
    expect(new ZoneClock('UTC').timeZone).toBe('UTC');
  });

  it('system() builds a clock for the process zone (named from TZ or /etc/localtime, as ICU would)', () => {
    const canonical = (name: string): string => new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    expect(canonical(ZoneClock.system().timeZone)).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(ZoneClock.system({ TZ: 'Asia/Kolkata' }).timeZone).toBe('Asia/Kolkata');
    expect(ZoneClock.system({ TZ: ':Europe/Berlin' }).offsetAt(Date.UTC(2025, 6, 1))).toBe(2 * 3_600_000);
  });

  it('a system zone name that is not a zone fails when its offsets are first needed', () => {
    const clock = ZoneClock.system({ TZ: 'Nowhere/Land' });
    expect(() => clock.offsetAt(0)).toThrow('unknown time zone "Nowhere/Land"');
  });
});

describe('switches off the minute', () => {
  it('finds a local-mean-time switch to the second (Africa/Monrovia, 1972-01-07T00:44:30Z)', () => {
    const clock = new ZoneClock('Africa/Monrovia');
    const at = Date.UTC(1972, 0, 7, 0, 44, 30);
    expect(clock.offsetAt(at - 1000)).not.toBe(clock.offsetAt(at));
    expect(clock.offsetAt(at)).toBe(0);
  });
});
