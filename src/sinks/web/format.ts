import { NANOS_PER_USD } from '../../core/money.js';
import { formatTokens, formatUsd } from '../table/format.js';

/**
 * Numbers as the CLI's tables show them. The JSON documents carry dollars (the edge where nano-USD
 * became dollars); they are turned back into whole nano-USD so the CLI's own formatter rounds them.
 */
export function formatMoney(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—';
  return formatUsd(Math.round(usd * NANOS_PER_USD));
}

export { formatTokens };

/** `42.7%` (one decimal), `—` when there is no figure. */
export function formatPercent(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return '—';
  return `${pct.toFixed(1)}%`;
}

/** `2026-11-24 07:32` in `zone` (the CLI's table form for a moment); the ISO text itself when it is not a date. */
export function formatMoment(iso: string | number | null | undefined, zone: string): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const parts = zonedParts(date, zone);
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** The calendar day (`YYYY-MM-DD`) of `date` in `zone`. */
export function dayIn(date: Date, zone: string): string {
  const parts = zonedParts(date, zone);
  return `${parts.year}-${parts.month}-${parts.day}`;
}

interface ZonedParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zonedParts(date: Date, zone: string): ZonedParts {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, formatter);
  }
  const out: Record<string, string> = {};
  for (const part of formatter.formatToParts(date)) out[part.type] = part.value;
  return { year: out.year ?? '', month: out.month ?? '', day: out.day ?? '', hour: out.hour ?? '', minute: out.minute ?? '' };
}
