import { emptyTokens, type TokenCounts } from '../core/usage-event.js';
import type { UsageRow } from '../ledger/ledger.js';
import type { PriceBand } from './band-price.js';

export const TOKEN_CLASSES = ['input', 'output', 'cache_write', 'cache_read'] as const;
export type TokenClass = (typeof TOKEN_CLASSES)[number];

/** A row's tokens of one class only (cache writes of both lifetimes are one class). */
export function classTokens(row: TokenCounts, cls: TokenClass): TokenCounts {
  const only = emptyTokens();
  if (cls === 'input') only.inputTokens = row.inputTokens;
  else if (cls === 'output') only.outputTokens = row.outputTokens;
  else if (cls === 'cache_write') {
    only.cacheWrite5mTokens = row.cacheWrite5mTokens;
    only.cacheWrite1hTokens = row.cacheWrite1hTokens;
  } else only.cacheReadTokens = row.cacheReadTokens;
  return only;
}

export function classTokenCount(row: TokenCounts, cls: TokenClass): number {
  const t = classTokens(row, cls);
  return t.inputTokens + t.outputTokens + t.cacheWrite5mTokens + t.cacheWrite1hTokens + t.cacheReadTokens;
}

/**
 * Recorded cost split by token class. Each row (a model and prompt band) is split in the proportions
 * its classes cost at the model's current prices, so the classes add up exactly to the recorded
 * cost (priced with whatever prices were in force); the remainder of the integer split goes to the
 * largest shares. A row whose model has no price today is split by token counts.
 */
export function costByClass(rows: readonly UsageRow[], price: PriceBand): Record<TokenClass, number> {
  const total: Record<TokenClass, number> = { input: 0, output: 0, cache_write: 0, cache_read: 0 };
  for (const row of rows) {
    if (row.costNanos === 0) continue;
    const weights = TOKEN_CLASSES.map((cls) => {
      const only = { ...row, ...classTokens(row, cls) };
      return row.model === undefined ? undefined : price(row.model, row.provider, only)?.costNanos;
    });
    const basis = weights.every((w) => w !== undefined) && weights.some((w) => (w as number) > 0) ? (weights as number[]) : TOKEN_CLASSES.map((cls) => classTokenCount(row, cls));
    const parts = split(row.costNanos, basis);
    TOKEN_CLASSES.forEach((cls, i) => {
      total[cls] += parts[i] as number;
    });
  }
  return total;
}

/** Splits an integer amount in proportion to weights, largest remainders first: the parts add up exactly. */
export function split(amount: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? amount : 0));
  const exact = weights.map((w) => (amount * w) / sum);
  const parts = exact.map(Math.floor);
  let left = amount - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] as number) + 1;
    left -= 1;
  }
  return parts;
}
