import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../../../core/usage-event.js';
import type { FileBatch } from '../../ledger.js';
import { openLedger } from '../../open-ledger.js';
import type { PostgresLocation } from './connect.js';
import { POSTGRES_TEST_URL, postgresTestLocation, rejection, sumsDrift } from './test-schema.js';

const T = Date.UTC(2025, 9, 10, 12);
const event = (key: string): PricedEvent => ({
  ...emptyTokens(),
  agent: 'claude-code',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  sessionId: 's1',
  project: '/p',
  occurredAt: T,
  dedupKey: key,
  inputTokens: 10,
  outputTokens: 5,
  costNanos: 1_000,
  priceVersionId: 1,
  unpriced: false,
});
const batch = (keys: string[]): FileBatch => ({
  events: keys.map(event),
  rateLimits: [],
  drops: [],
  from: undefined,
  to: { path: '/logs/a.jsonl', agent: 'claude-code', dev: 1, ino: 2, size: 100, mtimeMs: 1, offset: 100, lineCount: 3, fingerprint: 'f', state: null },
});

let location: PostgresLocation;
let drop: () => Promise<void>;
beforeEach(async () => {
  ({ location, drop } = await postgresTestLocation());
});
afterEach(() => drop());

async function admin<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** PostgreSQL-specific: how the server's and the network's failures reach the user. */
describe("failures, told as the ledger's errors naming the server", () => {
  it('an unreachable server is LEDGER_UNREACHABLE, without the password', async () => {
    const error = await rejection(openLedger({ engine: 'postgres', url: 'postgres://team:hunter2secret@127.0.0.1:1/ledger' }));
    expect(error).toMatchObject({ code: 'LEDGER_UNREACHABLE' });
    expect(error.message).toContain('127.0.0.1:1');
    expect(error.message).not.toContain('hunter2secret');
  });

  it('a role without the INSERT grant is LEDGER_DENIED naming the table; reads still work', async () => {
    await (await openLedger(location)).close();
    const role = `tl_test_reader_${randomBytes(4).toString('hex')}`;
    await admin(`CREATE ROLE ${role} LOGIN; GRANT USAGE ON SCHEMA ${location.schema} TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA ${location.schema} TO ${role}`);
    try {
      const url = new URL(location.url);
      url.username = role;
      const reader = await openLedger({ ...location, url: url.toString() });
      try {
        expect(await reader.usage({ namespace: 'cost-tracking' }, [])).toEqual([]);
        const error = await rejection(reader.commit([batch(['a'])]));
        expect(error).toMatchObject({ code: 'LEDGER_DENIED' });
        expect(error.message).toMatch(/permission denied for (table|sequence) \w+/);
        expect(error.message).toContain(location.schema);
      } finally {
        await reader.close();
      }
    } finally {
      await admin(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });

  it('a connection terminated mid-commit fails the commit, leaves nothing half-written, and the next commit completes exactly', async () => {
    const ledger = await openLedger(location);
    try {
      await ledger.priceVersionId('p');
      // Hold the lock on change positions, so the commit stops midway (cursor written, events not yet).
      const holder = new pg.Client({ connectionString: location.url });
      await holder.connect();
      await holder.query("SELECT pg_advisory_lock(hashtext($1), hashtext('changes'))", [`tokenledger:${location.schema}`]);
      const committing = rejection(ledger.commit([batch(['a', 'b', 'c'])]));
      let pid: number | undefined;
      while (pid === undefined) {
        const waiting = await holder.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = 'tokenledger' AND wait_event_type = 'Lock' AND query LIKE '%changes%'");
        pid = waiting.rows[0]?.pid;
      }
      await holder.query('SELECT pg_terminate_backend($1)', [pid]);
      const error = await committing;
      expect(error).toMatchObject({ code: 'LEDGER_UNREACHABLE' });
      await holder.end();
      expect(await ledger.cursors()).toEqual(new Map());
      expect(await ledger.usage({ namespace: 'cost-tracking' }, [])).toEqual([]);
      expect(await ledger.commit([batch(['a', 'b', 'c'])])).toMatchObject({ inserted: 3, duplicates: 0, skipped: 0 });
      expect(await ledger.usage({ namespace: 'cost-tracking' }, [])).toEqual([expect.objectContaining({ events: 3, costNanos: 3_000 })]);
      expect([...(await ledger.cursors()).keys()]).toEqual(['/logs/a.jsonl']);
      expect(await sumsDrift(location)).toEqual([]);
    } finally {
      await ledger.close();
    }
  });

  it('a statement past statement_timeout is LEDGER_LOCKED, and nothing is written', async () => {
    const url = new URL(location.url);
    url.searchParams.set('statement_timeout', '300');
    const ledger = await openLedger({ ...location, url: url.toString() });
    const holder = new pg.Client({ connectionString: location.url });
    await holder.connect();
    try {
      await ledger.priceVersionId('p');
      await holder.query("SELECT pg_advisory_lock(hashtext($1), hashtext('changes'))", [`tokenledger:${location.schema}`]);
      const error = await rejection(ledger.commit([batch(['a'])]));
      expect(error).toMatchObject({ code: 'LEDGER_LOCKED' });
      expect(error.message).toContain('statement_timeout');
      expect(await ledger.cursors()).toEqual(new Map());
    } finally {
      await holder.end();
      await ledger.close();
    }
  });
});
