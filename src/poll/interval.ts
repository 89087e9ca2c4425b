import { badArgument } from '../core/errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000 } as const;
const MIN_MS = 100;
const MAX_MS = 3_600_000;

/** `--interval`: `500ms`, `2s`, `1.5s`, `1m`, or bare seconds (`2`); from 100 ms to 1 hour. */
export function parseInterval(text: unknown, flag = '--interval'): number {
  const match = typeof text === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text) : null;
  const ms = match === null ? Number.NaN : Number(match[1]) * UNIT_MS[(match[2] ?? 's') as keyof typeof UNIT_MS];
  if (!(ms >= MIN_MS && ms <= MAX_MS)) throw badArgument(`${flag} expects a time from 100ms to 60m, e.g. 2s, 500ms or 1m, got "${String(text)}"`);
  return Math.round(ms);
}
