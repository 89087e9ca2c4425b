import { applyCorrections, CORRECTIONS_VERSION, PRICE_ALIASES } from './corrections.js';
import { Catalog, compilePeriod, periodIndex } from './catalog.js';
import { catalogVersion } from './genai-version.js';
import type { Resolved } from './model-match.js';
import type { ModelPrice } from './model-price.js';
import { nameVariants } from './model-names.js';
import type { PriceOverrides } from './overrides.js';

/** The label of the prices in force: catalog version, corrections version and override digest. */
export function priceVersionLabel(overrides: PriceOverrides): string {
  return `genai-prices ${catalogVersion()}; corrections ${CORRECTIONS_VERSION}; overrides ${overrides.fingerprint ?? 'none'}`;
}

type Resolution =
  | { kind: 'override'; price: ModelPrice }
  | { kind: 'catalog'; model: Resolved; single: boolean; periods: Map<number, ModelPrice | undefined> }
  | { kind: 'unknown' };

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

  private constructor(overrides: PriceOverrides, catalog: Catalog) {
    this.#overrides = overrides;
    this.#catalog = catalog;
    this.version = priceVersionLabel(overrides);
  }

  static async load(overrides: PriceOverrides): Promise<PriceTable> {
    return new PriceTable(overrides, await Catalog.load());
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

  /** The ids of a provider's models in the bundled catalog. */
  catalogModels(providerId: string): string[] {
    return this.#catalog.modelIds(providerId);
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
