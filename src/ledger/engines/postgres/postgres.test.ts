import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import type { Ledger } from '../../ledger.js';
import { openLedger } from '../../open-ledger.js';
import { ZoneClock } from '../../../core/zone-clock.js';
import type { PostgresLocation } from './connect.js';
import { postgresTestLocation, sumsDrift } from './test-schema.js';

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
let location: PostgresLocation;
let ledger: Ledger;
beforeEach(async () => {
  const test = await postgresTestLocation();
  drop = test.drop;
  location = test.location;
  ledger = await openLedger(location, { recorder: { user: 'ann', machine: 'm1' } });
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
    expect(await ledger.usage({ namespace: 'cost-tracking', users: ['ann'], machines: ['m1'] }, ['model'])).toEqual([expect.objectContaining({ model: 'gpt-4o', provider: 'openai', events: 2 })]);
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

describe('who recorded, per machine cursors', () => {
  const cursor = (offset: number) => ({ path: '/home/dev/.claude/a.jsonl', agent: 'claude-code', dev: 1, ino: 2, size: offset, mtimeMs: 1.5, offset, lineCount: 1, fingerprint: 'f', state: { n: 1 } });

  it('keeps cursors per machine, stamps the recorder (or the pushed one) on sessions, and filters by user and machine', async () => {
    const other = await openLedger(location, { recorder: { user: 'bob', machine: 'm2' } });
    try {
      await ledger.priceVersionId('p');
      await ledger.commit([{ events: [event('a', 5)], rateLimits: [], drops: [], from: undefined, to: cursor(100) }]);
      // The same home path on another machine is another file: not skipped, its own cursor.
      expect(await other.commit([{ events: [event('b', 5, { sessionId: 's2' })], rateLimits: [], drops: [], from: undefined, to: cursor(50) }])).toMatchObject({ inserted: 1, skipped: 0 });
      expect((await ledger.cursors()).get('/home/dev/.claude/a.jsonl')).toMatchObject({ offset: 100, mtimeMs: 1.5, state: { n: 1 } });
      expect((await other.cursors()).get('/home/dev/.claude/a.jsonl')).toMatchObject({ offset: 50 });
      // A batch another writer of the same machine already committed is skipped.
      const again = await openLedger(location, { recorder: { user: 'ann', machine: 'm1' } });
      expect(await again.commit([{ events: [event('a', 5)], rateLimits: [], drops: [], from: undefined, to: cursor(100) }])).toMatchObject({ skipped: 1 });
      await again.close();
      // Pushed events keep who recorded them.
      await other.commit([{ origin: 'push:laptop', events: [event('c', 5, { sessionId: 's3', recordedBy: { user: 'cy', machine: 'm3' } })], rateLimits: [], drops: [] }]);
      const by = async (filter: { users?: string[]; machines?: string[] }) => (await ledger.usage({ namespace: 'cost-tracking', ...filter }, ['session'])).map((r) => r.sessionId);
      expect(await by({ users: ['ann'] })).toEqual(['s1']);
      expect((await by({ machines: ['m2', 'm3'] })).sort()).toEqual(['s2', 's3']);
      expect(await by({ users: ['bob'], machines: ['m3'] })).toEqual([]);
      const zone = new ZoneClock('UTC');
      expect((await ledger.days({ namespace: 'cost-tracking', users: ['cy'] }, zone)).map((d) => d.events)).toEqual([1]);
      expect([...(await ledger.sessions({ namespace: 'cost-tracking', machines: ['m2'] })).values()].map((s) => s.sessionId)).toEqual(['s2']);
      const changes = await ledger.changes(0, 100);
      expect(changes.events.map((e) => [e.dedupKey, e.recordedBy])).toEqual([
        ['a', { user: 'ann', machine: 'm1' }],
        ['b', { user: 'bob', machine: 'm2' }],
        ['c', { user: 'cy', machine: 'm3' }],
      ]);
    } finally {
      await other.close();
    }
  });
});

describe('budgets, federation, rate limits, reprice', () => {
  it('keep their figures as the SQLite engine does, and the sums stay exact through re-pricing', async () => {
    await ledger.priceVersionId('v1');
    const budget = await ledger.setBudget({ namespace: 'cost-tracking', scope: 'project:p', period: 'month', amountNanos: 10, setAt: T });
    expect(await ledger.setBudget({ ...budget, amountNanos: 20 })).toMatchObject({ id: budget.id, amountNanos: 20 });
    expect(await ledger.budgets('cost-tracking')).toEqual([{ ...budget, amountNanos: 20 }]);
    const windows = [{ name: 'primary', usedPercent: 40, windowMinutes: 300 }];
    await ledger.commit([
      {
        origin: 'ingest:x',
        events: [event('a', 5), event('b', 7, { serviceTier: 'flex', occurredAt: T + 1000 })],
        rateLimits: [{ agent: 'codex', sessionId: 's', occurredAt: T, windows, planType: 'pro' }],
        drops: [],
      },
    ]);
    expect(await ledger.latestRateLimits(0)).toEqual([{ agent: 'codex', sessionId: 's', occurredAt: T, windows, planType: 'pro' }]);
    expect(await ledger.spend({ namespace: 'cost-tracking', scope: { kind: 'project', value: 'p' } })).toEqual({ costNanos: 12_000, sessions: 1 });
    expect(await ledger.serviceTierUses()).toEqual([{ model: 'gpt-4o', provider: 'openai', serviceTier: 'flex', events: 1 }]);
    expect((await ledger.tieredEvents({ namespace: 'cost-tracking' })).map((e) => e.outputTokens)).toEqual([7]);
    expect(await ledger.sessionEvents('cost-tracking', 'ingest', 's1')).toEqual([
      expect.objectContaining({ outputTokens: 7, serviceTier: 'flex', unpriced: false, sidechain: false }),
      expect.not.objectContaining({ serviceTier: expect.anything() }),
    ]);
    expect(await ledger.removeBudget('cost-tracking', 'project:p', 'month')).toBe(true);
    expect(await ledger.removeBudget('cost-tracking', 'project:p', 'month')).toBe(false);

    const spends = [{ namespace: 'cost-tracking', peerId: 'peer', taskId: 't1', tokensUsed: 10, usdNanos: 100, occurredAt: T }];
    expect(await ledger.recordFederation(spends)).toEqual({ inserted: 1, updated: 0, duplicates: 0 });
    expect(await ledger.recordFederation([{ ...spends[0]!, usdNanos: 150 }, spends[0]!])).toEqual({ inserted: 0, updated: 1, duplicates: 1 });
    expect(await ledger.peerSpend('cost-tracking', 0, T + 1)).toEqual([{ peerId: 'peer', tasks: 1, tokensUsed: 10, usdNanos: 150, lastAt: T }]);

    const v2 = await ledger.priceVersionId('v2');
    expect(await ledger.hasStale(v2)).toBe(true);
    const result = await ledger.reprice(v2, (e) => ({ costNanos: e.outputTokens * 3, unpriced: e.model === 'none' }));
    expect(result).toEqual({ events: 2, changed: 2, stillUnpriced: 0 });
    expect(await ledger.hasStale(v2)).toBe(false);
    expect(await ledger.usage({ namespace: 'cost-tracking' }, [])).toEqual([expect.objectContaining({ costNanos: 36, events: 2 })]);
    expect(await sumsDrift(location)).toEqual([]);
    expect(await ledger.reprice(v2, (e) => ({ costNanos: e.outputTokens * 3, unpriced: false }))).toEqual({ events: 2, changed: 0, stillUnpriced: 0 });
  });
});
