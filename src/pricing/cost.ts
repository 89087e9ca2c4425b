import { picosToNanos } from '../core/money.js';
import { promptTokens, type TokenCounts } from '../core/usage-event.js';
import type { ModelPrice, Rates } from './model-price.js';

/** The rates that apply to one request: the highest tier its prompt exceeds, else the base. */
export function ratesFor(price: ModelPrice, tokens: TokenCounts): Rates {
  let rates = price.base;
  if (price.tiers.length > 0) {
    const prompt = promptTokens(tokens);
    for (const tier of price.tiers) if (prompt > tier.aboveTokens) rates = tier.rates;
  }
  return rates;
}

/** Cost of one request in integer nano-USD; each bucket is priced once, reasoning is inside output. */
export function costNanos(price: ModelPrice, tokens: TokenCounts): number {
  const r = ratesFor(price, tokens);
  const picos =
    tokens.inputTokens * r.input +
    tokens.outputTokens * r.output +
    tokens.cacheWrite5mTokens * r.cacheWrite5m +
    tokens.cacheWrite1hTokens * r.cacheWrite1h +
    tokens.cacheReadTokens * r.cacheRead;
  if (picos <= Number.MAX_SAFE_INTEGER) return picosToNanos(picos);
  // Only a request of many millions of tokens at extreme rates gets here: redo it exactly.
  const exact =
    BigInt(tokens.inputTokens) * BigInt(r.input) +
    BigInt(tokens.outputTokens) * BigInt(r.output) +
    BigInt(tokens.cacheWrite5mTokens) * BigInt(r.cacheWrite5m) +
    BigInt(tokens.cacheWrite1hTokens) * BigInt(r.cacheWrite1h) +
    BigInt(tokens.cacheReadTokens) * BigInt(r.cacheRead);
  return Number((exact + 500n) / 1000n);
}
