import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import type { Ledger } from '../../ledger.js';
import { openLedger } from '../../open-ledger.js';
import { postgresTestLocation } from './test-schema.js';

const T = Date.UTC(2025, 9, 10, 12);

const event = (key: string, outputTokens: number, extra: Partial<PricedEvent> = {}): PricedEvent => ({
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
  costNanos: 1000 * outputTokens,
  priceVersionId: 1,
  unpriced: false,
  namespace: 'cost-tracking',
  ...extra,
});

let drop: () => Promise<void>;
let ledger: Ledger;
beforeEach(async () => {
  const test = await postgresTestLocation();
  drop = test.drop;
  ledger = await openLedger(test.location, { recorder: { user: 'ann', machine: 'm1' } });
});
afterEach(async () => {
  await ledger.close();
  await drop();
});

describe('the PostgreSQL ledger, end to end', () => {
  it('commits, deduplicates, replaces a smaller copy and reports from the sums', async () => {
    expect(await ledger.priceVersionId('fixture prices')).toBe(1);
    const batch = { origin: 'ingest:stdin', events: [event('a', 5), event('b', 5)], rateLimits: [], drops: [{ path: 'stdin', line: 3, reason: 'bad' }] };
    expect(await ledger.commit([batch])).toMatchObject({ inserted: 2, duplicates: 0, skipped: 0 });
    expect(await ledger.commit([batch])).toMatchObject({ inserted: 0, duplicates: 2, skipped: 0 });
    expect(await ledger.commit([{ ...batch, events: [event('a', 9)], drops: [] }])).toMatchObject({ replaced: 1 });
    const totals = await ledger.usage({ namespace: 'cost-tracking' }, []);
    expect(totals).toEqual([expect.objectContaining({ events: 2, outputTokens: 14, costNanos: 14_000, inputTokens: 20 })]);
    expect(await ledger.usage({ namespace: 'cost-tracking', users: ['bob'] }, [])).toEqual([]);
    expect(await ledger.usage({ namespace: 'cost-tracking', users: ['ann'], machines: ['m1'] }, ['model'])).toEqual([
      expect.objectContaining({ model: 'gpt-4o', provider: 'openai', events: 2 }),
    ]);
    expect(await ledger.drops(10)).toEqual([{ path: 'ingest:stdin', line: 3, reason: 'bad' }]);
    const page = await ledger.changes(0, 10);
    expect(page.events.map((e) => [e.dedupKey, e.outputTokens, e.recordedBy.user, e.priceVersion])).toEqual([
      ['b', 5, 'ann', 'fixture prices'],
      ['a', 9, 'ann', 'fixture prices'],
    ]);
    expect(page.drops).toEqual([{ path: 'ingest:stdin', line: 3, reason: 'bad', machine: 'm1' }]);
    expect(await ledger.changes(page.next, 10)).toEqual({ events: [], drops: [], next: page.next });
  });
});
