import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import type { Ledger, OriginBatch } from '../../ledger.js';
import { openLedger } from '../../open-ledger.js';
import type { PostgresLocation } from './connect.js';
import { postgresTestLocation, sumsDrift } from './test-schema.js';

const T = Date.UTC(2025, 9, 10, 12);
const event = (key: string, outputTokens: number, sessionId = 's1'): PricedEvent => ({
  ...emptyTokens(),
  agent: 'ingest',
  provider: 'openai',
  model: 'gpt-4o',
  sessionId,
  project: '/p',
  occurredAt: T,
  dedupKey: key,
  inputTokens: 10,
  outputTokens,
  costNanos: 1000 * outputTokens,
  priceVersionId: 1,
  unpriced: false,
  namespace: 'cost-tracking',
});
const batch = (events: PricedEvent[]): OriginBatch => ({ origin: 'ingest:stdin', events, rateLimits: [], drops: [{ path: 'stdin', line: events.length, reason: 'bad' }] });

let drop: () => Promise<void>;
let location: PostgresLocation;
let first: Ledger;
let second: Ledger;
beforeEach(async () => {
  const test = await postgresTestLocation();
  drop = test.drop;
  location = test.location;
  first = await openLedger(location);
  second = await openLedger(location);
});
afterEach(async () => {
  await first.close();
  await second.close();
  await drop();
});

/**
 * A writer whose last commit found none of its keys stored plans the next one without looking
 * them up; a key stored meanwhile (here by another handle, which this one never saw) must still
 * count as a duplicate or a replacement, with nothing written twice and the sums exact.
 */
describe('a commit that expects its keys unstored', () => {
  it('finds the keys another handle stored and settles them as any commit does', async () => {
    expect(await first.commit([batch([event('a', 5), event('b', 5)])])).toMatchObject({ inserted: 2, duplicates: 0 });
    expect(await second.commit([batch([event('c', 5, 's2')])])).toMatchObject({ inserted: 1 });
    // `second` expects unstored keys: `a` is stored (a duplicate), `b` stored smaller (replaced), `d` new.
    expect(await second.commit([batch([event('a', 5), event('b', 9), event('d', 1, 's3')])])).toMatchObject({ inserted: 1, replaced: 1, duplicates: 1 });
    // Then it looks them up; a commit of new keys only lets it expect unstored keys again.
    expect(await second.commit([batch([event('a', 5)])])).toMatchObject({ inserted: 0, duplicates: 1 });
    expect(await second.commit([batch([event('e', 2)])])).toMatchObject({ inserted: 1 });
    expect(await first.commit([batch([event('e', 2), event('f', 2, 's4')])])).toMatchObject({ inserted: 1, duplicates: 1 });
    const totals = await first.usage({ namespace: 'cost-tracking' }, []);
    expect(totals).toEqual([expect.objectContaining({ events: 6, outputTokens: 5 + 9 + 5 + 1 + 2 + 2 })]);
    expect((await first.sessions({ namespace: 'cost-tracking' })).size).toBe(4);
    expect(await sumsDrift(location)).toEqual([]);
  });
});
