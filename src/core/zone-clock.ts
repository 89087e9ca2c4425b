import { readlinkSync } from 'node:fs';
import { badArgument } from './errors.js';

const DAY_MS = 86_400_000;

function formatFor(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw badArgument(`unknown time zone "${timeZone}"`, 'use an IANA name such as Europe/Berlin, America/New_York or UTC');
  }
}

/** The system zone's IANA name from TZ or /etc/localtime, when it is plainly one. */
function systemZoneName(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const plain = (name: string): string | undefined => (/^[A-Za-z]+(?:[/_+-][A-Za-z0-9_+-]+)*$/.test(name) ? name : undefined);
  const tz = env.TZ?.replace(/^:/, '');
  if (tz !== undefined && tz !== '') return plain(tz);
  try {
    const target = readlinkSync('/etc/localtime');
    const at = target.indexOf('zoneinfo/');
    return at === -1 ? undefined : plain(target.slice(at + 'zoneinfo/'.length));
  } catch {
    return undefined;
  }
}
const MINUTE_MS = 60_000;
/** Names of universal time, whose offset is always 0. */
const UNIVERSAL = new Set([
  'UTC',
  'Etc/UTC',
  'Etc/UCT',
  'UCT',
  'Etc/Universal',
  'Universal',
  'Etc/Zulu',
  'Zulu',
  'GMT',
  'Etc/GMT',
  'Etc/GMT0',
  'Etc/GMT+0',
  'Etc/GMT-0',
  'GMT0',
  'GMT+0',
  'GMT-0',
  'Etc/Greenwich',
  'Greenwich',
]);
const SECOND_MS = 1_000;

interface DayOffsets {
  /** Offset at the start of the UTC day. */
  before: number;
  /** Offset at the end of the UTC day (differs only on a transition day). */
  after: number;
  /** First UTC instant (ms) with the `after` offset. */
  switchAt: number;
}

/**
 * Maps UTC instants to local calendar days of one IANA time zone. `Intl` is slow, so offsets are
 * computed once per UTC day and the instant of a DST switch inside a day is found by bisection.
 */
export class ZoneClock {
  readonly timeZone: string;
  #format: Intl.DateTimeFormat | undefined;
  readonly #days = new Map<number, DayOffsets>();

  /**
   * A zone by its IANA name; an unknown name is a BAD_ARGUMENT error. A `trusted` name (the
   * system's own) is checked only when its offsets are first needed.
   */
  constructor(timeZone: string, options: { trusted?: boolean } = {}) {
    if (options.trusted === true) {
      this.timeZone = timeZone;
      return;
    }
    const format = formatFor(timeZone);
    this.#format = format;
    // Keep the name as given (ICU would turn Asia/Kolkata into Asia/Calcutta); fix only its case.
    const resolved = format.resolvedOptions().timeZone;
    this.timeZone = resolved.toLowerCase() === timeZone.toLowerCase() ? resolved : timeZone;
  }

  /**
   * The system's zone, named without starting ICU (which costs more than a report from a fresh
   * cache): `TZ`, else the zone file /etc/localtime links to, else what ICU says.
   */
  static system(env: Readonly<Record<string, string | undefined>> = process.env): ZoneClock {
    const named = systemZoneName(env);
    if (named !== undefined) return new ZoneClock(named, { trusted: true });
    return new ZoneClock(new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  }

  /** Local time minus UTC, in milliseconds, at the given instant. */
  offsetAt(utcMs: number): number {
    const utcDay = Math.floor(utcMs / DAY_MS);
    let day = this.#days.get(utcDay);
    if (day === undefined) {
      day = this.#computeDay(utcDay);
      this.#days.set(utcDay, day);
    }
    return utcMs < day.switchAt ? day.before : day.after;
  }

  /** Days since 1970-01-01 in local time. */
  localDay(utcMs: number): number {
    return Math.floor((utcMs + this.offsetAt(utcMs)) / DAY_MS);
  }

  /** `YYYY-MM-DD HH:MM` local time, for tables. */
  stamp(utcMs: number): string {
    return new Date(utcMs + this.offsetAt(utcMs)).toISOString().slice(0, 16).replace('T', ' ');
  }

  /** Local `HH:MM` when `utcMs` falls on the local day of `nowMs`, else `YYYY-MM-DD HH:MM`. */
  shortStamp(utcMs: number, nowMs: number): string {
    const stamp = this.stamp(utcMs);
    return stamp.slice(0, 10) === this.stamp(nowMs).slice(0, 10) ? stamp.slice(11) : stamp;
  }

  /**
   * Stretches of constant offset covering `[fromMs, toMs)`: each starts at `fromMs` and lasts
   * until the next one starts. Offsets change only at DST switches, so a year has a few.
   */
  segments(fromMs: number, toMs: number): { fromMs: number; offsetMs: number }[] {
    const out: { fromMs: number; offsetMs: number }[] = [];
    for (let day = Math.floor(fromMs / DAY_MS); day * DAY_MS < toMs; day++) {
      const start = Math.max(fromMs, day * DAY_MS);
      const before = this.offsetAt(start);
      if (out.length === 0 || (out[out.length - 1] as { offsetMs: number }).offsetMs !== before) out.push({ fromMs: start, offsetMs: before });
      const info = this.#days.get(day) as DayOffsets;
      if (info.switchAt < (day + 1) * DAY_MS && info.switchAt > start && info.switchAt < toMs) out.push({ fromMs: info.switchAt, offsetMs: info.after });
    }
    return out;
  }

  /** Identifies this zone's rules: the zone name and the time zone database it was computed with. */
  get key(): string {
    return `${this.timeZone}@${process.versions.tz ?? 'unknown'}`;
  }

  /** The first UTC instant that belongs to the given local day. */
  startOfLocalDay(localDay: number): number {
    const localMidnight = localDay * DAY_MS;
    let guess = localMidnight - this.offsetAt(localMidnight);
    guess = localMidnight - this.offsetAt(guess);
    // A DST switch at midnight can skip or repeat it; step to the first instant of that day.
    while (this.localDay(guess) >= localDay) guess -= 15 * MINUTE_MS;
    while (this.localDay(guess) < localDay) guess += MINUTE_MS;
    return guess;
  }

  #computeDay(utcDay: number): DayOffsets {
    const start = utcDay * DAY_MS;
    const end = start + DAY_MS - 1;
    const before = this.#exactOffset(start);
    const after = this.#exactOffset(end);
    if (before === after) return { before, after, switchAt: end + 1 };
    // Bisect to the second (switches before 1973 fell on odd seconds of local mean time).
    let lo = start;
    let hi = end;
    while (hi - lo > SECOND_MS) {
      const mid = Math.max(lo + SECOND_MS, lo + Math.floor((hi - lo) / 2 / SECOND_MS) * SECOND_MS);
      if (this.#exactOffset(mid) === before) lo = mid;
      else hi = mid;
    }
    return { before, after, switchAt: Math.ceil(hi / SECOND_MS) * SECOND_MS };
  }

  #exactOffset(utcMs: number): number {
    // Universal time has no offset: answered without starting ICU (which costs more than a status line).
    if (UNIVERSAL.has(this.timeZone)) return 0;
    this.#format ??= formatFor(this.timeZone);
    const parts = this.#format.formatToParts(new Date(utcMs));
    const get = (type: Intl.DateTimeFormatPartTypes): number => {
      const part = parts.find((p) => p.type === type);
      return part === undefined ? 0 : Number(part.value);
    };
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return asUtc - Math.floor(utcMs / 1000) * 1000;
  }
}
