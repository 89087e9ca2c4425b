import { badArgument } from '../core/errors.js';

/** Bounds of a number flag: `min` and `max` are allowed values, `above` is not (a strict lower bound). */
export interface NumberBounds {
  min?: number;
  above?: number;
  max?: number;
}

/** The bounds in words, as an error names them: "a number greater than 0", "a number from 0 to 100". */
function wordBounds({ min, above, max }: NumberBounds): string {
  if (above !== undefined) return max === undefined ? `a number greater than ${above}` : `a number greater than ${above} and at most ${max}`;
  if (min !== undefined && Number.isFinite(min)) return max === undefined ? `a number of at least ${min}` : `a number from ${min} to ${max}`;
  return max === undefined ? 'a number' : `a number of at most ${max}`;
}

/**
 * A number flag: plain decimal digits, finite and within `bounds` (a bare number is the minimum,
 * 0 when absent); `flag` names it in the error, which states the allowed range in words.
 */
export function parseNumber(text: unknown, flag: string, bounds: number | NumberBounds = 0): number {
  const b: NumberBounds = typeof bounds === 'number' ? { min: bounds } : bounds;
  const value = typeof text === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
  const inRange = Number.isFinite(value) && (b.min === undefined || value >= b.min) && (b.above === undefined || value > b.above) && (b.max === undefined || value <= b.max);
  if (!inRange) throw badArgument(`${flag} expects ${wordBounds(b)}, got "${String(text)}"`);
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
