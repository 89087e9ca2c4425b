import { digest } from '../core/digest.js';
import { usdPerMTokToPicosPerToken } from '../core/money.js';
import type { ModelPrice, Rates } from './model-price.js';
import type { ServiceTierPrice } from './tier-price.js';

/** Prices in USD per million tokens, as written in the config file. */
export interface UsdRates {
  input: number;
  output: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
}

/**
 * A model's prices from the config file. Without `input` and `output` it sets only what service
 * tiers cost, and the model keeps its catalog prices.
 */
export interface PriceOverrideConfig extends Partial<UsdRates> {
  tiers?: (UsdRates & { aboveTokens: number })[];
  /** Per service tier (`fast`, `flex`, …): a multiplier of the standard rates, or flat rates of its own. */
  serviceTiers?: Record<string, number | UsdRates>;
}

interface CompiledOverride {
  pattern: string;
  matcher: RegExp | undefined;
  price: ModelPrice | undefined;
  serviceTiers: ReadonlyMap<string, ServiceTierPrice>;
}

/**
 * User prices from the config file. A key is an exact model name or a pattern with `*`; exact
 * names win, then the pattern with the longest fixed text.
 */
export class PriceOverrides {
  readonly #exact = new Map<string, CompiledOverride>();
  readonly #patterns: CompiledOverride[] = [];
  /** Short digest of the overrides, part of the price version. */
  readonly fingerprint: string | undefined;

  constructor(config: Readonly<Record<string, PriceOverrideConfig>> = {}) {
    const entries = Object.entries(config).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [pattern, spec] of entries) {
      const compiled: CompiledOverride = { pattern, matcher: undefined, price: compile(pattern, spec), serviceTiers: compileServiceTiers(pattern, spec) };
      if (pattern.includes('*')) {
        const source = pattern.split('*').map(escapeRegExp).join('.*');
        this.#patterns.push({ ...compiled, matcher: new RegExp(`^${source}$`, 'i') });
      } else {
        this.#exact.set(pattern.toLowerCase(), compiled);
      }
    }
    this.#patterns.sort((a, b) => b.pattern.replaceAll('*', '').length - a.pattern.replaceAll('*', '').length);
    this.fingerprint = entries.length === 0 ? undefined : digest(JSON.stringify(entries));
  }

  /** The exact model names (not patterns) given a price of their own. */
  exactNames(): string[] {
    return [...this.#exact.values()].filter((o) => o.price !== undefined).map((o) => o.pattern);
  }

  find(model: string): ModelPrice | undefined {
    return this.#best(model, (o) => o.price !== undefined)?.price;
  }

  /** What `tier` costs for `model`, when an override says so (the best matching one that does). */
  serviceTier(model: string, tier: string): ServiceTierPrice | undefined {
    return this.#best(model, (o) => o.serviceTiers.has(tier))?.serviceTiers.get(tier);
  }

  #best(model: string, wanted: (o: CompiledOverride) => boolean): CompiledOverride | undefined {
    const exact = this.#exact.get(model.toLowerCase());
    if (exact !== undefined && wanted(exact)) return exact;
    return this.#patterns.find((p) => wanted(p) && p.matcher?.test(model) === true);
  }
}

function compile(pattern: string, spec: PriceOverrideConfig): ModelPrice | undefined {
  if (spec.input === undefined || spec.output === undefined) return undefined;
  const tiers = (spec.tiers ?? []).map((tier) => ({ aboveTokens: tier.aboveTokens, rates: rates(tier) })).sort((a, b) => a.aboveTokens - b.aboveTokens);
  return { pricedAs: pattern, provider: 'config', base: rates({ ...spec, input: spec.input, output: spec.output }), tiers, origin: `config override "${pattern}"` };
}

function compileServiceTiers(pattern: string, spec: PriceOverrideConfig): Map<string, ServiceTierPrice> {
  const origin = `config override "${pattern}"`;
  const compiled = new Map<string, ServiceTierPrice>();
  for (const [tier, value] of Object.entries(spec.serviceTiers ?? {})) {
    compiled.set(tier.toLowerCase(), typeof value === 'number' ? { multiplier: value, origin: `${origin}, ${value}x standard` } : { rates: rates(value), origin });
  }
  return compiled;
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
