import { applyCorrections, CORRECTIONS_VERSION, PRICE_ALIASES } from './corrections.js';
import { Catalog, compilePeriod, periodIndex } from './catalog.js';
import { BUILTIN_PRICES, priceSourceLabel, type PriceSource } from './price-source.js';
import type { Resolved } from './model-match.js';
import type { ModelPrice } from './model-price.js';
import { nameVariants } from './model-names.js';
import type { PriceOverrides } from './overrides.js';
import { serviceTierRule } from './service-tiers.js';
import { priceAtTier } from './tier-price.js';

/** A model's prices at a service tier; `known` is false when the tier had no price (standard rates used). */
export interface TieredPrice {
  price: ModelPrice;
  known: boolean;
}

/** The label of the prices in force: catalog version (built in or fetched), corrections version and override digest. */
export function priceVersionLabel(overrides: PriceOverrides, source: PriceSource = BUILTIN_PRICES): string {
  return `${priceSourceLabel(source)}; corrections ${CORRECTIONS_VERSION}; overrides ${overrides.fingerprint ?? 'none'}`;
}

type Resolution = { kind: 'override'; price: ModelPrice } | { kind: 'catalog'; model: Resolved; single: boolean; periods: Map<number, ModelPrice | undefined> } | { kind: 'unknown' };

/**
 * Resolves a model to its prices once per model and price period; `price()` on the hot path is a
 * map lookup. Order: config overrides, then the bundled catalog (with tokenledger's corrections).
 */
export class PriceTable {
  readonly version: string;
  readonly #overrides: PriceOverrides;
  readonly #catalog: Catalog;
  /** Resolutions by provider hint, then model name (strings the readers already share). */
  readonly #resolved = new Map<string, Map<string, Resolution>>();
  /** Prices at service tiers, by standard price, then tier and model. */
  readonly #tiered = new WeakMap<ModelPrice, Map<string, TieredPrice>>();

  private constructor(overrides: PriceOverrides, catalog: Catalog, source: PriceSource) {
    this.#overrides = overrides;
    this.#catalog = catalog;
    this.version = priceVersionLabel(overrides, source);
  }

  static async load(overrides: PriceOverrides, source: PriceSource = BUILTIN_PRICES): Promise<PriceTable> {
    return new PriceTable(overrides, await Catalog.load(source), source);
  }

  /** Prices of `model` at instant `at` (epoch ms), or undefined when the model is unknown. */
  price(model: string, providerHint: string | undefined, at: number): ModelPrice | undefined {
    let byProvider = this.#resolved.get(providerHint ?? '');
    if (byProvider === undefined) this.#resolved.set(providerHint ?? '', (byProvider = new Map()));
    let resolution = byProvider.get(model);
    if (resolution === undefined) {
      resolution = this.#resolve(model, providerHint);
      byProvider.set(model, resolution);
    }
    if (resolution.kind === 'override') return resolution.price;
    if (resolution.kind === 'unknown') return undefined;
    const index = resolution.single ? 0 : periodIndex(resolution.model.model, at);
    if (!resolution.periods.has(index)) {
      const compiled = compilePeriod(resolution.model, index, this.#catalog.version);
      resolution.periods.set(index, compiled === undefined ? undefined : applyCorrections(compiled));
    }
    return resolution.periods.get(index);
  }

  /**
   * Prices of `model` at service tier `tier` (undefined: standard), or undefined when the model is
   * unknown. The tier's price comes from a config override, else from service-tiers.ts; without
   * either, the standard prices are returned with `known: false`.
   */
  priceAt(model: string, providerHint: string | undefined, at: number, tier: string | undefined): TieredPrice | undefined {
    const price = this.price(model, providerHint, at);
    if (price === undefined) return undefined;
    if (tier === undefined) return { price, known: true };
    let byTier = this.#tiered.get(price);
    if (byTier === undefined) this.#tiered.set(price, (byTier = new Map()));
    const key = `${tier}\u0000${model}`;
    let tiered = byTier.get(key);
    if (tiered === undefined) {
      const override = this.#overrides.serviceTier(model, tier) ?? this.#overrides.serviceTier(price.pricedAs, tier);
      const rule = override === undefined ? serviceTierRule(tier, [model, price.pricedAs]) : undefined;
      const tierPrice = override ?? (rule === undefined ? undefined : { multiplier: rule.multiplier, origin: `${rule.multiplier}x standard (${rule.source})` });
      tiered = tierPrice === undefined ? { price, known: false } : { price: priceAtTier(price, tier, tierPrice), known: true };
      byTier.set(key, tiered);
    }
    return tiered;
  }

  /** The ids of a provider's models in the catalog in use. */
  catalogModels(providerId: string): string[] {
    return this.#catalog.modelIds(providerId);
  }

  /** The ids of the catalog's providers, the values a provider hint may take. */
  providerIds(): string[] {
    return this.#catalog.providerIds();
  }

  /** Every model name a price is known for: the catalog's ids and the config's overrides. */
  knownModels(): string[] {
    return [...this.#overrides.exactNames(), ...this.#catalog.allModelIds()];
  }

  #resolve(model: string, providerHint: string | undefined): Resolution {
    const override = this.#overrides.find(model);
    if (override !== undefined) return { kind: 'override', price: override };
    for (const spelling of [model, ...nameVariants(model)]) {
      const name = PRICE_ALIASES[spelling.toLowerCase().trim()] ?? spelling;
      const found = this.#catalog.find(name, providerHint);
      if (found !== undefined) return { kind: 'catalog', model: found, single: !Array.isArray(found.model.prices), periods: new Map() };
    }
    return { kind: 'unknown' };
  }
}
