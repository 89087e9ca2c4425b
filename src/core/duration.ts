import { badArgument } from './errors.js';

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000, m: 30 * 86_400_000 } as const;

/** `N[hdwm]` (hours, days, weeks, months of 30 days) → milliseconds; `flag` names the option in errors. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d{1,6})([hdwm])$/.exec(text.trim());
  const count = match === null ? 0 : Number(match[1]);
  if (match === null || count < 1) {
    throw badArgument(`${flag} expects a duration like 12h, 7d, 2w or 3m (m = 30 days), got "${text}"`);
  }
  return count * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Whether text is a duration (for options that take a duration or a name). */
export function isDuration(text: string): boolean {
  return /^\d{1,6}[hdwm]$/.test(text.trim());
}

/** A span for people: `42m`, `3h 05m` (rounded to the minute; negative spans are `0m`). */
export function formatSpan(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const h = Math.floor(minutes / 60);
  return h === 0 ? `${minutes}m` : `${h}h ${String(minutes % 60).padStart(2, '0')}m`;
}
