import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import type { Ledger } from '../../ledger.js';
import { openLedger } from '../../open-ledger.js';
import type { PostgresLocation } from './connect.js';
import { postgresTestLocation, sumsDrift } from './test-schema.js';

const event = (namespace: string): PricedEvent => ({
  ...emptyTokens(),
  agent: 'ingest',
  provider: 'openai',
  model: 'gpt-4o',
  sessionId: 's',
  project: '/p',
  occurredAt: Date.UTC(2025, 9, 10),
  dedupKey: 'same-key',
  outputTokens: 5,
  costNanos: 50,
  priceVersionId: 1,
  unpriced: false,
  namespace,
});

let location: PostgresLocation;
let drop: () => Promise<void>;
let ledgers: Ledger[];
beforeEach(async () => {
  ({ location, drop } = await postgresTestLocation());
  ledgers = [await openLedger(location), await openLedger(location)];
});
afterEach(async () => {
  for (const l of ledgers) await l.close();
  await drop();
});

/**
 * PostgreSQL-specific: two commits into different namespaces take different locks, so both may
 * find a key unstored; the second to insert it fails on the unique key and runs again, finding it.
 */
describe('one key written at once under two namespaces', () => {
  it('is stored once: the commit that lost the race runs again and counts it a duplicate', async () => {
    const [a, b] = ledgers as [Ledger, Ledger];
    await a.priceVersionId('p');
    // Projects, models and recorders both commits use exist already, and they come from two
    // origins (writing one row, they would wait on each other before the lock this test holds).
    await a.commit([
      {
        origin: 'x',
        events: [
          { ...event('one'), dedupKey: 'first', sessionId: 'w' },
          { ...event('two'), dedupKey: 'second', sessionId: 'w' },
        ],
        rateLimits: [],
        drops: [],
      },
    ]);
    const holder = new pg.Client({ connectionString: location.url });
    await holder.connect();
    try {
      // Both commits plan (the key is not stored) and then wait for the lock on change positions.
      await holder.query("SELECT pg_advisory_lock(hashtext($1), hashtext('changes'))", [`tokenledger:${location.schema}`]);
      const commits = [a.commit([{ origin: 'x1', events: [event('one')], rateLimits: [], drops: [] }]), b.commit([{ origin: 'x2', events: [event('two')], rateLimits: [], drops: [] }])];
      for (;;) {
        const waiting = await holder.query("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'tokenledger' AND wait_event_type = 'Lock' AND query LIKE '%changes%'");
        if (waiting.rows[0].n === '2') break;
      }
      await holder.query("SELECT pg_advisory_unlock(hashtext($1), hashtext('changes'))", [`tokenledger:${location.schema}`]);
      const results = await Promise.all(commits);
      expect(results.map((r) => r.inserted).sort()).toEqual([0, 1]);
      expect(results.map((r) => r.duplicates).sort()).toEqual([0, 1]);
    } finally {
      await holder.end();
    }
    const total = [...(await a.usage({ namespace: 'one' }, [])), ...(await a.usage({ namespace: 'two' }, []))];
    expect(total.reduce((sum, t) => sum + t.events, 0)).toBe(3);
    expect(await sumsDrift(location)).toEqual([]);
  });
});
