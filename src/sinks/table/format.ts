import { formatUsd } from '../../core/money.js';

let integer: Intl.NumberFormat | undefined;

/** `1,234,567` (the formatter is made on first use: JSON output never pays for it). */
export function formatTokens(n: number): string {
  integer ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return integer.format(n);
}

/** Compact token counts for narrow tables: 1.2M, 34.5k. */
export function formatTokensShort(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return formatTokens(n);
}

export { formatUsd };
