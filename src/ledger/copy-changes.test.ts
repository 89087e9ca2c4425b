import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyTokens, type PricedEvent } from '../core/usage-event.js';
import { copyChanges, dropOrigin } from './copy-changes.js';
import type { Ledger, UsageTotals } from './ledger.js';
import { openLedger } from './open-ledger.js';

const T = Date.UTC(2025, 9, 10, 12);
let dir: string;
let open: Ledger[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokenledger-copy-'));
  open = [];
});
afterEach(async () => {
  for (const ledger of open) await ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

const ledgerAt = async (name: string): Promise<Ledger> => {
  const ledger = await openLedger({ engine: 'sqlite', path: join(dir, name) });
  open.push(ledger);
  return ledger;
};

const event = (key: string, outputTokens: number, priceVersionId: number, namespace = 'cost-tracking'): PricedEvent => ({
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
  namespace,
});

/** Records events (and drops) as an origin batch of `ledger`. */
const record = async (ledger: Ledger, events: [string, number][], drops: number[] = [], label = 'prices-1'): Promise<void> => {
  const id = await ledger.priceVersionId(label);
  await ledger.commit([{ origin: 'ingest:stdin', events: events.map(([k, out]) => event(k, out, id)), rateLimits: [], drops: drops.map((line) => ({ path: 'stdin', line, reason: 'bad line' })) }]);
};

const totals = async (ledger: Ledger, namespace = 'cost-tracking'): Promise<UsageTotals | undefined> => (await ledger.usage({ namespace }, []))[0];

/** A push that remembers its position as the CLI does (in the source, under one name). */
const push = async (source: Ledger, target: Ledger, options: { pageEvents?: number } = {}) =>
  copyChanges({ source, target, after: await source.mark('push:t'), kind: 'push', ...options, committed: (p) => source.setMark('push:t', p) });

describe('copyChanges', () => {
  it('copies every event once: pushing again sends nothing, and the totals match', async () => {
    const local = await ledgerAt('local.db');
    const team = await ledgerAt('team.db');
    await record(local, [
      ['a1', 10],
      ['a2', 20],
      ['b1', 30],
    ]);
    expect(await push(local, team, { pageEvents: 2 })).toMatchObject({ sent: 3, inserted: 3, replaced: 0, duplicates: 0, drops: 0 });
    expect(await push(local, team)).toMatchObject({ sent: 0, inserted: 0 });
    // From the start again (a lost mark): everything is offered, nothing is counted twice.
    expect(await copyChanges({ source: local, target: team, after: 0, kind: 'push' })).toMatchObject({ sent: 3, inserted: 0, duplicates: 3 });
    expect(await totals(team)).toEqual(await totals(local));
  });

  it('counts nothing twice when two copies of one ledger are pushed', async () => {
    const original = await ledgerAt('local.db');
    await record(original, [
      ['a1', 10],
      ['a2', 20],
    ]);
    // Closed, the ledger is all in its file (no write-ahead log beside it) and can be copied.
    await original.close();
    open = [];
    copyFileSync(join(dir, 'local.db'), join(dir, 'copy.db'));
    const local = await ledgerAt('local.db');
    const copy = await ledgerAt('copy.db');
    await record(copy, [['c1', 5]]);
    const team = await ledgerAt('team.db');
    await push(local, team);
    expect(await push(copy, team)).toMatchObject({ sent: 3, inserted: 1, duplicates: 2 });
    expect((await totals(team))?.events).toBe(3);
    expect((await totals(team))?.outputTokens).toBe(35);
  });

  it('sends what was recorded offline since the last push, and a longer copy that replaced an event', async () => {
    const local = await ledgerAt('local.db');
    const team = await ledgerAt('team.db');
    await record(local, [
      ['a1', 10],
      ['a2', 20],
    ]);
    await push(local, team);
    // Offline for a while: new events, and a streamed event whose longer copy replaced it.
    await record(local, [
      ['a3', 1],
      ['a4', 2],
    ]);
    await record(local, [['a1', 99]]);
    expect(await push(local, team)).toMatchObject({ sent: 3, inserted: 2, replaced: 1, duplicates: 0 });
    expect(await totals(team)).toEqual(await totals(local));
    expect((await totals(team))?.outputTokens).toBe(99 + 20 + 1 + 2);
  });

  it('carries drops under an origin naming their machine and file, once', async () => {
    const local = await ledgerAt('local.db');
    const team = await ledgerAt('team.db');
    await record(local, [['a1', 10]], [3, 4]);
    expect(await push(local, team)).toMatchObject({ drops: 2 });
    await copyChanges({ source: local, target: team, after: 0, kind: 'push' });
    expect((await team.drops(10)).sort((a, b) => a.line - b.line)).toEqual([
      { path: 'push:local:ingest:stdin', line: 3, reason: 'bad line' },
      { path: 'push:local:ingest:stdin', line: 4, reason: 'bad line' },
    ]);
    // Pulled back, a copied drop keeps its origin rather than nesting another.
    expect(dropOrigin({ path: 'push:local:ingest:stdin', line: 3, reason: 'x', machine: 'local' }, 'pull')).toBe('push:local:ingest:stdin');
  });

  it('keeps who recorded each event, and files it under the recording machine', async () => {
    const local = await openLedger({ engine: 'sqlite', path: join(dir, 'alice.db') }, { recorder: { user: 'alice', machine: 'm-alice' } });
    open.push(local);
    const team = await openLedger({ engine: 'sqlite', path: join(dir, 'team.db') }, { recorder: { user: 'lead', machine: 'm-team' } });
    open.push(team);
    await record(local, [['a1', 10]], [2]);
    await push(local, team);
    expect((await team.changes(0, 10)).events.map((e) => e.recordedBy)).toEqual([{ user: 'alice', machine: 'm-alice' }]);
    expect(await team.recorders()).toEqual([{ user: 'alice', machine: 'm-alice' }]);
    expect((await team.usage({ namespace: 'cost-tracking', users: ['alice'] }, []))[0]?.events).toBe(1);
    expect(await team.drops(10)).toEqual([{ path: 'push:m-alice:ingest:stdin', line: 2, reason: 'bad line' }]);
  });

  it("keeps namespaces and maps price version labels to the target's ids", async () => {
    const local = await ledgerAt('local.db');
    const team = await ledgerAt('team.db');
    await team.priceVersionId('team-only');
    await team.priceVersionId('prices-2');
    await record(local, [['a1', 10]], [], 'prices-1');
    const id2 = await local.priceVersionId('prices-2');
    await local.commit([{ origin: 'ingest:x', events: [event('b1', 5, id2, 'research')], rateLimits: [], drops: [] }]);
    await push(local, team);
    const copied = (await team.changes(0, 10)).events.map((e) => [e.dedupKey, e.namespace, e.priceVersion]);
    expect(copied).toEqual([
      ['a1', 'cost-tracking', 'prices-1'],
      ['b1', 'research', 'prices-2'],
    ]);
    expect((await totals(team, 'research'))?.events).toBe(1);
    expect(await team.hasStale(await team.priceVersionId('prices-2'))).toBe(true);
  });

  it('completes exactly after a push that failed between pages: the mark holds the last page committed', async () => {
    const local = await ledgerAt('local.db');
    const team = await ledgerAt('team.db');
    await record(local, [
      ['a1', 1],
      ['a2', 2],
      ['a3', 3],
      ['a4', 4],
      ['a5', 5],
    ]);
    let commits = 0;
    // A target that fails on its second commit (a dropped connection).
    const failing: Ledger = {
      ...team,
      commit: async (batches, checks) => {
        commits += 1;
        if (commits === 2) throw new Error('connection lost');
        return team.commit(batches, checks);
      },
    };
    await expect(push(local, failing, { pageEvents: 2 })).rejects.toThrow('connection lost');
    expect((await totals(team))?.events).toBe(2);
    const first = (await local.changes(0, 2)).next;
    expect(await local.mark('push:t')).toBe(first);
    expect(await push(local, team, { pageEvents: 2 })).toMatchObject({ sent: 3, inserted: 3, duplicates: 0 });
    expect(await totals(team)).toEqual(await totals(local));
  });

  it("runs the target's checks with every page and returns the crossings they recorded", async () => {
    const local = await ledgerAt('local.db');
    const team = await ledgerAt('team.db');
    await record(local, [
      ['a1', 1],
      ['a2', 2],
      ['a3', 3],
    ]);
    const seen: string[] = [];
    const check = {
      reads: (namespace: string) => {
        seen.push(namespace);
        return [];
      },
      crossings: () => [],
    };
    await team.setBudget({ namespace: 'cost-tracking', scope: 'global', period: 'all', amountNanos: 1, setAt: T });
    await copyChanges({ source: local, target: team, after: 0, kind: 'push', pageEvents: 2, checks: [check] });
    expect(seen).toEqual(['cost-tracking', 'cost-tracking']);
  });
});
