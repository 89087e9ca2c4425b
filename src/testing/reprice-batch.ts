import { emptyTokens, type PricedEvent } from '../core/usage-event.js';
import type { Ledger, OriginBatch, RepriceInput, RepriceOutput } from '../ledger/ledger.js';

/** The new prices of reprice tests: a nano-dollar per input token, ten per output token. */
export const newPrices = (e: RepriceInput): RepriceOutput => ({ costNanos: e.inputTokens + 10 * e.outputTokens, unpriced: false });

/** Events as a sync priced them with the old prices (1 nano-dollar each), as one ingest batch. */
export async function oldPricedBatch(sync: Ledger, outputTokens: number, keys: readonly string[]): Promise<OriginBatch> {
  const priceVersionId = await sync.priceVersionId('old prices');
  const events: PricedEvent[] = keys.map((dedupKey, i) => ({
    ...emptyTokens(),
    agent: 'claude-code',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    sessionId: 'session-1',
    project: '/home/dev/app',
    namespace: 'cost-tracking',
    dedupKey,
    occurredAt: Date.UTC(2025, 9, 1, 10) + i,
    inputTokens: 10,
    outputTokens,
    costNanos: 1,
    unpriced: false,
    priceVersionId,
  }));
  return { origin: 'ingest:test', events, rateLimits: [], drops: [] };
}
