import type { ModelPrice, Rates } from './model-price.js';

/**
 * tokenledger's own fixes to the bundled catalog, each with its reason. Bump the version when this
 * file changes: it is part of every event's price version, so `reprice` knows what is stale.
 */
export const CORRECTIONS_VERSION = 2;

/** Models the catalog lacks that are billed exactly like another one. */
export const PRICE_ALIASES: Readonly<Record<string, string>> = {
  // OpenAI bills the Codex mini model at GPT-5 mini rates.
  'gpt-5-codex-mini': 'gpt-5-mini',
};

/** Claude Sonnet 4 as catalogs name it (Anthropic's own and the clouds' entries), not 4.5 or later. */
const SONNET_4 = /^(?:claude-sonnet-4(?:-0)?|claude-4-sonnet)(?:[-@]\d{8})?$/;

interface Correction {
  reason: string;
  applies(price: ModelPrice): boolean;
  apply(price: ModelPrice): ModelPrice;
}

const CORRECTIONS: readonly Correction[] = [
  {
    // Anthropic bills Claude Sonnet 4 requests whose prompt exceeds 200k tokens at long-context
    // rates (input and cache x2, output x1.5), as it does Sonnet 4.5; the catalog lists no tier.
    reason: 'Sonnet 4 long-context tier above 200k prompt tokens',
    applies: (p) => SONNET_4.test(p.pricedAs) && p.tiers.length === 0,
    apply: (p) => ({
      ...p,
      tiers: [{ aboveTokens: 200_000, rates: scale(p.base, { input: 2, output: 1.5, cacheWrite5m: 2, cacheWrite1h: 2, cacheRead: 2 }) }],
    }),
  },
];

export function applyCorrections(price: ModelPrice): ModelPrice {
  let result = price;
  for (const correction of CORRECTIONS) {
    if (correction.applies(result)) {
      result = correction.apply(result);
      result = { ...result, origin: `${result.origin}; tokenledger correction: ${correction.reason}` };
    }
  }
  return result;
}

function scale(rates: Rates, by: Record<keyof Rates, number>): Rates {
  return {
    input: Math.round(rates.input * by.input),
    output: Math.round(rates.output * by.output),
    cacheWrite5m: Math.round(rates.cacheWrite5m * by.cacheWrite5m),
    cacheWrite1h: Math.round(rates.cacheWrite1h * by.cacheWrite1h),
    cacheRead: Math.round(rates.cacheRead * by.cacheRead),
  };
}
