import type { PricedEvent, UsageEvent } from '../core/usage-event.js';
import type { PriceOverrides } from './overrides.js';
import { priceEvent } from './price-event.js';
import { BUILTIN_PRICES, type PriceSource } from './price-source.js';
import { PriceTable, priceVersionLabel } from './price-table.js';

/**
 * Prices events with the current price version. The catalog is loaded on first use only, so a run
 * with nothing new to price never pays for it.
 */
export class Pricer {
  readonly versionLabel: string;
  readonly source: PriceSource;
  readonly #overrides: PriceOverrides;
  #table: Promise<PriceTable> | undefined;

  constructor(overrides: PriceOverrides, source: PriceSource = BUILTIN_PRICES) {
    this.#overrides = overrides;
    this.source = source;
    this.versionLabel = priceVersionLabel(overrides, source);
  }

  table(): Promise<PriceTable> {
    this.#table ??= PriceTable.load(this.#overrides, this.source);
    return this.#table;
  }

  /**
   * Prices events in place (no copies on this hot path); an unknown model keeps its tokens at
   * cost 0 and is flagged unpriced; an unknown service tier is priced at standard rates and flagged.
   */
  async priceAll(events: UsageEvent[], priceVersionId: number): Promise<PricedEvent[]> {
    const table = await this.table();
    const priced = events as PricedEvent[];
    for (const event of priced) {
      const price = priceEvent(table, event);
      event.costNanos = price.costNanos;
      event.unpriced = price.unpriced;
      event.priceVersionId = priceVersionId;
      if (price.unpricedTier !== undefined) event.unpricedTier = price.unpricedTier;
    }
    return priced;
  }
}
