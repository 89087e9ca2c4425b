import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../core/usage-event.js';
import { copyChanges } from './copy-changes.js';
import { postgresTestLocation, sumsDrift } from './engines/postgres/test-schema.js';
import type { Ledger } from './ledger.js';
import type { LedgerLocation } from './location.js';
import { openLedger } from './open-ledger.js';

// Push and pull between a SQLite ledger and a PostgreSQL one (the local test server, a schema per test).
const T = Date.UTC(2025, 9, 10, 12);
const ALICE = { user: 'alice', machine: 'm-alice' };
let dir: string;
let local: Ledger;
let team: Ledger;
let teamLocation: Extract<LedgerLocation, { engine: 'postgres' }>;
let dropSchema: () => Promise<void>;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokenledger-copy-pg-'));
  local = await openLedger({ engine: 'sqlite', path: join(dir, 'local.db') }, { recorder: ALICE });
  const schema = await postgresTestLocation();
  teamLocation = schema.location;
  dropSchema = schema.drop;
  team = await openLedger(teamLocation);
});
afterEach(async () => {
  await local.close();
  await team.close();
  await dropSchema();
  rmSync(dir, { recursive: true, force: true });
});

const event = (key: string, outputTokens: number, priceVersionId: number): PricedEvent => ({
  ...emptyTokens(),
  agent: 'claude-code',
  provider: 'anthropic',
  model: 'claude-sonnet-4-5',
  sessionId: `s-${key.slice(0, 1)}`,
  project: '/p',
  occurredAt: T,
  dedupKey: key,
  inputTokens: 100,
  outputTokens,
  costNanos: 1000 * outputTokens,
  priceVersionId,
  unpriced: false,
  namespace: 'cost-tracking',
});
const record = async (ledger: Ledger, events: [string, number][], drops: number[] = []): Promise<void> => {
  const id = await ledger.priceVersionId('prices-1');
  await ledger.commit([{ origin: 'ingest:stdin', events: events.map(([k, out]) => event(k, out, id)), rateLimits: [], drops: drops.map((line) => ({ path: 'stdin', line, reason: 'bad line' })) }]);
};
const totals = async (ledger: Ledger) => (await ledger.usage({ namespace: 'cost-tracking' }, []))[0];
const push = async (options: { pageEvents?: number; target?: Ledger } = {}) =>
  copyChanges({
    source: local,
    target: options.target ?? team,
    after: await local.mark('push:t'),
    kind: 'push',
    committed: (p) => local.setMark('push:t', p),
    ...(options.pageEvents === undefined ? {} : { pageEvents: options.pageEvents }),
  });

describe('push and pull between SQLite and PostgreSQL', () => {
  it('pushes once, then only what changed (a longer copy too), with drops; the sums hold', async () => {
    await record(
      local,
      [
        ['a1', 10],
        ['a2', 20],
        ['b1', 30],
      ],
      [7],
    );
    expect(await push({ pageEvents: 2 })).toMatchObject({ sent: 3, inserted: 3, drops: 1 });
    expect(await push()).toMatchObject({ sent: 0 });
    await record(local, [
      ['a1', 99],
      ['c1', 1],
    ]);
    expect(await push()).toMatchObject({ sent: 2, inserted: 1, replaced: 1 });
    expect(await copyChanges({ source: local, target: team, after: 0, kind: 'push' })).toMatchObject({ inserted: 0, replaced: 0, duplicates: 4 });
    expect(await totals(team)).toEqual(await totals(local));
    expect(await team.drops(10)).toEqual([{ path: 'push:m-alice:ingest:stdin', line: 7, reason: 'bad line' }]);
    expect(new Set((await team.changes(0, 10)).events.map((e) => e.recordedBy.user))).toEqual(new Set(['alice']));
    expect(await team.recorders()).toEqual([ALICE]);
    expect(await sumsDrift(teamLocation)).toEqual([]);
  });

  it('completes exactly after a push that failed between pages', async () => {
    await record(local, [
      ['a1', 1],
      ['a2', 2],
      ['a3', 3],
      ['a4', 4],
      ['a5', 5],
    ]);
    let commits = 0;
    const failing: Ledger = {
      ...team,
      commit: async (batches, checks) => {
        commits += 1;
        if (commits === 2) throw new Error('connection lost');
        return team.commit(batches, checks);
      },
    };
    await expect(push({ pageEvents: 2, target: failing })).rejects.toThrow('connection lost');
    expect((await totals(team))?.events).toBe(2);
    expect(await push({ pageEvents: 2 })).toMatchObject({ sent: 3, inserted: 3, duplicates: 0 });
    expect(await totals(team)).toEqual(await totals(local));
  });

  it("pulls the team's events into a SQLite ledger, keeping their recorder and price label; marks kept in PostgreSQL too", async () => {
    await record(team, [
      ['t1', 5],
      ['t2', 6],
    ]);
    const pulled = await copyChanges({ source: team, target: local, after: 0, kind: 'pull' });
    expect(pulled).toMatchObject({ sent: 2, inserted: 2 });
    expect((await local.changes(0, 10)).events.map((e) => [e.dedupKey, e.priceVersion])).toEqual([
      ['t1', 'prices-1'],
      ['t2', 'prices-1'],
    ]);
    expect(await totals(local)).toEqual(await totals(team));
    await team.setMark('pull:x', 9);
    await team.setMark('pull:x', 3);
    expect(await team.mark('pull:x')).toBe(9);
  });
});
