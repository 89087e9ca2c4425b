import { NANOS_PER_USD } from './money.js';

/**
 * A US-dollar amount sent as a binary double (an OTLP `as_double`) → integer nano-USD: the double's
 * exact value (mantissa × 2^exponent, no decimal text in between), rounded to the nearest nano,
 * halves away from zero. A double made by dividing a nano amount by 10^9 comes back as that amount
 * for any cost below about $4 million (where a double still tells nanos apart). Undefined when the
 * value is not finite or is out of the range of safe integers.
 */
export function usdDoubleToNanos(usd: number): number | undefined {
  if (!Number.isFinite(usd)) return undefined;
  if (usd === 0) return 0;
  const { mantissa, exponent } = binaryParts(Math.abs(usd));
  const scaled = mantissa * BigInt(NANOS_PER_USD);
  let nanos: bigint;
  if (exponent >= 0) nanos = scaled << BigInt(exponent);
  else {
    const shift = BigInt(-exponent);
    const whole = scaled >> shift;
    const rest = scaled - (whole << shift);
    // Half or more of the last nano: away from zero.
    nanos = rest * 2n >= 1n << shift ? whole + 1n : whole;
  }
  if (nanos > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return usd < 0 ? -Number(nanos) : Number(nanos);
}

/** A positive finite double as `mantissa × 2^exponent`, both exact. */
function binaryParts(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  // Subnormals have no implicit leading 1 and the smallest exponent.
  return biased === 0 ? { mantissa: fraction, exponent: -1074 } : { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}
