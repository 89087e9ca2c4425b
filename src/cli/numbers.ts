import { badArgument } from '../core/errors.js';

/** A number flag: finite, at least `min`; `flag` names it in the error. */
export function parseNumber(text: unknown, flag: string, min = 0): number {
  const value = typeof text === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(Number.isFinite(value) && value >= min)) throw badArgument(`${flag} expects a number of at least ${min}, got "${String(text)}"`);
  return value;
}

/** A whole-number flag from `min` to `max`. */
export function parseCount(text: unknown, flag: string, min = 1, max = 1_000_000): number {
  const value = typeof text === 'string' && /^\s*\d{1,9}\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) throw badArgument(`${flag} expects a whole number from ${min} to ${max}, got "${String(text)}"`);
  return value;
}

/** `12.5%`, `-3.0%`, `n/a` for a missing percentage. */
export function formatPct(pct: number | null | undefined, digits = 1): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return 'n/a';
  return `${pct.toFixed(digits)}%`;
}
