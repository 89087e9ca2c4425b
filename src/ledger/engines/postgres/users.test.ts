import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZoneClock } from '../../../core/zone-clock.js';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import type { Ledger } from '../../ledger.js';
import { openLedger } from '../../open-ledger.js';
import type { Recorder } from '../../recorder.js';
import type { PostgresLocation } from './connect.js';
import { postgresTestLocation } from './test-schema.js';

const ADA: Recorder = { user: 'ada@lab', machine: 'machine-a' };
const BOB: Recorder = { user: 'bob@lab', machine: 'machine-b' };
const T0 = Date.UTC(2025, 9, 1, 12);
const NS = 'cost-tracking';

let location: PostgresLocation;
let drop: () => Promise<void>;
const open: Ledger[] = [];
const handle = async (recorder: Recorder): Promise<Ledger> => {
  const ledger = await openLedger(location, { recorder });
  open.push(ledger);
  await ledger.priceVersionId('test prices');
  return ledger;
};
beforeEach(async () => {
  ({ location, drop } = await postgresTestLocation());
});
afterEach(async () => {
  for (const ledger of open.splice(0)) await ledger.close();
  await drop();
});

const event = (key: string, session: string, costNanos: number, extra: Partial<PricedEvent> = {}): PricedEvent => ({
  ...emptyTokens(),
  inputTokens: 10,
  agent: 'claude-code',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  sessionId: session,
  project: '/home/dev/app',
  dedupKey: key,
  namespace: NS,
  occurredAt: T0,
  costNanos,
  unpriced: false,
  priceVersionId: 1,
  ...extra,
});

/** The SQLite engine's test of who recorded what (recorders.test.ts), on PostgreSQL, until the conformance suite has it. */
describe('who recorded what', () => {
  it('files a session under the handle that created it, or the recorder an event names; every query filters and groups by user and machine', async () => {
    const a = await handle(ADA);
    const b = await handle(BOB);
    await a.commit([{ origin: 'ingest:test', events: [event('a1', 'sa', 5, { serviceTier: 'fast' }), event('a2', 'sa', 5)], rateLimits: [], drops: [] }]);
    await b.commit([{ origin: 'ingest:test', events: [event('b1', 'sb', 7), event('c1', 'sc', 11, { recordedBy: { user: 'cy@lab', machine: 'machine-c' } })], rateLimits: [], drops: [] }]);
    expect(await a.recorders()).toEqual([ADA, BOB, { user: 'cy@lab', machine: 'machine-c' }]);
    const cost = async (filter: { users?: string[]; machines?: string[] }) => (await a.usage({ namespace: NS, ...filter }, []))[0]?.costNanos ?? 0;
    expect(await cost({})).toBe(28);
    expect(await cost({ users: ['ada@lab'] })).toBe(10);
    expect(await cost({ users: ['bob@lab', 'cy@lab'] })).toBe(18);
    expect(await cost({ machines: ['machine-b'] })).toBe(7);
    expect(await cost({ users: ['ada@lab'], machines: ['machine-b'] })).toBe(0);
    expect(await cost({ users: [] })).toBe(0);
    expect((await a.usage({ namespace: NS }, ['user'])).map((r) => [r.user, r.costNanos]).sort()).toEqual([['ada@lab', 10], ['bob@lab', 7], ['cy@lab', 11]]);
    expect([...(await a.sessions({ namespace: NS, users: ['bob@lab'] })).values()]).toEqual([expect.objectContaining({ sessionId: 'sb', user: 'bob@lab', machine: 'machine-b' })]);
    expect((await a.sessionUsage({ namespace: NS })).map((r) => [r.sessionId, r.user]).sort()).toEqual([['sa', 'ada@lab'], ['sb', 'bob@lab'], ['sc', 'cy@lab']]);
    expect((await a.sessionUsage({ namespace: NS, machines: ['machine-c'] })).map((r) => r.sessionId)).toEqual(['sc']);
    expect((await a.tieredEvents({ namespace: NS, users: ['bob@lab'] })).length).toBe(0);
    expect((await a.tieredEvents({ namespace: NS, users: ['ada@lab'] })).length).toBe(1);
    expect(await a.conversationCount({ namespace: NS, users: ['ada@lab', 'bob@lab'] }, 3_600_000)).toBe(2);
    for (const name of ['UTC', 'Europe/Berlin']) {
      const zone = new ZoneClock(name);
      const days = await a.days({ namespace: NS }, zone);
      expect(days.map((d) => [d.user, d.costNanos]).sort()).toEqual([['ada@lab', 10], ['bob@lab', 7], ['cy@lab', 11]]);
      expect((await a.days({ namespace: NS, users: ['cy@lab'] }, zone)).map((d) => d.costNanos)).toEqual([11]);
      expect((await a.days({ namespace: NS, machines: ['machine-a'] }, zone)).map((d) => d.costNanos)).toEqual([10]);
    }
    expect((await a.spend({ namespace: NS, scope: { kind: 'user', value: 'bob@lab' } })).costNanos).toBe(7);
    expect((await a.spend({ namespace: NS, scope: { kind: 'user', value: 'nobody' } })).costNanos).toBe(0);
  });
});
