import { formatUsd, groupDigits } from '../../core/money.js';

/** `1,234,567`. */
export function formatTokens(n: number): string {
  return n < 0 ? `-${groupDigits(String(Math.round(-n)))}` : groupDigits(String(Math.round(n)));
}

export { formatUsd };
