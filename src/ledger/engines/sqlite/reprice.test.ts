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

describe('reprice beside a sync', () => {
  it('never writes a cost computed from token counts another writer replaced after they were read', async () => {
    const keys = ['a', 'b', 'c'];
    await sync.commit([await batch(10, keys)]);
    // While reprice prices the batch it has read, a sync stores a larger copy of `b` (priced with the old prices).
    const larger = await batch(999, ['b']);
    let committed: Promise<unknown> | undefined;
    const result = await ledger.reprice(await ledger.priceVersionId('new prices'), (e) => {
      committed ??= sync.commit([larger]);
      return newPrices(e);
    });
    expect(await committed).toMatchObject({ replaced: 1 });
    const stored = fx.events().map((e) => [e.dedupKey, e.outputTokens, e.costNanos]);
    expect(stored).toEqual([
      ['a', 10, 110],
      ['b', 999, 10 + 9_990],
      ['c', 10, 110],
    ]);
    expect(result).toEqual({ events: 3, changed: 3, stillUnpriced: 0 });
    fx.assertRollupConsistent();
    // Nothing left to correct: the same prices again change nothing, and every event has the new version.
    expect((await ledger.reprice(await ledger.priceVersionId('new prices'), newPrices)).changed).toBe(0);
    expect(fx.query<{ label: string }>('SELECT label FROM price_versions')).toEqual([{ label: 'new prices' }]);
  });

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
    expect(fx.events().map((e) => [e.dedupKey, e.costNanos])).toEqual([['a', 110]]);
    fx.assertRollupConsistent();
  });
});
