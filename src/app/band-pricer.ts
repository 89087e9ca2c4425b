import type { PriceBand } from '../analytics/band-price.js';
import { PROMPT_CUTS } from '../ledger/ledger.js';
import { bandCostNanos } from '../pricing/cost.js';
import type { PriceTable } from '../pricing/price-table.js';

/** Re-prices rows summed by prompt band with the prices in force at `at` (config overrides first). */
export function bandPricer(table: PriceTable, at: number): PriceBand {
  return (model, provider, row) => {
    const price = table.price(model, provider, at);
    if (price === undefined) return undefined;
    const above = row.promptAbove ?? 0;
    const atMost = row.promptAbove === undefined ? Number.POSITIVE_INFINITY : (PROMPT_CUTS.find((cut) => cut > above) ?? Number.POSITIVE_INFINITY);
    return bandCostNanos(price, row, above, atMost);
  };
}
