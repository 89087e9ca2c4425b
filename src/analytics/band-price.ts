import type { UsageRow } from '../ledger/ledger.js';

/** A re-priced cost, and whether it is exact (no tier of the model starts inside the row's prompt band). */
export interface BandPrice {
  costNanos: number;
  exact: boolean;
}

/**
 * What `model` (today's prices, per-request long-context tiers) would have charged for the tokens of
 * a row summed by prompt band; undefined when the model has no known price. Analytics take it as a
 * parameter: prices are wired in by the caller.
 */
export type PriceBand = (model: string, provider: string | undefined, row: UsageRow) => BandPrice | undefined;
