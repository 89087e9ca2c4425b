import { digest } from '../core/digest.js';
import { usdPerMTokToPicosPerToken } from '../core/money.js';
import type { ModelPrice, Rates } from './model-price.js';

/** Prices in USD per million tokens, as written in the config file. */
export interface UsdRates {
  input: number;
  output: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
}

export interface PriceOverrideConfig extends UsdRates {
  tiers?: (UsdRates & { aboveTokens: number })[];
}

interface CompiledOverride {
  pattern: string;
  matcher: RegExp | undefined;
  price: ModelPrice;
}

/**
 * User prices from the config file. A key is an exact model name or a pattern with `*`; exact
 * names win, then the pattern with the longest fixed text.
 */
export class PriceOverrides {
  readonly #exact = new Map<string, ModelPrice>();
  readonly #patterns: CompiledOverride[] = [];
  /** Short digest of the overrides, part of the price version. */
  readonly fingerprint: string | undefined;

  constructor(config: Readonly<Record<string, PriceOverrideConfig>> = {}) {
    const entries = Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [pattern, spec] of entries) {
      const price = compile(pattern, spec);
      if (pattern.includes('*')) {
        const source = pattern.split('*').map(escapeRegExp).join('.*');
        this.#patterns.push({ pattern, matcher: new RegExp(`^${source}$`, 'i'), price });
      } else {
        this.#exact.set(pattern.toLowerCase(), price);
      }
    }
    this.#patterns.sort((a, b) => b.pattern.replaceAll('*', '').length - a.pattern.replaceAll('*', '').length);
    this.fingerprint = entries.length === 0 ? undefined : digest(JSON.stringify(entries));
  }

  find(model: string): ModelPrice | undefined {
    const exact = this.#exact.get(model.toLowerCase());
    if (exact !== undefined) return exact;
    return this.#patterns.find((p) => p.matcher?.test(model))?.price;
  }
}

function compile(pattern: string, spec: PriceOverrideConfig): ModelPrice {
  const tiers = (spec.tiers ?? [])
    .map((tier) => ({ aboveTokens: tier.aboveTokens, rates: rates(tier) }))
    .sort((a, b) => a.aboveTokens - b.aboveTokens);
  return { pricedAs: pattern, provider: 'config', base: rates(spec), tiers, origin: `config override "${pattern}"` };
}

/** Unset cache prices fall back to the input price (cache writes 1h to the 5m price). */
function rates(usd: UsdRates): Rates {
  const input = usdPerMTokToPicosPerToken(usd.input);
  const cacheWrite5m = usd.cacheWrite5m === undefined ? input : usdPerMTokToPicosPerToken(usd.cacheWrite5m);
  return {
    input,
    output: usdPerMTokToPicosPerToken(usd.output),
    cacheWrite5m,
    cacheWrite1h: usd.cacheWrite1h === undefined ? cacheWrite5m : usdPerMTokToPicosPerToken(usd.cacheWrite1h),
    cacheRead: usd.cacheRead === undefined ? input : usdPerMTokToPicosPerToken(usd.cacheRead),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
