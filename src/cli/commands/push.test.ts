import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresTestLocation } from '../../ledger/engines/postgres/test-schema.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { FixtureLedger } from '../../testing/fixture-ledger.js';
import { runCliOn } from '../../testing/run-cli.js';

const T = Date.UTC(2025, 9, 10, 12);
let local: FixtureLedger;
let team: string;
beforeEach(() => {
  local = new FixtureLedger();
  team = join(local.dir, 'team.db');
});
afterEach(() => local.remove());

const cli = (args: string[], env: Record<string, string> = {}) => runCliOn(local, args, { env, now: T });
const events = async (path: string): Promise<number> => {
  const ledger = await openLedger({ engine: 'sqlite', path });
  try {
    return (await ledger.usage({ namespace: 'cost-tracking' }, []))[0]?.events ?? 0;
  } finally {
    await ledger.close();
  }
};

describe('push and pull', () => {
  it('push sends what the remote lacks, once; --json reports the counts and positions', async () => {
    await local.record([
      { occurredAt: T, costNanos: 5 },
      { occurredAt: T, costNanos: 7 },
    ]);
    const first = await cli(['push', team]);
    expect([first.code, first.stdout, first.stderr]).toEqual([0, `Pushed 2 events to ${team}: 2 new, 0 updated, 0 already there.\n`, '']);
    expect((await cli(['push', team])).stdout).toBe(`Nothing new to push to ${team}.\n`);
    await local.record([
      { occurredAt: T, costNanos: 5 },
      { occurredAt: T, costNanos: 7 },
      { occurredAt: T, costNanos: 9 },
    ]);
    const json = JSON.parse((await cli(['push', team, '--json'])).stdout) as Record<string, unknown>;
    expect(json).toEqual({ direction: 'push', remote: team, from: 2, sent: 1, inserted: 1, replaced: 0, duplicates: 0, drops: 0, position: 3 });
    expect(await cli(['push', team, '--all', '--json']).then((r) => JSON.parse(r.stdout).duplicates)).toBe(3);
    expect(await events(team)).toBe(3);
  });

  it('pushes everything again to a team ledger made again at the same address (it has another id)', async () => {
    await local.record([
      { occurredAt: T, costNanos: 5 },
      { occurredAt: T, costNanos: 7 },
    ]);
    expect((await cli(['push', team])).code).toBe(0);
    rmSync(team);
    const again = await cli(['push', team]);
    expect([again.code, again.stdout]).toEqual([0, `Pushed 2 events to ${team}: 2 new, 0 updated, 0 already there.\n`]);
    expect(await events(team)).toBe(2);
    expect((await cli(['push', team])).stdout).toBe(`Nothing new to push to ${team}.\n`);
  });

  it("pull brings the remote's events here, so reports show the team's figures", async () => {
    const other = new FixtureLedger();
    try {
      await other.record([{ occurredAt: T, costNanos: 2_000_000_000 }], 'theirs');
      await local.record([{ occurredAt: T, costNanos: 1_000_000_000 }], 'mine');
      expect((await cli(['pull', other.dbPath])).stdout).toBe(`Pulled 1 event from ${other.dbPath}: 1 new, 0 updated, 0 already there.\n`);
      expect((await cli(['pull', other.dbPath])).stdout).toBe(`Nothing new to pull from ${other.dbPath}.\n`);
      const daily = JSON.parse((await cli(['daily', '--json', '--no-sync'])).stdout) as { totals: { totalCost: number } };
      expect(daily.totals.totalCost).toBe(3);
    } finally {
      other.remove();
    }
  });

  it('names an unreachable remote without its password, exit 4', async () => {
    const r = await cli(['push', join(local.dir, 'no', 'such', 'folder', 'team.db')]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`cannot reach the remote ledger ${join(local.dir, 'no', 'such', 'folder', 'team.db')}`);
    const pg = await cli(['push', 'postgres://writer:s3cret@127.0.0.1:1/team']);
    expect(pg.code).toBe(4);
    expect(pg.stderr).toContain('127.0.0.1:1');
    expect(pg.stderr).not.toContain('s3cret');
  });

  it('pushes to and pulls from a PostgreSQL team ledger named by URL (its schema as a parameter)', async () => {
    const { location, drop } = await postgresTestLocation();
    try {
      const url = `${location.url}?schema=${location.schema}`;
      await local.record([
        { occurredAt: T, costNanos: 5 },
        { occurredAt: T, costNanos: 7 },
      ]);
      expect(JSON.parse((await cli(['push', url, '--json'])).stdout)).toMatchObject({ remote: url, sent: 2, inserted: 2 });
      expect(JSON.parse((await cli(['push', url, '--json'])).stdout)).toMatchObject({ sent: 0 });
      const other = new FixtureLedger();
      try {
        const pulled = await runCliOn(other, ['pull', url, '--json'], { now: T });
        expect(JSON.parse(pulled.stdout)).toMatchObject({ direction: 'pull', sent: 2, inserted: 2 });
        expect(await events(other.dbPath)).toBe(2);
      } finally {
        other.remove();
      }
    } finally {
      await drop();
    }
  });

  it('refuses pushing the ledger to itself, and a :memory: remote', async () => {
    expect((await cli(['push', local.dbPath])).code).toBe(2);
    expect((await cli(['pull', ':memory:'])).code).toBe(2);
  });
});
