import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZoneClock } from '../../../core/zone-clock.js';
import { PriceOverrides } from '../../../pricing/overrides.js';
import { Pricer } from '../../../pricing/pricer.js';
import { writeCorpus } from '../../../sample/corpus.js';
import { SOURCES } from '../../../sources/index.js';
import { sync, type SyncReport } from '../../../sync/sync.js';
import type { Ledger, UsageDimension } from '../../ledger.js';
import { openLedger } from '../../open-ledger.js';
import { postgresTestLocation } from './test-schema.js';

/**
 * Engine-specific: one generated corpus synced into SQLite and into PostgreSQL (with the small
 * batches that make replacements and replays cross commits) reads the same through every reader.
 * The conformance suite checks behaviours case by case; this checks the two engines agree on a
 * realistic mix of everything at once.
 */
const NS = 'cost-tracking';
let dir: string;
let sqlite: Ledger;
let postgres: Ledger;
let drop: () => Promise<void>;
const reports: SyncReport[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokenledger-pg-same-'));
  writeCorpus(dir, { seed: 7, endAt: Date.UTC(2025, 9, 30), days: 90, claudeBytes: 1_500_000, codexBytes: 400_000, geminiSessions: 4, claudeSessionBytes: 50_000, codexSessionBytes: 50_000 });
  const env = { HOME: join(dir, 'home'), CLAUDE_CONFIG_DIR: join(dir, 'claude'), CODEX_HOME: join(dir, 'codex'), GEMINI_DATA_DIR: join(dir, 'gemini', 'tmp') };
  for (const folder of Object.values(env)) mkdirSync(folder, { recursive: true });
  const test = await postgresTestLocation();
  drop = test.drop;
  sqlite = await openLedger({ engine: 'sqlite', path: join(dir, 'ledger.db') });
  postgres = await openLedger(test.location);
  for (const ledger of [sqlite, postgres]) {
    reports.push(await sync({ sources: SOURCES, namespace: NS, env, ledger, pricer: new Pricer(new PriceOverrides({})), batchSize: 300 }));
  }
}, 120_000);

afterAll(async () => {
  await sqlite?.close();
  await postgres?.close();
  await drop?.();
  rmSync(dir, { recursive: true, force: true });
});

const sorted = <T>(rows: T[]): T[] => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

describe('PostgreSQL and SQLite read the same corpus the same', () => {
  it('syncs it with the same counts (new, replaced, duplicates)', () => {
    const counts = reports.map((r) => ({ inserted: r.inserted, replaced: r.replaced, duplicates: r.duplicates }));
    expect(counts[0]?.duplicates).toBeGreaterThan(0);
    expect(counts[1]).toEqual(counts[0]);
  });

  it('usage by every dimension, with and without a time range', async () => {
    const dims: UsageDimension[][] = [[], ['session'], ['project'], ['model'], ['promptBand'], ['bucket'], ['session', 'model', 'promptBand'], ['user'], ['user', 'model']];
    const since = Date.UTC(2025, 8, 15, 7, 20);
    const until = Date.UTC(2025, 9, 20, 13);
    for (const by of dims) {
      for (const range of [{}, { since, until }, { since }]) {
        const filter = { namespace: NS, ...range };
        expect(sorted(await postgres.usage(filter, by)), JSON.stringify({ by, range })).toEqual(sorted(await sqlite.usage(filter, by)));
      }
    }
  });

  it('local days in zones with DST and odd offsets, sessions, conversations, spend', async () => {
    for (const name of ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Kathmandu', 'Pacific/Chatham']) {
      const zone = new ZoneClock(name);
      expect(sorted(await postgres.days({ namespace: NS }, zone)), name).toEqual(sorted(await sqlite.days({ namespace: NS }, zone)));
      const filter = { namespace: NS, sinceDay: zone.localDay(Date.UTC(2025, 9, 1)), untilDay: zone.localDay(Date.UTC(2025, 9, 20)) };
      expect(sorted(await postgres.days(filter, zone)), name).toEqual(sorted(await sqlite.days(filter, zone)));
    }
    const filter = { namespace: NS };
    expect(sorted(await postgres.sessionUsage(filter))).toEqual(sorted(await sqlite.sessionUsage(filter)));
    expect([...(await postgres.sessions(filter))].sort()).toEqual([...(await sqlite.sessions(filter))].sort());
    expect(await postgres.conversationCount(filter, 3_600_000)).toEqual(await sqlite.conversationCount(filter, 3_600_000));
    expect(await postgres.conversations(filter, 3_600_000, 20)).toEqual(await sqlite.conversations(filter, 3_600_000, 20));
    expect(await postgres.projects()).toEqual(await sqlite.projects());
    expect(await postgres.partitions()).toEqual(await sqlite.partitions());
    expect(await postgres.latestRateLimits(0)).toEqual(await sqlite.latestRateLimits(0));
    expect(await postgres.serviceTierUses()).toEqual(await sqlite.serviceTierUses());
    expect(await postgres.tieredEvents(filter)).toEqual(await sqlite.tieredEvents(filter));
    const month = { namespace: NS, since: Date.UTC(2025, 9, 1), until: Date.UTC(2025, 10, 1) };
    for (const scope of [{ kind: 'global' } as const, { kind: 'agent', value: 'claude-code' } as const]) {
      expect(await postgres.spend({ ...month, scope })).toEqual(await sqlite.spend({ ...month, scope }));
    }
  });

  it('a second sync of the same files changes nothing', async () => {
    const before = await postgres.usage({ namespace: NS }, ['session']);
    const env = { HOME: join(dir, 'home'), CLAUDE_CONFIG_DIR: join(dir, 'claude'), CODEX_HOME: join(dir, 'codex'), GEMINI_DATA_DIR: join(dir, 'gemini', 'tmp') };
    const report = await sync({ sources: SOURCES, namespace: NS, env, ledger: postgres, pricer: new Pricer(new PriceOverrides({})) });
    expect(report).toMatchObject({ inserted: 0 });
    expect(await postgres.usage({ namespace: NS }, ['session'])).toEqual(before);
  });
});
