import { formatUsd, groupDigits } from '../../core/money.js';

/** `1,234,567`. */
export function formatTokens(n: number): string {
  return n < 0 ? `-${groupDigits(String(Math.round(-n)))}` : groupDigits(String(Math.round(n)));
}

/** Compact token counts for narrow tables: 1.2M, 34.5k. */
export function formatTokensShort(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return formatTokens(n);
}

export { formatUsd };
