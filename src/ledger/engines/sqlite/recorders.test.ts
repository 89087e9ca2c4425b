import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZoneClock } from '../../../core/zone-clock.js';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import { FixtureLedger } from '../../../testing/fixture-ledger.js';
import { SOURCES } from '../../../sources/index.js';
import { writeCorpus } from '../../../sample/corpus.js';
import { sync } from '../../../sync/sync.js';
import { PriceOverrides } from '../../../pricing/overrides.js';
import { Pricer } from '../../../pricing/pricer.js';
import type { FileBatch, FileCursor, Ledger } from '../../ledger.js';
import type { Recorder } from '../../recorder.js';
import { openSqliteLedger } from './index.js';
import { ADOPT_KEY, MIGRATIONS } from './migrations.js';

const ADA: Recorder = { user: 'ada@lab', machine: 'machine-a' };
const BOB: Recorder = { user: 'bob@lab', machine: 'machine-b' };
const T0 = Date.UTC(2025, 9, 1, 12);
const NS = 'cost-tracking';

let fx: FixtureLedger;
const open: Ledger[] = [];
/** A handle on the fixture's ledger; its first price version (id 1) is the one `event` names. */
const handle = async (recorder: Recorder): Promise<Ledger> => {
  const ledger = openSqliteLedger(fx.dbPath, undefined, { recorder });
  open.push(ledger);
  await ledger.priceVersionId('test prices');
  return ledger;
};
beforeEach(() => {
  fx = new FixtureLedger();
});
afterEach(async () => {
  for (const ledger of open.splice(0)) await ledger.close();
  fx.remove();
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

const cursorAt = (path: string, offset: number): FileCursor => ({
  path, agent: 'claude-code', dev: 1, ino: 1, size: offset, mtimeMs: 0, offset, lineCount: offset, fingerprint: `f${offset}`, state: null,
});

const batch = (path: string, from: FileCursor | undefined, offset: number, events: PricedEvent[]): FileBatch => ({
  from, to: cursorAt(path, offset), events, rateLimits: [], drops: [],
});

describe('file cursors per machine', () => {
  it('keeps two machines with the same home path apart: separate cursors, nothing counted twice or lost', async () => {
    const a = await handle(ADA);
    const b = await handle(BOB);
    const path = '/home/dev/.claude/projects/app/s.jsonl';
    // The same path and file identity on two machines, with other contents.
    expect(await a.commit([batch(path, undefined, 100, [event('a1', 'sa', 5), event('a2', 'sa', 5)])])).toMatchObject({ inserted: 2, skipped: 0 });
    expect(await b.commit([batch(path, undefined, 40, [event('b1', 'sb', 7)])])).toMatchObject({ inserted: 1, skipped: 0 });
    expect((await a.cursors()).get(path)?.offset).toBe(100);
    expect((await b.cursors([path])).get(path)?.offset).toBe(40);
    // Each goes on from its own cursor; b's is not "already covered" by a's larger one.
    expect(await b.commit([batch(path, cursorAt(path, 40), 80, [event('b2', 'sb', 7)])])).toMatchObject({ inserted: 1, skipped: 0 });
    expect(await a.commit([batch(path, cursorAt(path, 100), 120, [event('a3', 'sa', 5)])])).toMatchObject({ inserted: 1, skipped: 0 });
    expect((await a.cursors()).get(path)?.offset).toBe(120);
    expect((await b.cursors()).get(path)?.offset).toBe(80);
    expect(fx.query('SELECT machine, path, offset FROM files ORDER BY machine')).toEqual([
      { machine: 'machine-a', path, offset: 120 },
      { machine: 'machine-b', path, offset: 80 },
    ]);
    expect((await a.usage({ namespace: NS }, ['user'])).map((r) => [r.user, r.events, r.costNanos])).toEqual([
      ['ada@lab', 3, 15],
      ['bob@lab', 2, 14],
    ]);
  });

  it('a sync on a second machine reads the files for itself and counts nothing twice', async () => {
    writeCorpus(fx.dir, { seed: 5, endAt: T0, days: 3, claudeBytes: 80_000, codexBytes: 30_000, geminiSessions: 1, claudeSessionBytes: 20_000, codexSessionBytes: 20_000 });
    const run = (ledger: Ledger) => sync({ sources: SOURCES, namespace: NS, env: fx.env, ledger, pricer: new Pricer(new PriceOverrides({})) });
    const a = await handle(ADA);
    const first = await run(a);
    expect(first.inserted).toBeGreaterThan(0);
    const second = await run(await handle(BOB));
    expect(second.filesRead).toBe(first.filesRead);
    expect(second.inserted).toBe(0);
    expect((await run(a)).filesRead).toBe(0);
    const machines = fx.query<{ machine: string; n: number }>("SELECT machine, count(*) AS n FROM files WHERE agent <> '(origin)' GROUP BY machine ORDER BY machine");
    expect(machines.map((m) => m.machine)).toEqual(['machine-a', 'machine-b']);
    expect(machines[0]?.n).toBe(machines[1]?.n);
    // The sessions were first recorded by ada: they stay hers.
    expect((await a.usage({ namespace: NS }, ['user'])).map((r) => [r.user, r.events])).toEqual([['ada@lab', first.inserted]]);
    fx.assertRollupConsistent();
  });
});

describe('who recorded what', () => {
  it('files a session under the handle that created it, or the recorder an event names; every query filters by user and machine', async () => {
    const a = await handle(ADA);
    const b = await handle(BOB);
    await a.commit([{ origin: 'ingest:test', events: [event('a1', 'sa', 5, { serviceTier: 'fast' }), event('a2', 'sa', 5)], rateLimits: [], drops: [] }]);
    await b.commit([{ origin: 'ingest:test', events: [event('b1', 'sb', 7), event('c1', 'sc', 11, { recordedBy: { user: 'cy@lab', machine: 'machine-c' } })], rateLimits: [], drops: [] }]);
    // Origins are per machine too.
    expect(fx.query('SELECT machine, path FROM files ORDER BY machine')).toEqual([
      { machine: 'machine-a', path: 'ingest:test' },
      { machine: 'machine-b', path: 'ingest:test' },
    ]);
    expect(await a.recorders()).toEqual([ADA, BOB, { user: 'cy@lab', machine: 'machine-c' }]);
    const cost = async (filter: { users?: string[]; machines?: string[] }) => (await a.usage({ namespace: NS, ...filter }, []))[0]?.costNanos ?? 0;
    expect(await cost({})).toBe(28);
    expect(await cost({ users: ['ada@lab'] })).toBe(10);
    expect(await cost({ users: ['bob@lab', 'cy@lab'] })).toBe(18);
    expect(await cost({ machines: ['machine-b'] })).toBe(7);
    expect(await cost({ users: ['ada@lab'], machines: ['machine-b'] })).toBe(0);
    expect(await cost({ users: [] })).toBe(0);
    expect([...(await a.sessions({ namespace: NS, users: ['bob@lab'] })).values()].map((s) => s.sessionId)).toEqual(['sb']);
    expect((await a.sessionUsage({ namespace: NS })).map((r) => [r.sessionId, r.user]).sort()).toEqual([['sa', 'ada@lab'], ['sb', 'bob@lab'], ['sc', 'cy@lab']]);
    expect((await a.sessionUsage({ namespace: NS, machines: ['machine-c'] })).map((r) => r.sessionId)).toEqual(['sc']);
    expect((await a.tieredEvents({ namespace: NS, users: ['bob@lab'] })).length).toBe(0);
    expect((await a.tieredEvents({ namespace: NS, users: ['ada@lab'] })).length).toBe(1);
    expect(await a.conversationCount({ namespace: NS, users: ['ada@lab', 'bob@lab'] }, 3_600_000)).toBe(2);
    const zone = new ZoneClock('UTC');
    const days = await a.days({ namespace: NS }, zone);
    expect(days.map((d) => [d.user, d.costNanos]).sort()).toEqual([['ada@lab', 10], ['bob@lab', 7], ['cy@lab', 11]]);
    expect((await a.days({ namespace: NS, users: ['cy@lab'] }, zone)).map((d) => d.costNanos)).toEqual([11]);
    expect((await a.days({ namespace: NS, machines: ['machine-a'] }, zone)).map((d) => d.costNanos)).toEqual([10]);
    expect((await a.spend({ namespace: NS, scope: { kind: 'user', value: 'bob@lab' } })).costNanos).toBe(7);
    expect((await a.spend({ namespace: NS, scope: { kind: 'user', value: 'nobody' } })).costNanos).toBe(0);
  });

  it('sums days per user also when the day cache cannot be written (computed from the quarter hours)', async () => {
    const a = await handle(ADA);
    await a.commit([{ origin: 'ingest:test', events: [event('a1', 'sa', 5)], rateLimits: [], drops: [] }]);
    await (await handle(BOB)).commit([{ origin: 'ingest:test', events: [event('b1', 'sb', 7)], rateLimits: [], drops: [] }]);
    // Another connection holds the write lock: the report computes instead of waiting.
    const blocker = new Database(fx.dbPath);
    blocker.exec('BEGIN IMMEDIATE');
    try {
      const rows = await a.days({ namespace: NS, users: ['bob@lab'] }, new ZoneClock('UTC'));
      expect(rows.map((d) => [d.user, d.costNanos])).toEqual([['bob@lab', 7]]);
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
  });
});

describe('a ledger from before recorders', () => {
  it('is adopted once, by the handle that upgrades it: its sessions become that user\'s, its cursors that machine\'s', async () => {
    const path = join(fx.dir, 'v7.db');
    const db = new Database(path);
    for (const migration of MIGRATIONS.slice(0, 7)) db.exec(migration);
    db.exec(`
      INSERT INTO meta (key, value) VALUES ('schema_version', '7');
      INSERT INTO price_versions (id, label, created_at) VALUES (1, 'v', 0);
      INSERT INTO models (id, name, provider) VALUES (1, 'claude-sonnet-4-5', 'anthropic');
      INSERT INTO projects (id, path) VALUES (1, '/p');
      INSERT INTO sessions (id, namespace, agent, session_key) VALUES (1, '${NS}', 'claude-code', 's1');
      INSERT INTO files (id, path, agent, dev, ino, size, mtime_ms, ctime_ms, offset, line_count, fingerprint, updated_at)
        VALUES (1, '/f.jsonl', 'claude-code', 1, 1, 50, 0, 0, 50, 2, 'x', 0);
      INSERT INTO events (dedup_key, sidechain, session_id, project_id, model_id, file_id, occurred_at, input_tokens, output_tokens, reasoning_tokens,
        cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, cost_nanos, price_version_id, unpriced)
      VALUES ('k1', 0, 1, 1, 1, 1, ${T0}, 10, 0, 0, 0, 0, 0, 5, 1, 0);`);
    db.close();
    const a = openSqliteLedger(path, undefined, { recorder: ADA });
    open.push(a);
    const b = openSqliteLedger(path, undefined, { recorder: BOB });
    open.push(b);
    expect((await a.cursors()).get('/f.jsonl')?.offset).toBe(50);
    expect((await b.cursors()).size).toBe(0);
    expect(await b.recorders()).toEqual([ADA]);
    const check = new Database(path, { readonly: true });
    try {
      expect(check.prepare('SELECT value FROM meta WHERE key = ?').get(ADOPT_KEY)).toBeUndefined();
      expect(check.prepare('SELECT r.user_name, r.machine FROM sessions s JOIN recorders r ON r.id = s.recorder_id').all()).toEqual([{ user_name: 'ada@lab', machine: 'machine-a' }]);
      expect(check.prepare('SELECT e.dedup_key FROM events e JOIN files f ON f.id = e.file_id').pluck().all()).toEqual(['k1']);
      expect(check.pragma('foreign_key_check')).toEqual([]);
    } finally {
      check.close();
    }
  });
});
