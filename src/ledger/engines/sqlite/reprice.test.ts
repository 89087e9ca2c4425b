import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import { FixtureLedger } from '../../../testing/fixture-ledger.js';
import type { Ledger, OriginBatch, RepriceInput, RepriceOutput } from '../../ledger.js';
import { openLedger } from '../../open-ledger.js';

/** The new prices: a nano-dollar per input token, ten per output token. */
const newPrices = (e: RepriceInput): RepriceOutput => ({ costNanos: e.inputTokens + 10 * e.outputTokens, unpriced: false });

let fx: FixtureLedger;
let ledger: Ledger;
let sync: Ledger;
beforeEach(async () => {
  fx = new FixtureLedger();
  ledger = await openLedger({ engine: 'sqlite', path: fx.dbPath });
  sync = await openLedger({ engine: 'sqlite', path: fx.dbPath });
});
afterEach(async () => {
  await ledger.close();
  await sync.close();
  fx.remove();
});

/** Events as a sync priced them with the old prices (1 nano-dollar each), as one ingest batch. */
async function batch(outputTokens: number, keys: readonly string[]): Promise<OriginBatch> {
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

describe('reprice beside a hand edit', () => {
  // SQLite-specific: no ledger operation removes an event; a second connection deletes one by hand.
  it('skips an event removed after it was read, and counts only what it priced', async () => {
    await sync.commit([await batch(10, ['a', 'b'])]);
    const other = new Database(fx.dbPath);
    try {
      const result = await ledger.reprice(await ledger.priceVersionId('new prices'), (e) => {
        if (e.occurredAt === Date.UTC(2025, 9, 1, 10)) other.prepare("DELETE FROM events WHERE dedup_key = 'b'").run();
        return newPrices(e);
      });
      expect(result).toEqual({ events: 1, changed: 1, stillUnpriced: 0 });
    } finally {
      other.close();
    }
    expect((await fx.events()).map((e) => [e.dedupKey, e.costNanos])).toEqual([['a', 110]]);
    await fx.assertSumsExact();
  });
});
