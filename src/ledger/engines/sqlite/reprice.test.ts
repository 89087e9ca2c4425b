import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FixtureLedger } from '../../../testing/fixture-ledger.js';
import type { Ledger } from '../../ledger.js';
import { openLedger } from '../../open-ledger.js';
import { newPrices, oldPricedBatch } from '../../../testing/reprice-batch.js';

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

describe('reprice beside a hand edit', () => {
  // SQLite-specific: no ledger operation removes an event; a second connection deletes one by hand.
  it('skips an event removed after it was read, and counts only what it priced', async () => {
    await sync.commit([await oldPricedBatch(sync, 10, ['a', 'b'])]);
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
