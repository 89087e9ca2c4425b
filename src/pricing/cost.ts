import { picosToNanos } from '../core/money.js';
import { promptTokens, type TokenCounts } from '../core/usage-event.js';
import type { ModelPrice, Rates } from './model-price.js';

/** The rates that apply to a request whose prompt is `prompt` tokens: the highest tier it exceeds, else the base. */
export function ratesAt(price: ModelPrice, prompt: number): Rates {
  let rates = price.base;
  for (const tier of price.tiers) if (prompt > tier.aboveTokens) rates = tier.rates;
  return rates;
}

/** The rates that apply to one request: the highest tier its prompt exceeds, else the base. */
export function ratesFor(price: ModelPrice, tokens: TokenCounts): Rates {
  return price.tiers.length === 0 ? price.base : ratesAt(price, promptTokens(tokens));
}

/** Cost of one request in integer nano-USD; each bucket is priced once, reasoning is inside output. */
export function costNanos(price: ModelPrice, tokens: TokenCounts): number {
  return costAtRates(ratesFor(price, tokens), tokens);
}

/**
 * Cost of the summed tokens of requests whose prompts all lie in one band: above `promptAbove` and at
 * or below `promptAtMost`. Exact (up to each request's rounding to a nano) when no tier of the model
 * starts inside the band; `exact` says whether that holds.
 */
export function bandCostNanos(price: ModelPrice, tokens: TokenCounts, promptAbove: number, promptAtMost: number): { costNanos: number; exact: boolean } {
  const exact = price.tiers.every((tier) => tier.aboveTokens <= promptAbove || tier.aboveTokens >= promptAtMost);
  return { costNanos: costAtRates(ratesAt(price, promptAbove + 1), tokens), exact };
}

/** Tokens × rates in integer nano-USD (exact: a sum of many requests may pass 2^53 picos). */
export function costAtRates(r: Rates, tokens: TokenCounts): number {
  const picos =
    tokens.inputTokens * r.input + tokens.outputTokens * r.output + tokens.cacheWrite5mTokens * r.cacheWrite5m + tokens.cacheWrite1hTokens * r.cacheWrite1h + tokens.cacheReadTokens * r.cacheRead;
  if (picos <= Number.MAX_SAFE_INTEGER) return picosToNanos(picos);
  const exact =
    BigInt(tokens.inputTokens) * BigInt(r.input) +
    BigInt(tokens.outputTokens) * BigInt(r.output) +
    BigInt(tokens.cacheWrite5mTokens) * BigInt(r.cacheWrite5m) +
    BigInt(tokens.cacheWrite1hTokens) * BigInt(r.cacheWrite1h) +
    BigInt(tokens.cacheReadTokens) * BigInt(r.cacheRead);
  return Number((exact + 500n) / 1000n);
}
