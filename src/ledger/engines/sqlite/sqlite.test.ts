import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZoneClock } from '../../../core/zone-clock.js';
import { writeCorpus } from '../../../sample/corpus.js';
import { SOURCES } from '../../../sources/index.js';
import { FixtureLedger } from '../../../testing/fixture-ledger.js';
import { openLedger } from '../../open-ledger.js';
import type { DayRow } from '../../ledger.js';
import { DailyCache } from './daily-cache.js';
import { MIGRATIONS } from './migrations.js';
import { openDatabase } from './open.js';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham'];

// What is here is SQLite's own (the day cache and its zones, reads beside a write lock, a read-only
// file, the triggers, old files, foreign files); the ledger's behaviour is tested on every engine
// in src/ledger/conformance/.

let ledger: FixtureLedger;
beforeAll(async () => {
  ledger = new FixtureLedger();
  // Sessions across the March and October DST switches of both hemispheres.
  writeCorpus(ledger.dir, { seed: 5, endAt: Date.UTC(2025, 9, 30), days: 240, claudeBytes: 600_000, codexBytes: 200_000, geminiSessions: 2, claudeSessionBytes: 60_000, codexSessionBytes: 60_000 });
  await ledger.sync(SOURCES);
});
afterAll(() => ledger.remove());

/** Runs a read-only query on a ledger file. */
function query<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Day rows computed straight from the events, one by one. */
function direct(zone: ZoneClock): Map<string, number[]> {
  const rows = query<{ occurred_at: number; agent: string; path: string; name: string; input_tokens: number; output_tokens: number; cost_nanos: number }>(
    ledger.dbPath,
    `SELECT e.occurred_at, s.agent, p.path, m.name, e.input_tokens, e.output_tokens, e.cost_nanos
     FROM events e JOIN sessions s ON s.id = e.session_id JOIN projects p ON p.id = e.project_id JOIN models m ON m.id = e.model_id`,
  );
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const key = [zone.localDay(r.occurred_at), r.agent, r.path, r.name].join('|');
    const v = out.get(key) ?? [0, 0, 0, 0];
    out.set(key, [(v[0] as number) + 1, (v[1] as number) + r.input_tokens, (v[2] as number) + r.output_tokens, (v[3] as number) + r.cost_nanos]);
  }
  return out;
}

function asMap(rows: readonly DayRow[]): Map<string, number[]> {
  return new Map(rows.map((r) => [[r.day, r.agent, r.project, r.model].join('|'), [r.events, r.inputTokens, r.outputTokens, r.costNanos]]));
}

/** Day rows as a report gets them: its write phase (`prepareDays`), then the read. */
async function days(zone: ZoneClock): Promise<DayRow[]> {
  const l = await openLedger({ engine: 'sqlite', path: ledger.dbPath });
  try {
    await l.prepareDays(zone);
    return await l.days({ namespace: 'cost-tracking' }, zone);
  } finally {
    await l.close();
  }
}

describe('the day cache', () => {
  it('keeps four zones at most, the most recently used', async () => {
    for (const name of ZONES) await days(new ZoneClock(name));
    const kept = query<{ zone: string }>(ledger.dbPath, 'SELECT zone FROM daily_zones').map((r) => r.zone.split('@')[0]);
    expect(kept.sort()).toEqual(ZONES.slice(-4).sort());
  });

  it('answers without waiting while another connection holds a write transaction, the same rows, and refreshes the cache later', async () => {
    // New usage marks days stale in every cached zone: a refresh would need the write lock.
    await ledger.record([{ occurredAt: Date.UTC(2025, 9, 29, 23, 30), costNanos: 123_456, inputTokens: 7 }], 'while-locked');
    const cached = new ZoneClock('Pacific/Chatham');
    const stale = () => query<{ n: number }>(ledger.dbPath, 'SELECT count(*) AS n FROM daily_stale WHERE zone = ?', cached.key)[0]?.n;
    expect(stale()).toBeGreaterThan(0);
    const holder = new Database(ledger.dbPath);
    holder.exec('BEGIN IMMEDIATE');
    try {
      for (const zone of [cached, new ZoneClock('America/Anchorage')]) expect(asMap(await days(zone)), zone.key).toEqual(direct(zone));
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(stale()).toBeGreaterThan(0);
    expect(asMap(await days(cached))).toEqual(direct(cached));
    expect(stale()).toBe(0);
  });

  it('answers from the quarter hours when the ledger cannot be written', () => {
    const db = new Database(ledger.dbPath, { readonly: true });
    try {
      const zone = new ZoneClock('America/Sao_Paulo');
      expect(asMap(new DailyCache(db).rows({ namespace: 'cost-tracking' }, zone))).toEqual(direct(zone));
    } finally {
      db.close();
    }
  });
});

describe('the sum triggers', () => {
  it('keep the prompt bands exact through updates and deletes of events (no ledger operation does either: a repair by hand might)', async () => {
    const own = new FixtureLedger();
    try {
      const prompts = [1_000, 128_000, 128_001, 200_000, 200_001, 272_000, 272_001, 600_000];
      await own.record(prompts.map((p, i) => ({ occurredAt: Date.UTC(2025, 9, 1, 10) + i, costNanos: 1, inputTokens: p - 100, cacheReadTokens: 100 })));
      const db = new Database(own.dbPath);
      db.prepare('UPDATE events SET cache_read_tokens = 300000 WHERE input_tokens = 900').run();
      db.prepare('DELETE FROM events WHERE input_tokens = 599900').run();
      db.close();
      expect(await own.inspector.sumMismatches()).toEqual([]);
      const bands = query<{ prompt_band: number }>(own.dbPath, 'SELECT prompt_band FROM usage_rollup ORDER BY prompt_band');
      expect(bands.map((b) => b.prompt_band)).toEqual([0, 128_000, 199_999, 200_000, 271_999, 272_000]);
    } finally {
      own.remove();
    }
  });
});

describe('migrations', () => {
  it('moves a first-schema ledger into the default namespace, keeping its sessions and triggers', () => {
    const path = join(ledger.dir, 'v1.db');
    const db = new Database(path);
    db.exec(MIGRATIONS[0] as string);
    db.exec("INSERT INTO meta (key, value) VALUES ('schema_version', '1'); INSERT INTO sessions (agent, session_key, first_at, last_at) VALUES ('claude-code', 's1', 1, 2)");
    // Events refer to the sessions table the upgrade rebuilds: the rebuild must keep them valid.
    db.exec(`
      INSERT INTO price_versions (id, label, created_at) VALUES (1, 'v', 0);
      INSERT INTO models (id, name, provider) VALUES (1, 'claude-sonnet-4-5', 'anthropic');
      INSERT INTO projects (id, path) VALUES (1, '/p');
      INSERT INTO files (id, path, agent, dev, ino, size, mtime_ms, offset, line_count, fingerprint, updated_at) VALUES (1, '/f', 'claude-code', 0, 0, 0, 0, 0, 0, '', 0);
      INSERT INTO events (dedup_key, sidechain, session_id, project_id, model_id, file_id, occurred_at, input_tokens, output_tokens, reasoning_tokens,
        cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, cost_nanos, price_version_id, unpriced)
      VALUES ('k1', 0, 1, 1, 1, 1, 1, 10, 0, 0, 0, 0, 0, 5, 1, 0);`);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
    const upgraded = openDatabase(path);
    try {
      expect(upgraded.prepare('SELECT namespace, agent, session_key, first_at, last_at FROM sessions').all()).toEqual([
        { namespace: 'cost-tracking', agent: 'claude-code', session_key: 's1', first_at: 1, last_at: 2 },
      ]);
      expect(upgraded.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all()).toEqual(['events_after_delete', 'events_after_update']);
      expect(upgraded.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe(String(MIGRATIONS.length));
      expect(upgraded.prepare('SELECT s.session_key FROM events e JOIN sessions s ON s.id = e.session_id').pluck().all()).toEqual(['s1']);
      // The rollup is summed again from the events, by prompt band.
      expect(upgraded.prepare('SELECT bucket, prompt_band, events, input_tokens, cost_nanos FROM usage_rollup').all()).toEqual([
        { bucket: 0, prompt_band: 0, events: 1, input_tokens: 10, cost_nanos: 5 },
      ]);
      expect(upgraded.prepare('SELECT day, prompt_band, events, cost_nanos FROM usage_day').all()).toEqual([{ day: 0, prompt_band: 0, events: 1, cost_nanos: 5 }]);
      expect(upgraded.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      upgraded.close();
    }
  });
});

describe('opening', () => {
  it('refuses a SQLite file that is not a ledger, and a ledger from a newer tokenledger', () => {
    const other = join(ledger.dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE notes (text TEXT)');
    db.close();
    expect(() => openDatabase(other)).toThrow('is a SQLite database but not a tokenledger ledger');
    const newer = join(ledger.dir, 'newer.db');
    openDatabase(newer).prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    expect(() => openDatabase(newer)).toThrow('was written by a newer tokenledger');
    const text = join(ledger.dir, 'text.db');
    writeFileSync(text, 'plain text, not a database');
    expect(() => openDatabase(text)).toThrow('is not a tokenledger ledger');
  });
});
