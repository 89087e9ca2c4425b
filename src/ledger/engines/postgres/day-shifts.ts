import { BUCKET_MS, DAY_MS } from './schema.js';

/** Quarter hours [fromQ, toQ) of UTC day `utcDay` that belong to local day `localDay` instead. */
export interface DayShift {
  fromQ: number;
  toQ: number;
  utcDay: number;
  localDay: number;
}

/**
 * The quarter hours of the whole UTC days [fromDay, toDay) whose local day (their start shifted by
 * the offset in force then, as `segments` give it) is not their UTC day: with whole-day sums, these
 * are all a zone's days need besides (an offset of one hour moves a twenty-fourth of the quarters).
 * A quarter hour is in the segment its start is in; offsets are under a day.
 */
export function dayShifts(segments: readonly { fromMs: number; offsetMs: number }[], fromDay: number, toDay: number): DayShift[] {
  const shifts: DayShift[] = [];
  const quarterAt = (ms: number): number => Math.ceil(ms / BUCKET_MS);
  let i = 0;
  for (let day = fromDay; day < toDay; day++) {
    const dayFrom = day * DAY_MS;
    const dayTo = dayFrom + DAY_MS;
    while (i + 1 < segments.length && (segments[i + 1] as { fromMs: number }).fromMs <= dayFrom) i++;
    for (let j = i; j < segments.length; j++) {
      const segment = segments[j] as { fromMs: number; offsetMs: number };
      const next = segments[j + 1]?.fromMs ?? Number.POSITIVE_INFINITY;
      if (j > i && segment.fromMs >= dayTo) break;
      // The quarters whose start is in this segment and this day.
      const fromQ = Math.max(quarterAt(dayFrom), j === 0 ? Number.NEGATIVE_INFINITY : quarterAt(segment.fromMs));
      const toQ = Math.min(quarterAt(dayTo), quarterAt(next));
      const offset = Math.round(segment.offsetMs);
      if (offset > 0) {
        const later = Math.max(fromQ, quarterAt(dayTo - offset));
        if (later < toQ) shifts.push({ fromQ: later, toQ, utcDay: day, localDay: day + 1 });
      } else if (offset < 0) {
        const earlier = Math.min(toQ, quarterAt(dayFrom - offset));
        if (fromQ < earlier) shifts.push({ fromQ, toQ: earlier, utcDay: day, localDay: day - 1 });
      }
    }
  }
  return shifts;
}
