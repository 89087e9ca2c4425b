import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import { fixtureEachTest } from '../../../testing/fixture-ledger.js';
import { openLedger } from '../../open-ledger.js';
import { LOCAL_RECORDER } from '../../recorder.js';
import { MIGRATIONS } from './migrations.js';

const T = Date.UTC(2025, 9, 10, 12);
const t = fixtureEachTest();

const event = (key: string, outputTokens: number, priceVersionId = 1): PricedEvent => ({
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
  priceVersionId,
  unpriced: false,
  namespace: 'team',
});
const origin = (events: PricedEvent[], drops: { path: string; line: number; reason: string }[] = []) => ({ origin: 'ingest:stdin', events, rateLimits: [], drops });

describe('changes (SQLite)', () => {
  it('lists events in the order they were written, a page at a time, with their labels and recorder', async () => {
    await t.ledger.priceVersionId('prices-a');
    await t.ledger.commit([origin([event('a', 1), event('b', 2), event('c', 3)])]);
    const first = await t.ledger.changes(0, 2);
    expect(first.events.map((e) => e.dedupKey)).toEqual(['a', 'b']);
    expect(first.events[0]).toEqual({
      ...emptyTokens(),
      agent: 'ingest',
      provider: 'openai',
      model: 'gpt-4o',
      sessionId: 's1',
      project: '/p',
      occurredAt: T,
      dedupKey: 'a',
      inputTokens: 10,
      outputTokens: 1,
      costNanos: 1000,
      unpriced: false,
      namespace: 'team',
      priceVersion: 'prices-a',
      recordedBy: LOCAL_RECORDER,
    });
    const second = await t.ledger.changes(first.next, 2);
    expect(second.events.map((e) => e.dedupKey)).toEqual(['c']);
    expect(await t.ledger.changes(second.next, 2)).toEqual({ events: [], drops: [], next: second.next });
  });

  it('lists an event replaced in place (a longer copy) again, at a later position; a duplicate is no change', async () => {
    await t.ledger.priceVersionId('prices-a');
    await t.ledger.commit([origin([event('a', 1), event('b', 2)])]);
    const seen = (await t.ledger.changes(0, 10)).next;
    await t.ledger.commit([origin([event('a', 9), event('b', 2)])]);
    const later = await t.ledger.changes(seen, 10);
    expect(later.events.map((e) => [e.dedupKey, e.outputTokens])).toEqual([['a', 9]]);
    expect(later.next).toBeGreaterThan(seen);
    expect((await t.ledger.changes(0, 10)).events.map((e) => e.dedupKey)).toEqual(['b', 'a']);
  });

  it("lists drops with their file and machine: those up to a full page's last event, then the rest", async () => {
    await t.ledger.priceVersionId('prices-a');
    await t.ledger.commit([origin([event('a', 1), event('a2', 1)], [{ path: 'stdin', line: 1, reason: 'bad' }])]);
    await t.ledger.commit([origin([event('b', 1)], [{ path: 'stdin', line: 3, reason: 'bad' }])]);
    const first = await t.ledger.changes(0, 2);
    expect(first.events.map((e) => e.dedupKey)).toEqual(['a', 'a2']);
    expect(first.drops).toEqual([{ path: 'ingest:stdin', line: 1, reason: 'bad', machine: LOCAL_RECORDER.machine }]);
    const second = await t.ledger.changes(first.next, 2);
    expect([second.events.map((e) => e.dedupKey), second.drops.map((d) => d.line)]).toEqual([['b'], [3]]);
    expect(await t.ledger.changes(second.next, 2)).toEqual({ events: [], drops: [], next: second.next });
  });

  it('ends a page at the last of a full list of drops', async () => {
    await t.ledger.priceVersionId('prices-a');
    await t.ledger.commit([
      origin(
        [],
        [1, 2, 3].map((line) => ({ path: 'stdin', line, reason: 'bad' })),
      ),
    ]);
    await t.ledger.commit([origin([event('a', 1)])]);
    const first = await t.ledger.changes(0, 2);
    expect([first.events, first.drops.map((d) => d.line)]).toEqual([[], [1, 2]]);
    const second = await t.ledger.changes(first.next, 2);
    expect([second.events.map((e) => e.dedupKey), second.drops.map((d) => d.line)]).toEqual([['a'], [3]]);
  });

  it('never gives a position twice, even when the row that had the last one was removed', async () => {
    await t.ledger.priceVersionId('prices-a');
    await t.ledger.commit([origin([event('a', 1), event('b', 1)])]);
    const seen = (await t.ledger.changes(0, 10)).next;
    const db = new Database(t.fixture.dbPath);
    db.prepare("DELETE FROM events WHERE dedup_key = 'b'").run();
    db.close();
    await t.ledger.commit([origin([event('c', 1)])]);
    expect((await t.ledger.changes(seen, 10)).events.map((e) => e.dedupKey)).toEqual(['c']);
  });

  it('keeps marks that never move back', async () => {
    expect(await t.ledger.mark('push:x')).toBe(0);
    await t.ledger.setMark('push:x', 10);
    await t.ledger.setMark('push:x', 4);
    await t.ledger.setMark('pull:x', 3);
    expect([await t.ledger.mark('push:x'), await t.ledger.mark('pull:x')]).toEqual([10, 3]);
  });
});

describe('change positions of a ledger written before they were kept', () => {
  it('numbers its events in the order they were written, then its drops, and goes on from there', async () => {
    const path = `${t.fixture.dir}/old.db`;
    const old = new Database(path);
    const before = MIGRATIONS.findIndex((sql) => sql.includes('change_seq'));
    for (const sql of MIGRATIONS.slice(0, before)) old.exec(sql);
    old.exec(`
      INSERT INTO meta VALUES ('schema_version', '${before}');
      INSERT INTO price_versions VALUES (1, 'old prices', 0);
      INSERT INTO models VALUES (1, 'gpt-4o', 'openai');
      INSERT INTO projects VALUES (1, '/p');
      INSERT INTO sessions (id, namespace, agent, session_key) VALUES (1, 'team', 'ingest', 's1');
      INSERT INTO files (id, machine, path, agent, dev, ino, size, mtime_ms, offset, line_count, fingerprint, updated_at) VALUES (1, '', 'x', '(origin)', 0, 0, 0, 0, 0, 0, '', 0);
      INSERT INTO events (id, dedup_key, sidechain, session_id, project_id, model_id, file_id, occurred_at, input_tokens, output_tokens,
        reasoning_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, cost_nanos, price_version_id, unpriced)
        VALUES (1, 'b', 0, 1, 1, 1, 1, ${T}, 1, 1, 0, 0, 0, 0, 5, 1, 0), (2, 'a', 0, 1, 1, 1, 1, ${T}, 1, 1, 0, 0, 0, 0, 5, 1, 0);
      INSERT INTO drops VALUES (1, 4, 'bad', 2), (1, 3, 'bad', 1);
    `);
    old.close();
    const ledger = await openLedger({ engine: 'sqlite', path });
    try {
      const page = await ledger.changes(0, 10);
      expect([page.events.map((e) => e.dedupKey), page.drops.map((d) => d.line), page.next]).toEqual([['b', 'a'], [3, 4], 4]);
      // Adopted by the handle that upgraded it: its recorder's.
      expect([page.events[0]?.recordedBy, page.drops[0]?.machine]).toEqual([LOCAL_RECORDER, LOCAL_RECORDER.machine]);
      await ledger.commit([origin([event('c', 1)])]);
      expect((await ledger.changes(4, 10)).events.map((e) => e.dedupKey)).toEqual(['c']);
    } finally {
      await ledger.close();
    }
  });
});
