import type { TokenCounts } from '../core/usage-event.js';
import { costNanos } from './cost.js';
import type { PriceTable } from './price-table.js';

/** What an event needs to be priced: its model, time, service tier and tokens. */
export interface PriceableEvent extends TokenCounts {
  model: string;
  provider: string;
  occurredAt: number;
  serviceTier?: string | undefined;
}

export interface EventPrice {
  costNanos: number;
  /** No price for the model: cost 0. */
  unpriced: boolean;
  /** The event's service tier, when it had no price for the model (priced at standard rates). */
  unpricedTier: string | undefined;
}

/** Prices one event at its model's rates for its service tier: the one rule for recording and re-pricing. */
export function priceEvent(table: PriceTable, event: PriceableEvent): EventPrice {
  const tiered = table.priceAt(event.model, event.provider, event.occurredAt, event.serviceTier);
  if (tiered === undefined) return { costNanos: 0, unpriced: true, unpricedTier: undefined };
  return { costNanos: costNanos(tiered.price, event), unpriced: false, unpricedTier: tiered.known ? undefined : event.serviceTier };
}
