import { expect, it } from 'vitest';
import { newPrices, oldPricedBatch } from '../../testing/reprice-batch.js';
import { eachEngine } from './each-engine.js';

eachEngine('reprice beside a sync', (t) => {
  it('never writes a cost computed from token counts another writer replaced after they were read', async () => {
    const sync = await t.open();
    await sync.commit([await oldPricedBatch(sync, 10, ['a', 'b', 'c'])]);
    // While reprice prices the events it has read, a sync stores a larger copy of `b` (priced with the old prices).
    const larger = await oldPricedBatch(sync, 999, ['b']);
    let committed: Promise<unknown> | undefined;
    await t.ledger.reprice(await t.ledger.priceVersionId('new prices'), (e) => {
      committed ??= sync.commit([larger]);
      return newPrices(e);
    });
    expect(await committed).toMatchObject({ replaced: 1 });
    // `b` holds the new counts, with the new price of them (SQLite, whose commit lands before
    // reprice writes), or the old price a later reprice corrects: never the new price of the old counts.
    const b = (await t.inspector.events()).find((e) => e.dedupKey === 'b');
    expect([b?.outputTokens, [1, 10 + 9_990].includes(b?.costNanos ?? -1)]).toEqual([999, true]);
    await t.ledger.reprice(await t.ledger.priceVersionId('new prices'), newPrices);
    expect((await t.inspector.events()).map((e) => [e.dedupKey, e.outputTokens, e.costNanos])).toEqual([
      ['a', 10, 110],
      ['b', 999, 10 + 9_990],
      ['c', 10, 110],
    ]);
    await t.assertConsistent();
    // Nothing left to correct: the same prices again change nothing, and every event has the new version.
    const newId = await t.ledger.priceVersionId('new prices');
    expect((await t.ledger.reprice(newId, newPrices)).changed).toBe(0);
    expect(await t.ledger.hasStale(newId)).toBe(false);
  });

  it('keeps every price version the events of a sync committing beside it name', async () => {
    const sync = await t.open();
    await sync.commit([await oldPricedBatch(sync, 10, ['a', 'b'])]);
    const larger = await oldPricedBatch(sync, 999, ['b']);
    let committed: Promise<unknown> | undefined;
    await t.ledger.reprice(await t.ledger.priceVersionId('new prices'), (e) => {
      committed ??= sync.commit([larger]);
      return newPrices(e);
    });
    await committed;
    expect(await t.inspector.orphans()).toEqual([]);
  });
});
