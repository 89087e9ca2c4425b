import { afterEach, beforeEach, expect, it } from 'vitest';
import { ZoneClock } from '../../core/zone-clock.js';
import { emptyTokens, type PricedEvent } from '../../core/usage-event.js';
import { writeCorpus } from '../../sample/corpus.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import type { FileBatch, FileCursor } from '../ledger.js';
import type { Recorder } from '../recorder.js';
import { eachEngine } from './each-engine.js';

const ADA: Recorder = { user: 'ada@lab', machine: 'machine-a' };
const BOB: Recorder = { user: 'bob@lab', machine: 'machine-b' };
const T0 = Date.UTC(2025, 9, 1, 12);
const NS = 'cost-tracking';
const PATH = '/home/dev/.claude/projects/app/s.jsonl';

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
const cursorAt = (offset: number): FileCursor => ({ path: PATH, agent: 'claude-code', dev: 1, ino: 1, size: offset, mtimeMs: 0, offset, lineCount: offset, fingerprint: `f${offset}`, state: null });
const batch = (from: number | undefined, to: number, events: PricedEvent[]): FileBatch => ({
  from: from === undefined ? undefined : cursorAt(from),
  to: cursorAt(to),
  events,
  rateLimits: [],
  drops: [],
});

/** Agent logs for the test that syncs. */
let logs: FixtureLedger;
beforeEach(() => {
  logs = new FixtureLedger();
});
afterEach(() => logs.remove());

eachEngine('file cursors per machine', (t) => {
  it('keep two machines with the same file path apart: separate cursors, nothing counted twice or lost', async () => {
    const a = await t.open(ADA);
    const b = await t.open(BOB);
    expect(await a.priceVersionId('fixture prices')).toBe(1);
    // The same path and file identity on two machines, with other contents.
    expect(await a.commit([batch(undefined, 100, [event('a1', 'sa', 5), event('a2', 'sa', 5)])])).toMatchObject({ inserted: 2, skipped: 0 });
    expect(await b.commit([batch(undefined, 40, [event('b1', 'sb', 7)])])).toMatchObject({ inserted: 1, skipped: 0 });
    expect((await a.cursors()).get(PATH)?.offset).toBe(100);
    expect((await b.cursors([PATH])).get(PATH)?.offset).toBe(40);
    // Each goes on from its own cursor: b's batch is not "already covered" by a's cursor further on.
    expect(await b.commit([batch(40, 80, [event('b2', 'sb', 7)])])).toMatchObject({ inserted: 1, skipped: 0 });
    expect(await a.commit([batch(100, 120, [event('a3', 'sa', 5)])])).toMatchObject({ inserted: 1, skipped: 0 });
    expect((await a.cursors()).get(PATH)?.offset).toBe(120);
    expect((await b.cursors()).get(PATH)?.offset).toBe(80);
    // A handle of the local machine has no cursor of that path at all.
    expect(await t.ledger.cursors()).toEqual(new Map());
    expect((await a.usage({ namespace: NS }, ['user'])).map((r) => [r.user, r.events, r.costNanos])).toEqual([
      ['ada@lab', 3, 15],
      ['bob@lab', 2, 14],
    ]);
    await t.assertConsistent();
  });

  it('let a sync on a second machine read the files for itself and count nothing twice', async () => {
    writeCorpus(logs.dir, { seed: 5, endAt: T0, days: 3, claudeBytes: 80_000, codexBytes: 30_000, geminiSessions: 1, claudeSessionBytes: 20_000, codexSessionBytes: 20_000 });
    const a = await t.open(ADA);
    const b = await t.open(BOB);
    const first = await t.sync(logs.env, { ledger: a });
    expect(first.inserted).toBeGreaterThan(0);
    const second = await t.sync(logs.env, { ledger: b });
    expect([second.filesRead, second.inserted]).toEqual([first.filesRead, 0]);
    expect((await t.sync(logs.env, { ledger: a })).filesRead).toBe(0);
    expect([...(await b.cursors()).keys()].sort()).toEqual([...(await a.cursors()).keys()].sort());
    // The sessions were first recorded by ada: they stay hers.
    expect((await a.usage({ namespace: NS }, ['user'])).map((r) => [r.user, r.events])).toEqual([['ada@lab', first.inserted]]);
    await t.assertConsistent();
  });
});

eachEngine('who recorded what', (t) => {
  it('files a session under the handle that created it, or the recorder an event names; every query filters by user and machine', async () => {
    const a = await t.open(ADA);
    const b = await t.open(BOB);
    await a.priceVersionId('fixture prices');
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
    expect([...(await a.sessions({ namespace: NS, users: ['bob@lab'] })).values()].map((s) => s.sessionId)).toEqual(['sb']);
    expect((await a.sessionUsage({ namespace: NS })).map((r) => [r.sessionId, r.user]).sort()).toEqual([
      ['sa', 'ada@lab'],
      ['sb', 'bob@lab'],
      ['sc', 'cy@lab'],
    ]);
    expect((await a.sessionUsage({ namespace: NS, machines: ['machine-c'] })).map((r) => r.sessionId)).toEqual(['sc']);
    expect((await a.tieredEvents({ namespace: NS, users: ['bob@lab'] })).length).toBe(0);
    expect((await a.tieredEvents({ namespace: NS, users: ['ada@lab'] })).length).toBe(1);
    expect(await a.conversationCount({ namespace: NS, users: ['ada@lab', 'bob@lab'] }, 3_600_000)).toBe(2);
    const zone = new ZoneClock('UTC');
    expect((await a.days({ namespace: NS }, zone)).map((d) => [d.user, d.costNanos]).sort()).toEqual([
      ['ada@lab', 10],
      ['bob@lab', 7],
      ['cy@lab', 11],
    ]);
    expect((await a.days({ namespace: NS, users: ['cy@lab'] }, zone)).map((d) => d.costNanos)).toEqual([11]);
    expect((await a.days({ namespace: NS, machines: ['machine-a'] }, zone)).map((d) => d.costNanos)).toEqual([10]);
    expect((await a.spend({ namespace: NS, scope: { kind: 'user', value: 'bob@lab' } })).costNanos).toBe(7);
    expect((await a.spend({ namespace: NS, scope: { kind: 'user', value: 'nobody' } })).costNanos).toBe(0);
  });
});
