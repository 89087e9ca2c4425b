import { NANOS_PER_USD } from '../core/money.js';

/**
 * A US-dollar amount as a peer reports it (a JSON number or decimal text such as `"0.125"`) →
 * integer nano-USD, computed from the decimal digits (never through binary fractions): `0.1` is
 * exactly 100,000,000 nanos. Digits past the ninth decimal are rounded, halves up.
 */
export type UsdAmount = { nanos: number } | { problem: string };

const DECIMAL = /^(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

export function usdToNanos(value: unknown): UsdAmount {
  // A JS number's shortest text is the decimal the writer wrote (for up to 15 significant digits).
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim().replace(/^\$/, '') : undefined;
  if (text === undefined) return { problem: 'must be a number of US dollars (or decimal text such as "0.125")' };
  if (text.startsWith('-')) return { problem: 'must not be negative' };
  const match = DECIMAL.exec(text);
  if (match === null) return { problem: 'must be a number of US dollars (or decimal text such as "0.125")' };
  const [, whole, fraction = '', exponent = '0'] = match as unknown as [string, string, string | undefined, string | undefined];
  const shift = Number(exponent);
  if (Math.abs(shift) > 30) return { problem: 'is out of range' };
  // digits × 10^(shift − fraction length) USD = digits × 10^(9 + shift − fraction length) nanos.
  const digits = BigInt(whole + fraction);
  const power = 9 + shift - fraction.length;
  let nanos: bigint;
  if (power >= 0) nanos = digits * 10n ** BigInt(power);
  else {
    const divisor = 10n ** BigInt(-power);
    nanos = (digits + divisor / 2n) / divisor;
  }
  if (nanos > BigInt(Number.MAX_SAFE_INTEGER)) return { problem: `is above the largest amount kept ($${Math.floor(Number.MAX_SAFE_INTEGER / NANOS_PER_USD)})` };
  return { nanos: Number(nanos) };
}
