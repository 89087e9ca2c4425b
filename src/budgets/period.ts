import { dayKey, monthKey, monthStart, weekStart, type Weekday } from '../core/calendar.js';
import { isDuration, parseDuration } from '../core/duration.js';
import { badArgument } from '../core/errors.js';
import type { ZoneClock } from '../core/zone-clock.js';
import { GRAIN_MS } from '../ledger/ledger.js';

export type BudgetPeriod = { kind: 'today' | 'week' | 'month' | 'all' } | { kind: 'rolling'; ms: number; text: string };

/** `today`, `week`, `month`, `all` (calendar, in the configured zone) or a rolling window such as `7d`. */
export function parsePeriod(text: string): BudgetPeriod {
  const t = text.trim().toLowerCase();
  if (t === 'today' || t === 'week' || t === 'month' || t === 'all') return { kind: t };
  if (isDuration(t)) return { kind: 'rolling', ms: parseDuration(t, '--period'), text: t };
  throw badArgument(`--period expects today, week, month, all or a rolling window such as 7d or 30d, got "${text}"`);
}

export function periodText(p: BudgetPeriod): string {
  return p.kind === 'rolling' ? p.text : p.kind;
}

export interface PeriodWindow {
  /** UTC epoch ms; absent for `all`. */
  since?: number;
  until?: number;
  /** Names the period instance, so a level's alert fires once per period (rolling: once per day). */
  key: string;
}

/** The stretch of time a period covers at `now`. */
export function periodWindow(p: BudgetPeriod, now: number, clock: ZoneClock, startOfWeek: Weekday): PeriodWindow {
  const today = clock.localDay(now);
  switch (p.kind) {
    case 'all':
      return { key: 'all' };
    case 'rolling':
      // The ledger sums by quarter hour: the window starts on the one that holds `now − N`.
      return { since: Math.floor((now - p.ms) / GRAIN_MS) * GRAIN_MS, until: now + 1, key: `${p.text}@${dayKey(today)}` };
    case 'today':
      return { since: clock.startOfLocalDay(today), until: clock.startOfLocalDay(today + 1), key: dayKey(today) };
    case 'week': {
      const start = weekStart(today, startOfWeek);
      return { since: clock.startOfLocalDay(start), until: clock.startOfLocalDay(start + 7), key: `week ${dayKey(start)}` };
    }
    case 'month': {
      const start = monthStart(today);
      const next = monthStart(start + 31);
      return { since: clock.startOfLocalDay(start), until: clock.startOfLocalDay(next), key: monthKey(start) };
    }
  }
}
