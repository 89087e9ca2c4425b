import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZoneClock } from '../../../core/zone-clock.js';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import { FixtureLedger } from '../../../testing/fixture-ledger.js';
import type { Ledger } from '../../ledger.js';
import type { Recorder } from '../../recorder.js';
import { openSqliteLedger } from './index.js';
import { ADOPT_KEY, MIGRATIONS } from './migrations.js';

const ADA: Recorder = { user: 'ada@lab', machine: 'machine-a' };
const BOB: Recorder = { user: 'bob@lab', machine: 'machine-b' };
const T0 = Date.UTC(2025, 9, 1, 12);
const NS = 'cost-tracking';

/** A read of the file's own tables (how SQLite files cursors and origins per machine). */
function query<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

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

// SQLite's own part of recording who spent it (the `files` rows, the day cache beside a write lock, old
// files adopted); the behaviour every engine shares is in src/ledger/conformance/recorders.test.ts.
describe('who recorded what, in the SQLite file', () => {
  it('files origins per machine, as rows of `files` like cursors', async () => {
    const a = await handle(ADA);
    const b = await handle(BOB);
    await a.commit([{ origin: 'ingest:test', events: [event('a1', 'sa', 5)], rateLimits: [], drops: [] }]);
    await b.commit([{ origin: 'ingest:test', events: [event('b1', 'sb', 7)], rateLimits: [], drops: [] }]);
    expect(query(fx.dbPath, 'SELECT machine, path FROM files ORDER BY machine')).toEqual([
      { machine: 'machine-a', path: 'ingest:test' },
      { machine: 'machine-b', path: 'ingest:test' },
    ]);
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
  it("is adopted once, by the handle that upgrades it: its sessions become that user's, its cursors that machine's", async () => {
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
