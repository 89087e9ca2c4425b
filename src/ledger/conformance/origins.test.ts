import { expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../core/usage-event.js';
import { eachEngine } from './each-engine.js';

const T = Date.UTC(2025, 9, 10, 12);

const event = (key: string, outputTokens: number): PricedEvent => ({
  ...emptyTokens(),
  agent: 'ingest',
  provider: 'openai',
  model: 'gpt-4o',
  sessionId: 's1',
  project: '/p',
  occurredAt: T,
  dedupKey: key,
  inputTokens: 10,
  outputTokens,
  costNanos: 1000,
  priceVersionId: 1,
  unpriced: false,
  namespace: 'cost-tracking',
});

eachEngine('origin batches (events from no followed file)', (t) => {
  it('are deduplicated by key alone, and are no cursor', async () => {
    expect(await t.ledger.priceVersionId('fixture prices')).toBe(1);
    const batch = { origin: 'ingest:stdin', events: [event('a', 5), event('b', 5)], rateLimits: [], drops: [{ path: 'stdin', line: 3, reason: 'bad' }] };
    expect(await t.ledger.commit([batch])).toMatchObject({ inserted: 2, duplicates: 0, skipped: 0 });
    // The same input again (a re-run) changes nothing; a larger copy of a key replaces the smaller.
    expect(await t.ledger.commit([batch])).toMatchObject({ inserted: 0, duplicates: 2, skipped: 0 });
    expect(await t.ledger.commit([{ ...batch, events: [event('a', 9)], drops: [] }])).toMatchObject({ replaced: 1 });
    expect((await t.inspector.events()).map((e) => [e.dedupKey, e.outputTokens])).toEqual([
      ['a', 9],
      ['b', 5],
    ]);
    expect(await t.ledger.cursors()).toEqual(new Map());
    expect(await t.ledger.cursors(['ingest:stdin'])).toEqual(new Map());
    expect(await t.ledger.drops(10)).toEqual([{ path: 'ingest:stdin', line: 3, reason: 'bad' }]);
    await t.assertConsistent();
  });
});

eachEngine('cursors of named files', (t) => {
  it('returns only the cursors asked for', async () => {
    await t.record([{ occurredAt: T, costNanos: 1 }], 'one');
    await t.record([{ occurredAt: T, costNanos: 1 }], 'two');
    expect([...(await t.ledger.cursors())].map(([path]) => path).sort()).toEqual(['fixture://one', 'fixture://two']);
    expect([...(await t.ledger.cursors(['fixture://two', 'fixture://none']))].map(([path]) => path)).toEqual(['fixture://two']);
  });
});
