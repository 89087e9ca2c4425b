/**
 * Money is integer nano-USD (1e-9 USD) everywhere inside tokenledger; it becomes dollars only at the
 * edges (JSON, tables). Prices are integer pico-USD per token (1e-12 USD), so a price of up to six
 * decimals per million tokens is exact and `tokens × picos` stays a safe integer.
 */
export const NANOS_PER_USD = 1_000_000_000;
export const PICOS_PER_NANO = 1_000;

/** USD per million tokens → integer pico-USD per token (exact to 1e-6 USD/MTok). */
export function usdPerMTokToPicosPerToken(usdPerMTok: number): number {
  return Math.round(usdPerMTok * 1_000_000);
}

/** Pico-USD per token → USD per million tokens, for display. */
export function picosPerTokenToUsdPerMTok(picos: number): number {
  return picos / 1_000_000;
}

/** Rounds a pico-USD amount to the nearest nano-USD, halves up (costs are never negative). */
export function picosToNanos(picos: number): number {
  return Math.round(picos / PICOS_PER_NANO);
}

export function nanosToUsd(nanos: number): number {
  return nanos / NANOS_PER_USD;
}

/** `$1,234.56`; amounts under a cent keep four decimals so small spend is not shown as $0.00. */
export function formatUsd(nanos: number): string {
  const usd = nanos / NANOS_PER_USD;
  const abs = Math.abs(usd);
  const digits = abs > 0 && abs < 0.01 ? 4 : 2;
  const [whole, fraction] = abs.toFixed(digits).split('.') as [string, string];
  return `${usd < 0 ? '-' : ''}$${groupDigits(whole)}.${fraction}`;
}

/** `1234567` → `1,234,567` (by hand: ICU's number formats cost more to start than a report). */
export function groupDigits(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out;
}
